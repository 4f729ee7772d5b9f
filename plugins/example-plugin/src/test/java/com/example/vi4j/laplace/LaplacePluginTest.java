package com.example.vi4j.laplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.math3.distribution.LaplaceDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads this plugin the way a user's class path does (a jar with a services file, never named by
 * core) and trains a VAE whose config asks for {@code type: laplace}.
 */
class LaplacePluginTest {
  private static final String CONFIG = """
      name: laplace-vae
      data:
        type: sprites
        train_size: 600
        test_size: 100
      model:
        latent_dim: 3
        prior:
          type: laplace
          scale: 0.8
        encoder:
          type: gaussian-mlp
          hidden: [32]
        decoder:
          type: bernoulli-mlp
          hidden: [32]
      estimator:
        type: reparameterization
      training:
        epochs: 2
        batch_size: 64
      evaluation:
        iwae_k: 20
        iwae_items: 50
      """;

  @Test
  void theServiceFileAloneMakesThePriorAvailable() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.plugins()).anyMatch(p -> p instanceof LaplacePlugin);
    assertThat(registry.names(ComponentKind.PRIOR)).contains("laplace", "standard-normal");
  }

  @Test
  void aConfigNamingTheThirdPartyPriorTrainsAndUsesTheMonteCarloKl(@TempDir Path dir) throws Exception {
    PluginRegistry registry = PluginRegistry.load();
    ConfigLoader loader = new ConfigLoader(registry);
    ExperimentSpec spec = loader.parse(CONFIG, "laplace.yaml");
    assertThat(spec.model().prior()).isEqualTo(new LaplacePriorSpec(0.8));
    io.vi4j.core.run.RunSummary summary;
    RunDirectory run;
    try (RunDirectory claimed = RunDirectory.create(dir.resolve("run"))) {
      run = claimed;
      summary = new Experiment(spec, registry, dir).run(claimed, loader, new TrainingListener() {});
    }
    double negElbo = summary.testNegElboNats();
    double kl = summary.testKlNats();
    double ll = summary.testLogLikelihoodNats();
    assertThat(negElbo).isFinite().isPositive();
    assertThat(kl).isFinite();
    assertThat(ll).isGreaterThan(-negElbo - 1.0); // IWAE tightens the bound (within its noise)
    assertThat(Files.readString(run.file(RunDirectory.CONFIG))).contains("type: laplace");
  }

  @Test
  void logDensityMatchesCommonsMathAndSamplesHaveTheRightScale() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(5);
      Distribution p = new LaplacePrior(2, 0.8).distribution(m, 1);
      float[] t = {0.3f, -1.7f};
      LaplaceDistribution reference = new LaplaceDistribution(0, 0.8);
      double expected = reference.logDensity(0.3) + reference.logDensity(-1.7);
      assertThat((double) p.logProb(m.create(t).reshape(1, 2)).getFloat(0)).isCloseTo(expected, within(1e-5));
      int k = 200_000;
      NDArray draws = p.sample(k);
      double meanAbs = draws.abs().mean().getFloat();
      // E|t| = b for a Laplace(0, b); sd of |t| is b, so the mean of 2k draws has sd b/sqrt(2k)
      assertThat(meanAbs).isCloseTo(0.8, within(5 * 0.8 / Math.sqrt(2.0 * k)));
    }
  }
}
