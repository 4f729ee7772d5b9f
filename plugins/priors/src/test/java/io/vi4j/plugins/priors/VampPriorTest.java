package io.vi4j.plugins.priors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.TinyMlpModel;
import io.vi4j.core.testing.gradient.GradientTestKit;
import org.junit.jupiter.api.Test;

/**
 * The {@code vamp} prior against the mixture of the encoder's posteriors of its pseudo-inputs computed on the
 * host in double precision, its gradients, and its errors.
 */
class VampPriorTest {
  private static final int D = 6;
  private static final int L = 2;
  private static final int K = 4;
  private static final float[] POINTS = {0.3f, -1.2f, 2.0f, 0.7f, -0.4f, 0.05f};

  @Test
  void logDensityIsTheMeanOfTheEncodersPosteriorsAtThePseudoInputs() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Engines.seed(11);
      LatentVariableModel vae = TinyMlpModel.build(manager, D, L, 8);
      VampPrior prior = (VampPrior) PluginRegistry.load().create(
          ComponentKind.PRIOR, new VampPriorSpec(K), new BuildContext(D, L, manager, null, new int[] {D}, 50));
      prior.bindEncoder(vae.encoder());
      // Pseudo-inputs spread out, so that the components differ.
      NDArray u = prior.parameters().get("pseudo_inputs").getArray();
      u.set(manager.randomNormal(new Shape(K, D)).toFloatArray());
      float[] mu;
      float[] logVariance;
      try (NDManager step = manager.newSubManager()) {
        DiagonalGaussian q = (DiagonalGaussian) vae.encoder().posterior(step.zeros(new Shape(1)).add(u));
        mu = q.location().toFloatArray();
        logVariance = q.logVariance().toFloatArray();
      }
      int n = POINTS.length / L;
      float[] logp;
      try (NDManager step = manager.newSubManager(); GradientCollector collector = Engines.pytorch().newGradientCollector()) {
        NDArray density = prior.distribution(step, n).logProb(step.create(POINTS, new Shape(n, L)));
        logp = density.toFloatArray();
        collector.backward(density.sum());
        NDArray g = u.getGradient();
        assertThat(g.abs().sum().getFloat()).as("gradient reaches the pseudo-inputs").isGreaterThan(0f);
        g.close();
      }
      for (int i = 0; i < n; i++) {
        double total = 0;
        for (int k = 0; k < K; k++) {
          double log = 0;
          for (int j = 0; j < L; j++) {
            double v = logVariance[k * L + j];
            double d = POINTS[i * L + j] - mu[k * L + j];
            log += -0.5 * (d * d / Math.exp(v) + v + Math.log(2 * Math.PI));
          }
          total += Math.exp(log) / K;
        }
        assertThat((double) logp[i]).as("log p(t_%d)", i).isCloseTo(Math.log(total), within(1e-4));
      }
      try (NDManager step = manager.newSubManager()) {
        GradientTestKit.checkLogDensityGradient(prior.distribution(step, n), POINTS, 1e-2);
        NDArray draws = prior.distribution(step, 3).sample(5);
        assertThat(draws.getShape().getShape()).containsExactly(5, 3, L);
        assertThat(prior.distribution(step, 3).mean().orElseThrow().getShape().getShape()).containsExactly(3, L);
      }
    }
  }

  @Test
  void morePseudoInputsThanTrainingItemsIsAnErrorNamingTheField() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      assertThatThrownBy(() -> PluginRegistry.load().create(ComponentKind.PRIOR, new VampPriorSpec(500),
              new BuildContext(D, L, manager, null, new int[] {D}, 100)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pseudo_inputs: 500 pseudo-inputs, more than the 100 items of the training split");
      // Unknown training split size (0): no check, and the default is the paper's 500.
      VampPrior prior = (VampPrior) PluginRegistry.load().create(
          ComponentKind.PRIOR, new VampPriorSpec(null), new BuildContext(D, L, manager, null));
      assertThat(prior.count()).isEqualTo(500);
      assertThatThrownBy(() -> prior.distribution(manager, 1)).hasMessageContaining("bindEncoder");
    }
    assertThatThrownBy(() -> new VampPriorSpec(0)).hasMessage("pseudo_inputs must be at least 1, got 0");
  }
}
