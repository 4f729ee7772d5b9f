package io.vi4j.plugins.priors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Prior;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.gradient.GradientTestKit;
import org.junit.jupiter.api.Test;

/**
 * The {@code mixture} prior against its density computed on the host in double precision: log-density,
 * its gradient in the value (finite differences) and in the means (closed form), and the moments of its
 * draws.
 */
class MixtureOfGaussiansPriorTest {
  private static final int K = 3;
  private static final int L = 2;
  private static final float[] MEANS = {-1.5f, 0.5f, 0.0f, 0.0f, 2.0f, -1.0f};
  private static final float[] LOG_VARIANCES = {-0.5f, 0.2f, 0.0f, 0.3f, -1.0f, 0.1f};
  private static final float[] LOGITS = {0.3f, -0.2f, 0.8f};
  private static final float[] POINTS = {0.3f, -1.2f, 2.0f, 0.7f, -0.4f, 0.05f, -1.6f, 0.4f};

  private static MixtureOfGaussiansPrior prior(NDManager manager) {
    Engines.seed(7);
    Prior built = PluginRegistry.load().create(
        ComponentKind.PRIOR, new MixturePriorSpec(K), new BuildContext(10, L, manager, null));
    MixtureOfGaussiansPrior prior = (MixtureOfGaussiansPrior) built;
    prior.parameters().get("means").getArray().set(MEANS);
    prior.parameters().get("log_variances").getArray().set(LOG_VARIANCES);
    prior.parameters().get("logits").getArray().set(LOGITS);
    return prior;
  }

  private static double[] weights() {
    double max = Math.max(LOGITS[0], Math.max(LOGITS[1], LOGITS[2]));
    double[] w = new double[K];
    double total = 0;
    for (int k = 0; k < K; k++) {
      w[k] = Math.exp(LOGITS[k] - max);
      total += w[k];
    }
    for (int k = 0; k < K; k++) {
      w[k] /= total;
    }
    return w;
  }

  /** @return {@code π_k N(t; μ_k, σ_k²)} for each component, double precision */
  private static double[] weighted(float[] points, int n) {
    double[] w = weights();
    double[] out = new double[K];
    for (int k = 0; k < K; k++) {
      double log = Math.log(w[k]);
      for (int j = 0; j < L; j++) {
        double v = LOG_VARIANCES[k * L + j];
        double d = points[n * L + j] - MEANS[k * L + j];
        log += -0.5 * (d * d / Math.exp(v) + v + Math.log(2 * Math.PI));
      }
      out[k] = Math.exp(log);
    }
    return out;
  }

  @Test
  void logDensityMatchesTheHostMixtureInDoublePrecisionAndItsGradientsAreRight() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      MixtureOfGaussiansPrior prior = prior(manager);
      int n = POINTS.length / L;
      float[] logp;
      float[] meanGradient;
      try (NDManager step = manager.newSubManager(); GradientCollector collector = Engines.pytorch().newGradientCollector()) {
        NDArray t = step.create(POINTS, new Shape(n, L));
        NDArray density = prior.distribution(step, n).logProb(t);
        logp = density.toFloatArray();
        collector.backward(density.sum());
        NDArray g = prior.parameters().get("means").getArray().getGradient();
        meanGradient = g.toFloatArray();
        g.close();
      }
      double[] expectedGradient = new double[K * L];
      for (int i = 0; i < n; i++) {
        double[] c = weighted(POINTS, i);
        double total = c[0] + c[1] + c[2];
        assertThat((double) logp[i]).as("log p(t_%d)", i).isCloseTo(Math.log(total), within(1e-5));
        for (int k = 0; k < K; k++) {
          for (int j = 0; j < L; j++) {
            // d log p / d μ_kj = r_k (t_j − μ_kj) / σ_kj², r_k the responsibility of component k
            expectedGradient[k * L + j] += c[k] / total * (POINTS[i * L + j] - MEANS[k * L + j])
                / Math.exp(LOG_VARIANCES[k * L + j]);
          }
        }
      }
      for (int i = 0; i < K * L; i++) {
        assertThat((double) meanGradient[i]).as("d/dμ[%d]", i).isCloseTo(expectedGradient[i], within(1e-4));
      }
      try (NDManager step = manager.newSubManager()) {
        GradientTestKit.checkLogDensityGradient(prior.distribution(step, n), POINTS, 1e-2);
      }
    }
  }

  @Test
  void drawsHaveTheMixturesMeanAndSecondMoment() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      MixtureOfGaussiansPrior prior = prior(manager);
      double[] w = weights();
      try (NDManager step = manager.newSubManager()) {
        Distribution p = prior.distribution(step, 4);
        NDArray draws = p.sample(50_000);
        assertThat(draws.getShape().getShape()).containsExactly(50_000, 4, L);
        float[] mean = draws.reshape(-1, L).mean(new int[] {0}).toFloatArray();
        float[] second = draws.square().reshape(-1, L).mean(new int[] {0}).toFloatArray();
        float[] closedMean = p.mean().orElseThrow().toFloatArray();
        for (int j = 0; j < L; j++) {
          double m = 0;
          double s = 0;
          for (int k = 0; k < K; k++) {
            m += w[k] * MEANS[k * L + j];
            s += w[k] * (Math.exp(LOG_VARIANCES[k * L + j]) + MEANS[k * L + j] * MEANS[k * L + j]);
          }
          assertThat((double) mean[j]).isCloseTo(m, within(0.02));
          assertThat((double) second[j]).isCloseTo(s, within(0.05));
          assertThat((double) closedMean[j]).isCloseTo(m, within(1e-5));
        }
      }
    }
  }

  @Test
  void componentsAreSeededAndDistinctAndZeroComponentsIsAConfigError() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Engines.seed(3);
      float[] a = new MixtureOfGaussiansPrior(manager, 4, 2).parameters().get("means").getArray().toFloatArray();
      Engines.seed(3);
      float[] b = new MixtureOfGaussiansPrior(manager, 4, 2).parameters().get("means").getArray().toFloatArray();
      assertThat(a).containsExactly(b);
      assertThat(a[0]).isNotEqualTo(a[2]);
    }
    assertThat(new MixturePriorSpec(null).components()).isEqualTo(10);
    assertThatThrownBy(() -> new MixturePriorSpec(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("components must be at least 1, got 0");
  }
}
