package io.vi4j.plugins.estimators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.api.kit.elbo.ElboTerms;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.gradient.ConjugateProblem;
import io.vi4j.core.testing.gradient.GradientTestKit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in estimator (each control variate) × the built-in family × both conjugate problems. */
class GradientKitTest {

  static Stream<Arguments> estimatorsAndProblems() {
    List<EstimatorSpec> specs = List.of(
        new ReparameterizationSpec(1),
        new ReparameterizationSpec(3),
        new PathDerivativeSpec(1),
        new ScoreFunctionSpec(4, ControlVariate.NONE, null),
        new ScoreFunctionSpec(4, ControlVariate.MOVING_AVERAGE, 0.9),
        new ScoreFunctionSpec(4, ControlVariate.LEAVE_ONE_OUT, null),
        new ScoreFunctionSpec(1, ControlVariate.BATCH_LEAVE_ONE_OUT, null),
        new ScoreFunctionSpec(2, ControlVariate.INPUT_DEPENDENT, null, java.util.List.of(8)));
    return specs.stream().flatMap(spec -> Stream.of(
        Arguments.of(spec, GradientTestKit.linearGaussian()),
        Arguments.of(spec, GradientTestKit.quadratic())));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("estimatorsAndProblems")
  void meanGradientMatchesTheClosedForm(EstimatorSpec spec, ConjugateProblem problem) {
    PluginRegistry registry = PluginRegistry.load();
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      GradientEstimator estimator = registry.create(
          ComponentKind.ESTIMATOR, spec, new BuildContext(problem.dataDimension(), problem.latentDimension(), manager, null));
      int draws = spec instanceof ScoreFunctionSpec ? 3000 : 1000;
      GradientTestKit.Result result =
          GradientTestKit.check(estimator, GradientTestKit.DIAGONAL_GAUSSIAN, problem, draws, 17);
      assertThat(result.worstZ()).isLessThan(result.z());
    }
  }

  /** Reparameterization with the KL's gradient dropped: a biased estimator the kit must catch. */
  static final class DroppedKlGradient implements GradientEstimator {
    @Override
    public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
      ElboTerms terms = ElboTerms.estimate(model, batch, 1, true);
      NDArray loss = terms.reconstruction().add(terms.kl().stopGradient()).mean();
      return new ElboEstimate(loss, terms.reconstruction().stopGradient(), terms.kl().stopGradient());
    }

    @Override
    public Set<Capability> requiredPosteriorCapabilities() {
      return EnumSet.of(Capability.RSAMPLE);
    }
  }

  @Test
  void aBiasedEstimatorFailsTheKit() {
    assertThatThrownBy(() -> GradientTestKit.check(
            new DroppedKlGradient(), GradientTestKit.DIAGONAL_GAUSSIAN, GradientTestKit.linearGaussian(), 1000, 17))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("DroppedKlGradient")
        .hasMessageContaining("closed form");
  }
}
