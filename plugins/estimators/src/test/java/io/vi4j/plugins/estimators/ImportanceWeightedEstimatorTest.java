package io.vi4j.plugins.estimators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Support;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.core.config.ConfigException;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.StandardNormalTestPrior;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@code iwae} estimator's config, what it reports, and its decoder gradient: on
 * {@code x | t ~ N(W t + c, σ² I)} with a learned offset {@code c}, both gradients must give {@code c}
 * the same {@code Σ_j w̃_j ∇_c log p(x | t_j)} at the same draws, and its mean must be the gradient of
 * {@code L_k} with respect to {@code c}.
 */
class ImportanceWeightedEstimatorTest {
  private static final double[][] W = {{1.0, 0.3}, {-0.5, 0.8}, {0.2, -1.1}};
  private static final double[] C = {0.1, 0.0, -0.2};
  private static final double SIGMA = 0.8;
  private static final double[] X = {0.9, -0.4, 0.5};
  private static final double[] MEAN = {0.4, -0.7};
  private static final double[] LOG_VARIANCE = {-0.6, 0.3};
  private static final int ITEMS = 4;

  private final PluginRegistry registry = PluginRegistry.load();
  private final ConfigLoader loader = new ConfigLoader(registry);

  @Test
  void configDefaultsToFiveSamplesAndTheStandardGradient() {
    EstimatorSpec spec = loader.parseSection("{type: iwae}", EstimatorSpec.class, "estimator");
    assertThat(spec).isEqualTo(new IwaeSpec(5, IwaeGradient.STANDARD));
    assertThat(loader.parseSection("{type: iwae, samples: 8, gradient: dreg}", EstimatorSpec.class, "estimator"))
        .isEqualTo(new IwaeSpec(8, IwaeGradient.DREG));
    GradientEstimator estimator = registry.create(ComponentKind.ESTIMATOR, new IwaeSpec(8, IwaeGradient.DREG),
        new BuildContext(3, 2, null, null));
    assertThat(estimator).isInstanceOf(ImportanceWeightedEstimator.class);
    assertThat(estimator.samplesPerItem()).isEqualTo(8);
    assertThat(estimator.requiredPosteriorCapabilities())
        .containsExactlyInAnyOrder(Capability.RSAMPLE, Capability.DENSITY, Capability.DETACH);
    assertThat(new ImportanceWeightedEstimator(3, IwaeGradient.STANDARD).requiredPosteriorCapabilities())
        .containsExactlyInAnyOrder(Capability.RSAMPLE, Capability.DENSITY);
  }

