package io.vi4j.plugins.encoders;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.testing.ReparameterizedTestEstimator;
import io.vi4j.core.testing.gradient.ConjugateProblem;
import io.vi4j.core.testing.gradient.GaussianFamily;
import io.vi4j.core.testing.gradient.GradientTestKit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The full-covariance family in the gradient test kit: the kit's closed forms are in a diagonal Gaussian's
 * {@code (μ, log σ²)}, so the family enters with a zero strictly-lower triangle ({@code L = diag σ}, built by
 * the encoder's own placement), once with its analytic KL and once with the KL left to Monte Carlo
 * ({@code log q} through {@code L⁻¹}); the log-density's gradient in its value is checked with a full
 * triangle. (The planar flow has no member in the kit's parameterization: û is never 0, so it is tested by
 * its numeric Jacobian instead.)
 */
class FullCovarianceGradientKitTest {

  /** {@code N(μ, L Lᵀ)} with {@code log diag L = ½ log σ²} and no off-diagonal entries. */
  private static GaussianFamily family(NDManager manager, boolean analyticKl, int l) {
    // one encoder for its placement constants (the kit asks for thousands of distributions)
    var encoder = new FullCovarianceMlpEncoder(manager, new Shape(1), l, new FullCovarianceMlpEncoderSpec(List.of(1), null, null, FullCovarianceMlpEncoderSpec.TriangleInit.UNIFORM));
    return new GaussianFamily() {
      @Override
      public String name() {
        return analyticKl ? "full covariance (analytic KL)" : "full covariance (Monte Carlo KL)";
      }

      @Override
      public Distribution distribution(NDArray mean, NDArray logVariance) {
        NDArray logDiagonal = io.vi4j.api.kit.math.NdMath.times(logVariance, 0.5);
        NDArray triangle = mean.getManager().zeros(new Shape(mean.getShape().get(0), (long) l * (l - 1) / 2));
        FullCovarianceGaussian q = encoder.assemble(mean, logDiagonal, triangle);
        return analyticKl ? q : withoutClosedFormKl(q);
      }

      @Override
      public Set<Capability> capabilities() {
        return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.ENTROPY);
      }
    };
  }

  /** The same distribution with no analytic KL, so that the ELBO's KL is {@code log q − log p} of its draws. */
  private static Distribution withoutClosedFormKl(FullCovarianceGaussian q) {
    return new Distribution() {
      @Override
      public long eventSize() {
        return q.eventSize();
      }

      @Override
      public NDArray logProb(NDArray value) {
        return q.logProb(value);
      }

      @Override
      public NDArray sample(int k) {
        return q.sample(k);
      }

      @Override
      public NDArray rsample(int k) {
        return q.rsample(k);
      }

      @Override
      public Set<Capability> capabilities() {
        return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE);
      }

      @Override
      public Optional<NDArray> analyticKl(Distribution other) {
        return Optional.empty();
      }
    };
  }

  static Stream<Arguments> problems() {
    return Stream.of(true, false).flatMap(analytic -> Stream.of(
        Arguments.of(analytic, GradientTestKit.linearGaussian()), Arguments.of(analytic, GradientTestKit.quadratic())));
  }

  @ParameterizedTest(name = "analytic KL {0} on {1}")
  @MethodSource("problems")
  void reparameterizedGradientMatchesTheClosedForm(boolean analyticKl, ConjugateProblem problem) {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      GradientTestKit.Result result = GradientTestKit.check(
          new ReparameterizedTestEstimator(), family(manager, analyticKl, problem.latentDimension()), problem,
          analyticKl ? 1000 : 500, 17); // the Monte Carlo KL inverts L per draw: fewer draws, the z-test widens with them
      assertThat(result.worstZ()).isLessThan(result.z());
    }
  }

  @Test
  void logDensityGradientInTheValueMatchesFiniteDifferencesWithAFullTriangle() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      var encoder = new FullCovarianceMlpEncoder(m, new Shape(1), 3, new FullCovarianceMlpEncoderSpec(List.of(1), null, null, FullCovarianceMlpEncoderSpec.TriangleInit.UNIFORM));
      FullCovarianceGaussian q = encoder.assemble(m.create(new float[] {0.3f, -0.2f, 0.5f}, new Shape(1, 3)),
          m.create(new float[] {0.1f, -0.4f, 0.2f}, new Shape(1, 3)),
          m.create(new float[] {0.7f, -0.3f, 0.5f}, new Shape(1, 3)));
      GradientTestKit.checkLogDensityGradient(q, new float[] {0f, 0f, 0f, 1.2f, -0.8f, 0.4f, -1.5f, 0.6f, 2.0f}, 1e-2);
    }
  }
}
