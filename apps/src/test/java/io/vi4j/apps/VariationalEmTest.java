package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.DataSource;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.DataSpec;
import io.vi4j.api.plugin.Vi4jPlugin;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variational EM with per-item posteriors from a config: {@code vi4j train} trains it and reports its
 * test-time inference, and a data source whose items change places between loads is refused before
 * anything is trained.
 */
class VariationalEmTest {
  static final String CONFIG = """
      name: variational-em
      seed: 3
      data: {type: %s, train_size: 300, test_size: 60}
      model:
        latent_dim: 4
        prior: {type: standard-normal}
        encoder: {type: per-item-gaussian, inference_steps: 30}
        decoder: {type: bernoulli-mlp, hidden: [32], activation: relu}
      estimator: {type: reparameterization, samples: 1}
      training: {epochs: 2, batch_size: 50, learning_rate: 3.0e-3}
      evaluation: {iwae_k: 10, iwae_items: 20}
      """;

  /** Sprites, but declared to shuffle its items at every load. */
  public record ShuffledSpec(Integer trainSize, Integer testSize) implements DataSpec {}

  /** Registers {@code shuffled-sprites}. */
  public static final class ShuffledPlugin extends Vi4jPlugin {
    @Override
    protected void configure() {
      register(ComponentKind.DATA, "shuffled-sprites", ComponentFactory.of(ShuffledSpec.class, (spec, c) ->
          new DataSource() {
            @Override
            public DataSplits load() {
              return new DataSplits(SpritesDataset.train(spec.trainSize(), 1).dataset(),
                  SpritesDataset.test(spec.testSize(), 1).dataset(), DataSplits.Binarization.NONE);
            }

            @Override
            public boolean stableItemIndex() {
              return false;
            }
          }));
    }
  }

  @Test
  void trainReportsTheTestTimeInferenceOfPerItemPosteriors(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("em.yaml");
    Files.writeString(config, CONFIG.formatted("sprites"));
    CliTest.Result result = CliTest.execute("train", config.toString(), "--out", dir.resolve("run").toString(),
        "--no-progress");
    assertThat(result.status()).as(result.err()).isZero();
    RunSummary summary = RunSummary.read(dir.resolve("run/summary.json"));
    assertThat(summary.testInferenceSeconds()).isPositive();
    assertThat(summary.testInferenceSteps()).isEqualTo(30);
    assertThat(summary.testLogLikelihoodNats()).isFinite();
    // 300 rows of 2 × 4 parameters beside the decoder's.
    assertThat(summary.parameters()).isEqualTo(300L * 8 + (4 * 32 + 32) + (32 * 784 + 784));
    CliTest.Result evaluated = CliTest.execute("evaluate", dir.resolve("run").toString());
    assertThat(evaluated.status()).as(evaluated.err()).isZero();
    RunSummary evaluation = RunSummary.read(dir.resolve("run/evaluation.json"));
    assertThat(evaluation.testInferenceSeconds()).isPositive();
    assertThat(evaluation.testNegElboNats()).isFinite();
  }

  @Test
  void perItemPosteriorsWithADataSourceWithoutStableIndicesAreRefused() throws Exception {
    List<Vi4jPlugin> plugins = List.of(new CoreDataPlugin(), new ShuffledPlugin(),
        new io.vi4j.plugins.priors.PriorsPlugin(), new io.vi4j.plugins.encoders.EncodersPlugin(),
        new io.vi4j.plugins.decoders.DecodersPlugin(), new io.vi4j.plugins.estimators.EstimatorsPlugin());
    PluginRegistry registry = PluginRegistry.of(plugins);
    ExperimentSpec spec = new ConfigLoader(registry).parse(CONFIG.formatted("shuffled-sprites"), "em.yaml");
    Experiment experiment = new Experiment(spec, registry, Path.of("."));
    DataSplits raw = experiment.loadData();
    assertThatThrownBy(() -> experiment.setUp(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.encoder ('per-item-gaussian') keeps parameters per training item")
        .hasMessageContaining("data ('shuffled-sprites') does not keep its items at the same index");
  }
}