  @Test
  void fewerThanOneSampleOrAnUnknownGradientIsAConfigErrorNamingTheField() {
    assertThatThrownBy(() -> loader.parseSection("{type: iwae, samples: 0}", EstimatorSpec.class, "estimator"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("samples must be at least 1, got 0");
    assertThatThrownBy(() -> loader.parseSection("{type: iwae, gradient: drag}", EstimatorSpec.class, "estimator"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gradient")
        .hasMessageContaining("standard, dreg");
    assertThatThrownBy(() -> new IwaeSpec(-2, null)).hasMessage("samples must be at least 1, got -2");
  }

  @Test
  void itReportsTheSameNegativeElboAsEveryEstimatorNotTheBound() {
    for (IwaeGradient gradient : IwaeGradient.values()) {
      try (NDManager manager = Engines.pytorch().newBaseManager()) {
        Engines.seed(3);
        Model model = new Model(manager);
        try (NDManager step = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          ElboEstimate estimate = new ImportanceWeightedEstimator(5, gradient).estimate(model.model, model.batch(step));
          collector.backward(estimate.loss());
          float[] reconstruction = estimate.reconstruction().toFloatArray();
          float[] kl = estimate.kl().toFloatArray();
          double negativeElbo = 0;
          for (int i = 0; i < ITEMS; i++) {
            negativeElbo += (reconstruction[i] + kl[i]) / ITEMS;
            assertThat((double) kl[i]).as(gradient + ": analytic KL").isCloseTo(analyticKl(), within(1e-5));
          }
          assertThat((double) estimate.loss().getFloat()).as(gradient.configName()).isCloseTo(negativeElbo, within(1e-4));
        }
      }
    }
  }

  @Test
  void bothGradientsGiveTheDecoderTheSameGradientAtTheSameDrawsAndItsMeanIsThatOfTheBound() {
    int draws = 200;
    int k = 5;
    double[][] decoder = new double[2][3 * draws];
    double encoderDifference = 0;
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Model model = new Model(manager);
      for (int r = 0; r < draws; r++) {
        float[][] encoder = new float[2][];
        for (IwaeGradient gradient : IwaeGradient.values()) {
          Engines.seed(Engines.fold(29, r)); // the same draws for both
          try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
              collector.backward(new ImportanceWeightedEstimator(k, gradient).estimate(model.model, model.batch(step)).loss());
            }
            float[] g = take(model.offset);
            for (int d = 0; d < 3; d++) {
              decoder[gradient.ordinal()][3 * r + d] = -g[d]; // the loss is the negative objective
            }
            encoder[gradient.ordinal()] = take(model.mean);
            take(model.logVariance);
          }
        }
        for (int d = 0; d < 3; d++) {
          assertThat(decoder[1][3 * r + d]).as("draw %d, ∂/∂c[%d]", r, d)
              .isCloseTo(decoder[0][3 * r + d], within(1e-4 * (1 + Math.abs(decoder[0][3 * r + d]))));
        }
        for (int l = 0; l < 2; l++) {
          encoderDifference = Math.max(encoderDifference, Math.abs(encoder[0][l] - encoder[1][l]));
        }
      }
    }
    // The encoder's gradients do differ (w̃ against w̃² on the path): the decoder's agreement is not trivial.
    assertThat(encoderDifference).isGreaterThan(1e-2);
    double[][] exact = offsetGradientOfTheBound(k, 1 << 18, 31);
    double z = 3.5 + Math.log(3) / 2;
    for (int d = 0; d < 3; d++) {
      double sum = 0;
      double squares = 0;
      for (int r = 0; r < draws; r++) {
        sum += decoder[0][3 * r + d];
        squares += decoder[0][3 * r + d] * decoder[0][3 * r + d];
      }
      double mean = sum / draws;
      double se = Math.sqrt((squares / draws - mean * mean) / (draws - 1));
      assertThat(mean).as("mean ∂L_%d/∂c[%d]", k, d).isCloseTo(exact[0][d], within(z * Math.hypot(se, exact[1][d])));
    }
  }

  /**
   * {@code ∂L_k/∂c = E Σ_j w̃_j (x − W t_j − c)/σ²}, {@code t_j ~ q}, on the host in double precision.
   *
   * @return the mean and its standard error, each length {@code D}
   */
  private static double[][] offsetGradientOfTheBound(int k, int sets, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] sum = new double[3];
    double[] squares = new double[3];
    double[][] residual = new double[k][3];
    double[] logWeight = new double[k];
    double[] t = new double[2];
    for (int n = 0; n < sets; n++) {
      double largest = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        double log = 0;
        for (int l = 0; l < 2; l++) {
          double e = random.nextGaussian();
          t[l] = MEAN[l] + Math.exp(LOG_VARIANCE[l] / 2) * e;
          log += 0.5 * (e * e - t[l] * t[l]); // log N(t; 0, 1) − log q(t) up to a constant
        }
        for (int d = 0; d < 3; d++) {
          residual[j][d] = X[d] - C[d] - W[d][0] * t[0] - W[d][1] * t[1];
          log -= residual[j][d] * residual[j][d] / (2 * SIGMA * SIGMA);
        }
        logWeight[j] = log;
        largest = Math.max(largest, log);
      }
      double total = 0;
      for (int j = 0; j < k; j++) {
        logWeight[j] = Math.exp(logWeight[j] - largest);
        total += logWeight[j];
      }
      for (int d = 0; d < 3; d++) {
        double g = 0;
        for (int j = 0; j < k; j++) {
          g += logWeight[j] / total * residual[j][d] / (SIGMA * SIGMA);
        }
        sum[d] += g;
        squares[d] += g * g;
      }
    }
    double[][] out = new double[2][3];
    for (int d = 0; d < 3; d++) {
      out[0][d] = sum[d] / sets;
      out[1][d] = Math.sqrt((squares[d] / sets - out[0][d] * out[0][d]) / (sets - 1));
    }
    return out;
  }

  /** {@code KL(N(μ, e^v) ‖ N(0, I)) = ½ Σ (e^v + μ² − 1 − v)}. */
  private static double analyticKl() {
    double kl = 0;
    for (int l = 0; l < 2; l++) {
      kl += 0.5 * (Math.exp(LOG_VARIANCE[l]) + MEAN[l] * MEAN[l] - 1 - LOG_VARIANCE[l]);
    }
    return kl;
  }

  /** Reads a parameter's gradient and clears it. */
  private static float[] take(NDArray parameter) {
    try (NDArray gradient = parameter.getGradient()) {
      float[] values = gradient.toFloatArray();
      gradient.muli(0);
      return values;
    }
  }

  /** The linear-Gaussian model with learned {@code μ}, {@code v} (the encoder) and offset {@code c} (the decoder). */
  private static final class Model {
    final NDArray mean;
    final NDArray logVariance;
    final NDArray offset;
    final LatentVariableModel model;

    Model(NDManager manager) {
      mean = manager.create(toFloat(MEAN)).reshape(1, 2);
      logVariance = manager.create(toFloat(LOG_VARIANCE)).reshape(1, 2);
      offset = manager.create(toFloat(C));
      mean.setRequiresGradient(true);
      logVariance.setRequiresGradient(true);
      offset.setRequiresGradient(true);
      VariationalFamily encoder = new VariationalFamily() {
        @Override
        public Distribution posterior(NDArray data) {
          NDArray zeros = data.getManager().zeros(new Shape(data.getShape().get(0), 2));
          return new DiagonalGaussian(zeros.add(mean), zeros.add(logVariance));
        }

        @Override
        public Set<Capability> posteriorCapabilities() {
          return EnumSet.allOf(Capability.class);
        }
      };
      Likelihood decoder = new Likelihood() {
        @Override
        public Distribution conditional(NDArray latent) {
          NDManager m = latent.getManager();
          float[] w = new float[6];
          for (int d = 0; d < 3; d++) {
            w[2 * d] = (float) W[d][0];
            w[2 * d + 1] = (float) W[d][1];
          }
          NDArray location = latent.matMul(m.create(w, new Shape(3, 2)).transpose()).add(offset);
          return new DiagonalGaussian(location, m.full(new Shape(3), (float) (2 * Math.log(SIGMA))));
        }

        @Override
        public Support support() {
          return Support.REAL;
        }
      };
      model = new LatentVariableModel(new StandardNormalTestPrior(2), encoder, decoder, 3);
    }

    /** @return {@code ITEMS} copies of {@code x}, shape {@code (ITEMS, 3)}, on {@code step} */
    NDArray batch(NDManager step) {
      float[] copies = new float[3 * ITEMS];
      for (int i = 0; i < ITEMS; i++) {
        System.arraycopy(toFloat(X), 0, copies, 3 * i, 3);
      }
      return step.create(copies, new Shape(ITEMS, 3));
    }
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
