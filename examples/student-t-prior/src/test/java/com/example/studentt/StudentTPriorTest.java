package com.example.studentt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import io.vi4j.core.run.RunSummary;
import io.vi4j.core.testing.gradient.GradientTestKit;
import io.vi4j.core.train.TrainingListener;
import java.nio.file.Path;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Student-t prior against closed forms, vi4j's gradient test kit, and a short training run. */
class StudentTPriorTest {
  private static final float[] POINTS = {0.3f, -1.2f, 2.5f, 0.7f, -4.0f, 0.05f, 9.0f, -0.6f};

  @Test
  void theLogDensityIsThatOfIndependentStudentTCoordinates() {
    for (int nu : new int[] {1, 2, 5, 30}) {
      double scale = 1.7;
      try (NDManager manager = Engines.pytorch().newBaseManager()) {
        Distribution p = new StudentTPrior(2, nu, scale).distribution(manager, 4);
        float[] logProb = p.logProb(manager.create(POINTS, new ai.djl.ndarray.types.Shape(4, 2))).toFloatArray();
        TDistribution t = new TDistribution(nu);
        for (int i = 0; i < 4; i++) {
          double expected = 0;
          for (int j = 0; j < 2; j++) {
            expected += t.logDensity(POINTS[2 * i + j] / scale) - Math.log(scale);
          }
          assertThat((double) logProb[i]).as("ν=%d, point %d", nu, i).isCloseTo(expected, within(1e-4));
        }
      }
    }
  }

  @Test
  void itsGradientPassesTheGradientTestKit() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      GradientTestKit.checkLogDensityGradient(new StudentTPrior(2, 3, 0.8).distribution(manager, 4), POINTS, 1e-2);
    }
  }

  @Test
  void samplesHaveTheStudentTQuartiles() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Engines.seed(3);
      NDArray draws = new StudentTPrior(1, 4, 2.0).distribution(manager, 1).sample(40_000);
      double[] values = new double[40_000];
      float[] f = draws.toFloatArray();
      for (int i = 0; i < f.length; i++) {
        values[i] = f[i];
      }
      TDistribution t = new TDistribution(4);
      Percentile percentile = new Percentile();
      for (double q : new double[] {10, 25, 50, 75, 90}) {
        assertThat(percentile.evaluate(values, q)).as("quantile %s", q)
            .isCloseTo(2.0 * t.inverseCumulativeProbability(q / 100), within(0.05));
      }
    }
  }

  @Test
  void badSettingsNameTheField() {
    assertThatThrownBy(() -> new StudentTPriorSpec(0, null)).hasMessageContaining("degrees_of_freedom");
    assertThatThrownBy(() -> new StudentTPriorSpec(5, -1.0)).hasMessageContaining("scale must be");
  }

  @Test
  void aConfigNamingTheStudentTPriorTrains(@TempDir Path dir) throws Exception {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.names(ComponentKind.PRIOR)).contains("student-t");
    ConfigLoader loader = new ConfigLoader(registry);
    ExperimentSpec spec = loader.parse("""
        name: student-t
        data: {type: sprites, train_size: 500, test_size: 100}
        model:
          latent_dim: 3
          prior: {type: student-t, degrees_of_freedom: 4}
          encoder: {type: gaussian-mlp, hidden: [32]}
          decoder: {type: bernoulli-mlp, hidden: [32]}
        estimator: {type: reparameterization}
        training: {epochs: 2, batch_size: 50}
        evaluation: {iwae_k: 20, iwae_items: 50}
        """, "student-t.yaml");
    RunSummary summary;
    try (RunDirectory run = RunDirectory.create(dir.resolve("run"))) {
      summary = new Experiment(spec, registry, dir).run(run, loader, new TrainingListener() {});
    }
    assertThat(summary.testNegElboNats()).isFinite().isPositive();
    assertThat(summary.testLogLikelihoodNats()).isGreaterThan(-summary.testNegElboNats() - 1.0);
  }
}
