package io.vi4j.plugins.factorized;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.FitReport;
import io.vi4j.core.engine.Engines;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The factorized baselines on data with missing cells: moments over observed cells, marginal densities. */
class FactorizedMissingTest {
  static final float NAN = Float.NaN;
  static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  @Test
  void gaussianMomentsAreOverObservedCellsAndItsDensityIsTheMarginal() {
    float[] values = {
      1f, NAN, 3f,
      2f, 10f, NAN,
      NAN, 20f, 5f,
      3f, 30f, 7f,
      NAN, NAN, NAN, // contributes nothing
    };
    FactorizedGaussian model = new FactorizedGaussian(FactorizedGaussianSpec.defaults());
    FitReport report = model.fit(new Dataset("t", values, 5, 3, null, null), manager, 0);
    assertThat(model.means()).containsExactly(new double[] {2, 20, 5}, within(1e-12));
    assertThat(model.variances()).containsExactly(new double[] {2.0 / 3, 200.0 / 3, 8.0 / 3}, within(1e-12));
    double[] v = model.variances();
    double[] mu = model.means();
    double[] ll;
    try (NDManager scope = manager.newSubManager()) {
      ll = model.logLikelihood(scope.create(values, new Shape(5, 3))).toDoubleArray();
    }
    double total = 0;
    for (int i = 0; i < 5; i++) {
      double expected = 0;
      for (int j = 0; j < 3; j++) {
        float x = values[i * 3 + j];
        if (!Float.isNaN(x)) {
          expected += -0.5 * (Math.log(2 * Math.PI * v[j]) + (x - mu[j]) * (x - mu[j]) / v[j]);
        }
      }
      assertThat(ll[i]).as("row %d", i).isCloseTo(expected, within(1e-9));
      total += expected;
    }
    assertThat(report.trainLogLikelihood()).isCloseTo(total / 5, within(1e-9));
  }

  @Test
  void bernoulliProbabilitiesAreOverObservedCellsAndItsMassIsTheMarginal() {
    float[] values = {
      1f, NAN, 0f, 1f,
      0f, 1f, NAN, 1f,
      1f, 1f, 1f, NAN,
    };
    FactorizedBernoulli model = new FactorizedBernoulli(new FactorizedBernoulliSpec(1e-3));
    FitReport report = model.fit(new Dataset("t", values, 3, 4, null, null), manager, 0);
    assertThat(model.probabilities()).containsExactly(new double[] {2.0 / 3, 1 - 1e-3, 0.5, 1 - 1e-3}, within(1e-12));
    double[] p = model.probabilities();
    double[] ll;
    try (NDManager scope = manager.newSubManager()) {
      ll = model.logLikelihood(scope.create(values, new Shape(3, 4))).toDoubleArray();
    }
    double total = 0;
    for (int i = 0; i < 3; i++) {
      double expected = 0;
      for (int j = 0; j < 4; j++) {
        float x = values[i * 4 + j];
        if (!Float.isNaN(x)) {
          expected += x * Math.log(p[j]) + (1 - x) * Math.log(1 - p[j]);
        }
      }
      assertThat(ll[i]).as("row %d", i).isCloseTo(expected, within(1e-9));
      total += expected;
    }
    assertThat(report.trainLogLikelihood()).isCloseTo(total / 3, within(1e-9));
  }

  @Test
  void completeRowsScoreAsBeforeInABatchWithMissingCells() {
    Random random = new Random(3);
    float[] values = new float[40 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    FactorizedGaussian model = new FactorizedGaussian(FactorizedGaussianSpec.defaults());
    model.fit(new Dataset("t", values, 40, 5, null, null), manager, 0);
    float[] batch = java.util.Arrays.copyOf(values, 10);
    try (NDManager scope = manager.newSubManager()) {
      double[] complete = model.logLikelihood(scope.create(batch, new Shape(2, 5))).toDoubleArray();
      batch[7] = NAN;
      double[] mixed = model.logLikelihood(scope.create(batch, new Shape(2, 5))).toDoubleArray();
      assertThat(mixed[0]).isCloseTo(complete[0], within(1e-12));
      assertThat(mixed[1]).isGreaterThan(complete[1]); // one factor (a density below 1 here) fewer
    }
  }

  @Test
  void refusesAColumnWithNoObservedValue() {
    float[] values = {1f, NAN, 2f, NAN};
    assertThatThrownBy(() -> new FactorizedGaussian(FactorizedGaussianSpec.defaults())
            .fit(new Dataset("t", values, 2, 2, null, null), manager, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 1 has no observed value");
    assertThatThrownBy(() -> new FactorizedBernoulli(new FactorizedBernoulliSpec(null))
            .fit(new Dataset("t", new float[] {1f, NAN, 0f, NAN}, 2, 2, null, null), manager, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 1 has no observed value");
  }

  @Test
  void conditionalMeanIsTheObservedColumnMean() {
    float[] values = {1f, NAN, 3f, 2f, 10f, NAN, NAN, 20f, 5f};
    FactorizedGaussian model = new FactorizedGaussian(FactorizedGaussianSpec.defaults());
    model.fit(new Dataset("t", values, 3, 3, null, null), manager, 0);
    float[] observed = {NAN, 7f, 0f};
    float[] imputed = model.conditionalMean(observed, new boolean[] {false, false, true}, 1);
    assertThat(imputed).containsExactly(1.5f, 7f, 4f);
  }
}
