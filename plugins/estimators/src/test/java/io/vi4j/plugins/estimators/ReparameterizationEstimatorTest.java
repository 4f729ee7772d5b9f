package io.vi4j.plugins.estimators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Prior;
import io.vi4j.api.model.Support;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.distribution.StandardNormal;
import io.vi4j.core.engine.Engines;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On {@code t ~ N(0,1)}, {@code x | t ~ N(t, 1)}, {@code q = N(m, e^v)}: the ELBO is
 * {@code −½log2π − ½((x−m)² + e^v) − KL}, so {@code ∂/∂m = x − 2m} and {@code ∂/∂v = −e^v + ½}. The
 * estimator's mean gradient over many draws must match within a tolerance computed from the draws.
 */
class ReparameterizationEstimatorTest {
  private static final float X = 1.3f;
  private static final float M = 0.4f;
  private static final float V = -0.6f;

  @Test
  void meanGradientMatchesTheAnalyticGradient() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Engines.seed(21);
      NDArray m = manager.create(new float[] {M}).reshape(1, 1);
      NDArray v = manager.create(new float[] {V}).reshape(1, 1);
      m.setRequiresGradient(true);
      v.setRequiresGradient(true);
      LatentVariableModel model = conjugateModel(m, v);
      int draws = 200;
      int samplesPerDraw = 1000;
      ReparameterizationEstimator estimator = new ReparameterizationEstimator(samplesPerDraw);
      double[] gm = new double[draws];
      double[] gv = new double[draws];
      for (int r = 0; r < draws; r++) {
        try (NDManager step = manager.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          ElboEstimate estimate = estimator.estimate(model, step.create(new float[] {X}).reshape(1, 1));
          gc.backward(estimate.loss());
          gm[r] = -m.getGradient().getFloat(0, 0); // loss is −ELBO
          gv[r] = -v.getGradient().getFloat(0, 0);
          gc.zeroGradients();
        }
      }
      assertMean(gm, X - 2 * M);
      assertMean(gv, -Math.exp(V) + 0.5);
    }
  }

  @Test
  void itNeedsAReparameterizedSampler() {
    assertThat(new ReparameterizationEstimator(1).requiredPosteriorCapabilities())
        .containsExactly(Capability.DENSITY, Capability.RSAMPLE);
  }

  private static void assertMean(double[] draws, double expected) {
    double mean = 0;
    for (double d : draws) {
      mean += d;
    }
    mean /= draws.length;
    double var = 0;
    for (double d : draws) {
      var += (d - mean) * (d - mean);
    }
    double se = Math.sqrt(var / (draws.length - 1) / draws.length);
    assertThat(mean).isCloseTo(expected, within(4 * se + 1e-4));
  }

  private static LatentVariableModel conjugateModel(NDArray m, NDArray v) {
    Prior prior = new Prior() {
      @Override
      public int latentDimension() {
        return 1;
      }

      @Override
      public Distribution distribution(NDManager manager, long batchSize) {
        return new StandardNormal(manager, batchSize, 1);
      }
    };
    VariationalFamily encoder = new VariationalFamily() {
      @Override
      public Distribution posterior(NDArray data) {
        return new DiagonalGaussian(m, v);
      }

      @Override
      public Set<Capability> posteriorCapabilities() {
        return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE);
      }
    };
    Likelihood decoder = new Likelihood() {
      @Override
      public Distribution conditional(NDArray latent) {
        return new DiagonalGaussian(latent, latent.getManager().zeros(new Shape(1)));
      }

      @Override
      public Support support() {
        return Support.REAL;
      }
    };
    return new LatentVariableModel(prior, encoder, decoder, 1);
  }
}
