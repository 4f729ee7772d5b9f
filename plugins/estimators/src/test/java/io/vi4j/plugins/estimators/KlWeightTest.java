package io.vi4j.plugins.estimators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.StandardNormalTestPrior;
import io.vi4j.core.testing.gradient.ConjugateProblem;
import io.vi4j.core.testing.gradient.GaussianFamily;
import io.vi4j.core.testing.gradient.GradientTestKit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KL weight β (KL annealing, warm-up, β-VAE) in the built-in estimators: the gradient is that of
 * {@code E_q log p(x|t) − β·KL}, and the value reported stays the unweighted −ELBO.
 */
class KlWeightTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.load();

  /** The diagonal Gaussian with its closed-form KL hidden, so that estimators take their Monte-Carlo branch. */
  private static final GaussianFamily WITHOUT_CLOSED_FORM_KL = new GaussianFamily() {
    @Override
    public String name() {
      return "diagonal Gaussian without a closed-form KL";
    }

    @Override
    public Distribution distribution(NDArray mean, NDArray logVariance) {
      return new NoClosedFormKl(new DiagonalGaussian(mean, logVariance));
    }

    @Override
    public Set<Capability> capabilities() {
      return GradientTestKit.DIAGONAL_GAUSSIAN.capabilities();
    }
  };

  /** A distribution that knows no closed-form KL and delegates everything else. */
  private record NoClosedFormKl(Distribution inner) implements Distribution {
    @Override
    public long eventSize() {
      return inner.eventSize();
    }

    @Override
    public NDArray logProb(NDArray value) {
      return inner.logProb(value);
    }

    @Override
    public NDArray sample(int k) {
      return inner.sample(k);
    }

    @Override
    public NDArray rsample(int k) {
      return inner.rsample(k);
    }

    @Override
    public Distribution detached() {
      return new NoClosedFormKl(inner.detached());
    }

    @Override
    public Set<Capability> capabilities() {
      return inner.capabilities();
    }
  }

  private static GradientEstimator build(EstimatorSpec spec, ConjugateProblem problem, NDManager manager) {
    return REGISTRY.create(ComponentKind.ESTIMATOR, spec,
        new BuildContext(problem.dataDimension(), problem.latentDimension(), manager, null));
  }

  static Stream<Arguments> weightedEstimators() {
    List<EstimatorSpec> specs = List.of(
        new ReparameterizationSpec(1),
        new PathDerivativeSpec(1),
        new ScoreFunctionSpec(4, ControlVariate.LEAVE_ONE_OUT, null),
        new ScoreFunctionSpec(2, ControlVariate.INPUT_DEPENDENT, null, List.of(8)));
    // The learned baseline is the slowest (4-5 s a check): once with the closed-form KL, once without.
    return specs.stream().flatMap(spec -> Stream.of(
            Arguments.of(spec, GradientTestKit.DIAGONAL_GAUSSIAN, 0.0),
            Arguments.of(spec, GradientTestKit.DIAGONAL_GAUSSIAN, 0.5),
            Arguments.of(spec, WITHOUT_CLOSED_FORM_KL, 0.5)))
        .filter(a -> !(a.get()[0] instanceof ScoreFunctionSpec s && s.controlVariate() == ControlVariate.INPUT_DEPENDENT
            && a.get()[2].equals(0.5) && a.get()[1] == GradientTestKit.DIAGONAL_GAUSSIAN));
  }

  @ParameterizedTest(name = "{0}, {1}, β = {2}")
  @MethodSource("weightedEstimators")
  void meanGradientMatchesTheClosedFormOfTheWeightedObjective(EstimatorSpec spec, GaussianFamily family, double beta) {
    ConjugateProblem problem = GradientTestKit.linearGaussian();
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      GradientEstimator estimator = build(spec, problem, manager);
      assertThat(estimator.supportsKlWeight()).isTrue();
      int draws = spec instanceof ScoreFunctionSpec ? 3000 : 1000;
      GradientTestKit.Result result = GradientTestKit.check(estimator, family, problem, draws, 17, beta);
      assertThat(result.worstZ()).isLessThan(result.z());
    }
  }

  /**
   * With the same noise, the gradient at β differs from the unweighted one by exactly {@code (1 − β)} times
   * the closed-form KL gradient ({@code ∂KL/∂μ = μ}, {@code ∂KL/∂v = (e^v − 1)/2}): at β = 0 the KL's
   * gradient is absent and the rest of the gradient is untouched.
   */
  @Test
  void atTheSameNoiseTheGradientMovesByExactlyTheWeightedKlGradient() {
    ConjugateProblem problem = GradientTestKit.quadratic();
    for (EstimatorSpec spec : List.of(new ReparameterizationSpec(2), new ScoreFunctionSpec(3, ControlVariate.NONE, null))) {
      for (double beta : new double[] {0.0, 0.3}) {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
          GradientEstimator estimator = build(spec, problem, manager);
          GradientTestKit.Result weighted =
              GradientTestKit.measure(estimator, GradientTestKit.DIAGONAL_GAUSSIAN, problem, 1, 5, beta);
          GradientTestKit.Result plain =
              GradientTestKit.measure(estimator, GradientTestKit.DIAGONAL_GAUSSIAN, problem, 1, 5, 1.0);
          for (int i = 0; i < plain.mean().length; i++) {
            double klPart = weighted.analytic()[i] - plain.analytic()[i]; // (1 − β)·∂KL
            assertThat(klPart).as("the KL gradient is not zero at the kit's point").isNotCloseTo(0, within(1e-3));
            assertThat(weighted.mean()[i] - plain.mean()[i]).as(spec + ", β = " + beta + ", coordinate " + i)
                .isCloseTo(klPart, within(2e-5 * (1 + Math.abs(plain.mean()[i]))));
          }
        }
      }
    }
  }

  @Test
  void theReportedLossReconstructionAndKlAreTheUnweightedNegativeElbo() {
    ConjugateProblem problem = GradientTestKit.linearGaussian();
    for (EstimatorSpec spec : List.of(new ReparameterizationSpec(2), new PathDerivativeSpec(2),
        new ScoreFunctionSpec(3, ControlVariate.LEAVE_ONE_OUT, null))) {
      try (NDManager manager = Engines.pytorch().newBaseManager()) {
        GradientEstimator estimator = build(spec, problem, manager);
        LatentVariableModel model = fixedPosteriorModel(problem, manager);
        NDArray batch = manager.create(problem.item(), new Shape(1, problem.dataDimension())).repeat(0, 3);
        Engines.seed(9);
        ElboEstimate plain = estimator.estimate(model, batch);
        float[] plainFigures = figures(plain);
        Engines.seed(9);
        ElboEstimate weighted = estimator.estimate(model, batch, 0.25);
        assertThat(figures(weighted)).as(spec.toString()).containsExactly(plainFigures);
      }
    }
  }

  @Test
  void theAutoencoderLossRefusesAKlWeightOtherThanOne() {
    ConjugateProblem problem = GradientTestKit.linearGaussian();
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      GradientEstimator autoencoder = build(new AutoencoderSpec(), problem, manager);
      assertThat(autoencoder.supportsKlWeight()).isFalse();
      LatentVariableModel model = fixedPosteriorModel(problem, manager);
      NDArray batch = manager.create(problem.item(), new Shape(1, problem.dataDimension()));
      assertThat(autoencoder.estimate(model, batch, 1.0).loss().getFloat()).isFinite();
      assertThatThrownBy(() -> autoencoder.estimate(model, batch, 0.5))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("AutoencoderLoss does not weight the KL term (β = 0.5)");
      GradientEstimator reparameterization = build(new ReparameterizationSpec(1), problem, manager);
      assertThatThrownBy(() -> reparameterization.estimate(model, batch, -0.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the KL weight β must be a finite number ≥ 0, got -0.5");
    }
  }

  private static float[] figures(ElboEstimate e) {
    float[] reconstruction = e.reconstruction().toFloatArray();
    float[] kl = e.kl().toFloatArray();
    float[] out = new float[1 + reconstruction.length + kl.length];
    out[0] = e.loss().getFloat();
    System.arraycopy(reconstruction, 0, out, 1, reconstruction.length);
    System.arraycopy(kl, 0, out, 1 + reconstruction.length, kl.length);
    return out;
  }

  /** The problem's likelihood with a fixed diagonal-Gaussian posterior N(0.3, e^−0.4) per coordinate. */
  private static LatentVariableModel fixedPosteriorModel(ConjugateProblem problem, NDManager manager) {
    int l = problem.latentDimension();
    NDArray mean = manager.full(new Shape(1, l), 0.3f);
    NDArray logVariance = manager.full(new Shape(1, l), -0.4f);
    io.vi4j.api.model.VariationalFamily encoder = new io.vi4j.api.model.VariationalFamily() {
      @Override
      public Distribution posterior(NDArray data) {
        NDArray zeros = data.getManager().zeros(new Shape(data.getShape().get(0), l));
        return new DiagonalGaussian(zeros.add(mean), zeros.add(logVariance));
      }

      @Override
      public Set<Capability> posteriorCapabilities() {
        return GradientTestKit.DIAGONAL_GAUSSIAN.capabilities();
      }

      @Override
      public Optional<ai.djl.nn.Block> network() {
        return Optional.empty();
      }
    };
    return new LatentVariableModel(new StandardNormalTestPrior(l), encoder, problem.likelihood(), problem.dataDimension());
  }
}
