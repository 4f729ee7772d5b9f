package io.vi4j.plugins.autoregressive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.kit.distribution.BernoulliLogits;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.core.engine.Engines;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MadeTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** A MADE whose weights are scaled up, so that its conditionals are far from uniform and differ by context. */
  private static Made sharpened(MadeSpec spec, int dimension, long seed, float scale) {
    Engines.seed(seed);
    Made made = new Made(manager, dimension, spec);
    made.parameters().forEach(p -> p.getValue().getArray().muli(scale));
    return made;
  }

  @Test
  void eachOutputDependsOnTheDimensionsBeforeItOnly() {
    int d = 7;
    Made made = sharpened(new MadeSpec(List.of(40, 30), ActivationName.TANH, null, null, 3L), d, 1, 3f);
    try (NDManager scope = manager.newSubManager()) {
      float[] base = {0.3f, -1.2f, 0.8f, 0.1f, 2.0f, -0.5f, 1.1f};
      float[] before = logits(made, scope, base);
      for (int j = 0; j < d; j++) {
        float[] moved = base.clone();
        moved[j] += 1.7f;
        float[] after = logits(made, scope, moved);
        for (int out = 0; out <= j; out++) {
          assertThat(after[out]).as("output %d after moving input %d", out, j).isEqualTo(before[out]);
        }
        if (j < d - 1) { // some later output sees input j (the wide layers connect every degree here)
          boolean changed = false;
          for (int out = j + 1; out < d; out++) {
            changed |= after[out] != before[out];
          }
          assertThat(changed).as("some output after %d depends on input %d", j, j).isTrue();
        }
      }
    }
  }

  private static float[] logits(Made made, NDManager scope, float[] x) {
    NDArray data = scope.create(x, new Shape(1, x.length));
    return ((BernoulliLogits) made.conditionals(data)).logits().toFloatArray();
  }

  @Test
  void aBernoulliMadeSumsToOneOverEveryBinaryVector() {
    int d = 8;
    Made made = sharpened(MadeSpec.bernoulli(16), d, 2, 4f);
    try (NDManager scope = manager.newSubManager()) {
      float[] all = new float[(1 << d) * d];
      for (int v = 0; v < 1 << d; v++) {
        for (int k = 0; k < d; k++) {
          all[v * d + k] = (v >> k) & 1;
        }
      }
      double[] logP = made.logLikelihood(scope.create(all, new Shape(1 << d, d))).toType(
          ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
      double total = 0;
      double largest = 0;
      for (double lp : logP) {
        total += Math.exp(lp);
        largest = Math.max(largest, Math.exp(lp));
      }
      assertThat(total).isCloseTo(1.0, within(1e-5));
      assertThat(largest).as("far from uniform (1/256)").isGreaterThan(0.02);
    }
  }

  @Test
  void aGaussianMadeIntegratesToOneOnTheGrid() {
    Made made = sharpened(new MadeSpec(List.of(12), ActivationName.TANH, MadeSpec.Likelihood.GAUSSIAN, 0.2, 5L), 2,
        3, 1.5f);
    assertThat(made.dataKind()).isEqualTo(DataKind.CONTINUOUS);
    int n = 600;
    double lo = -12;
    double step = 24.0 / n;
    try (NDManager scope = manager.newSubManager()) {
      float[] grid = new float[n * n * 2];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          grid[(i * n + j) * 2] = (float) (lo + (i + 0.5) * step);
          grid[(i * n + j) * 2 + 1] = (float) (lo + (j + 0.5) * step);
        }
      }
      double[] logP = made.logLikelihood(scope.create(grid, new Shape((long) n * n, 2)))
          .toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
      double integral = 0;
      for (double lp : logP) {
        integral += Math.exp(lp) * step * step;
      }
      assertThat(integral).isCloseTo(1.0, within(2e-3));
    }
  }

  @Test
  void itsDrawsFollowItsOwnProbabilities() {
    int d = 3;
    Made made = sharpened(MadeSpec.bernoulli(20), d, 4, 2.5f);
    int draws = 40_000;
    try (NDManager scope = manager.newSubManager()) {
      Engines.seed(11);
      float[] samples = made.sample(draws, scope).toFloatArray();
      int[] counts = new int[1 << d];
      for (int s = 0; s < draws; s++) {
        int v = 0;
        for (int k = 0; k < d; k++) {
          assertThat(samples[s * d + k]).isIn(0f, 1f);
          v |= (int) samples[s * d + k] << k;
        }
        counts[v]++;
      }
      float[] all = new float[(1 << d) * d];
      for (int v = 0; v < 1 << d; v++) {
        for (int k = 0; k < d; k++) {
          all[v * d + k] = (v >> k) & 1;
        }
      }
      float[] logP = made.logLikelihood(scope.create(all, new Shape(1 << d, d))).toFloatArray();
      double chiSquare = 0;
      for (int v = 0; v < 1 << d; v++) {
        double expected = draws * Math.exp(logP[v]);
        chiSquare += (counts[v] - expected) * (counts[v] - expected) / expected;
      }
      // 7 degrees of freedom: P(χ² > 24.3) = 0.001. A sampler that drew every dimension from one pass on the
      // empty context, or in another order, would be far above it.
      assertThat(chiSquare).isLessThan(24.3);
      assertThat(made.samplingPasses()).isEqualTo(d);
    }
  }

  @Test
  void itImputesWhatComesAfterTheObservedValuesByTheChainRule() {
    int d = 4;
    Made made = sharpened(new MadeSpec(List.of(24), ActivationName.TANH, null, null, 2L), d, 1, 3f);
    int items = 200;
    float[] prefix = {1f, 0f};
    float[] observed = new float[items * d];
    boolean[] missing = new boolean[items * d];
    for (int i = 0; i < items; i++) {
      observed[i * d] = prefix[0];
      observed[i * d + 1] = prefix[1];
      missing[i * d + 2] = true;
      missing[i * d + 3] = true;
    }
    Engines.seed(8);
    float[] imputed = made.conditionalMean(observed, missing, items);
    // Exact: p(x2 = 1 | x0, x1) and Σ_{x2} p(x2 | x0, x1) p(x3 = 1 | x0, x1, x2) from the model's own logits.
    try (NDManager scope = manager.newSubManager()) {
      double p2 = sigmoid(logits(made, scope, new float[] {1f, 0f, 0f, 0f})[2]);
      double p3Given0 = sigmoid(logits(made, scope, new float[] {1f, 0f, 0f, 0f})[3]);
      double p3Given1 = sigmoid(logits(made, scope, new float[] {1f, 0f, 1f, 0f})[3]);
      double mean3 = 0;
      for (int i = 0; i < items; i++) {
        assertThat(imputed[i * d]).isEqualTo(1f);
        assertThat(imputed[i * d + 1]).isEqualTo(0f);
        assertThat(imputed[i * d + 2]).isCloseTo((float) p2, within(1e-5f));
        mean3 += imputed[i * d + 3] / items;
      }
      // 3,200 completions: the estimate's standard error is below 0.01.
      assertThat(mean3).isCloseTo((1 - p2) * p3Given0 + p2 * p3Given1, within(0.03));
      assertThat(Math.abs(p3Given1 - p3Given0)).as("x3 depends on x2 here").isGreaterThan(0.1);
    }
    boolean[] prefixMissing = new boolean[d];
    prefixMissing[0] = true;
    assertThatThrownBy(() -> made.conditionalMean(new float[d], prefixMissing, 1))
        .hasMessageContaining("item 0: value 1 is observed after missing value 0").hasMessageContaining("bottom-half");
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void theMasksZeroTheGradientOfEveryCutConnectionAndKeepTheRest() {
    int d = 5;
    Made made = sharpened(new MadeSpec(List.of(6), ActivationName.TANH, null, null, 1L), d, 7, 1f);
    var parameters = made.parameters();
    try (NDManager scope = manager.newSubManager()) {
      NDArray data = scope.create(new float[] {1, 0, 1, 1, 0, 0, 1, 1, 0, 1}, new Shape(2, d));
      try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        collector.backward(made.logLikelihood(data).sum().neg());
      }
      MadeMasks masks = new MadeMasks(d, List.of(6), 1L);
      int weightIndex = 0;
      for (var entry : parameters) {
        if (!entry.getKey().endsWith("weight")) {
          continue;
        }
        NDArray weight = entry.getValue().getArray();
        float[] gradient = weight.getGradient().toFloatArray();
        float[] mask = weightIndex == 0 ? masks.hiddenMask(0) : masks.outputMask(1);
        int cut = 0;
        for (int i = 0; i < mask.length; i++) {
          if (mask[i] == 0f) {
            assertThat(gradient[i]).as("%s[%d], a cut connection", entry.getKey(), i).isZero();
            cut++;
          }
        }
        assertThat(cut).isPositive();
        // One kept weight against a central difference of the loss.
        int kept = 0;
        while (mask[kept] == 0f) {
          kept++;
        }
        float h = 1e-2f;
        float[] values = weight.toFloatArray();
        values[kept] += h;
        weight.set(values);
        double plus = -made.logLikelihood(data).sum().getFloat();
        values[kept] -= 2 * h;
        weight.set(values);
        double minus = -made.logLikelihood(data).sum().getFloat();
        values[kept] += h;
        weight.set(values);
        assertThat(gradient[kept]).as("%s[%d]", entry.getKey(), kept)
            .isCloseTo((float) ((plus - minus) / (2 * h)), within(2e-2f + 0.02f * Math.abs(gradient[kept])));
        weightIndex++;
      }
      assertThat(weightIndex).isEqualTo(2);
    }
  }

  @Test
  void badSettingsNameTheField() {
    assertThatThrownBy(() -> new MadeSpec(List.of(0), null, null, null, null))
        .hasMessageContaining("hidden[0]");
    assertThatThrownBy(() -> new MadeSpec(null, null, MadeSpec.Likelihood.BERNOULLI, 0.1, null))
        .hasMessageContaining("min_sigma").hasMessageContaining("gaussian");
    assertThatThrownBy(() -> new MadeSpec(null, null, MadeSpec.Likelihood.GAUSSIAN, -1.0, null))
        .hasMessageContaining("min_sigma");
    assertThatThrownBy(() -> MadeSpec.Likelihood.parse("poisson")).hasMessageContaining("bernoulli or gaussian");
  }
}
