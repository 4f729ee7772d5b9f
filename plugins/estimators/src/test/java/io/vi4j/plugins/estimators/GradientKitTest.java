package io.vi4j.plugins.estimators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.api.kit.elbo.ElboTerms;
import io.vi4j.api.kit.math.NdMath;
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

/**
 * Every built-in estimator (each control variate) × the built-in family × both conjugate problems, against
 * the ELBO's closed-form gradient; the {@code iwae} estimators also against the gradient of the bound
 * {@code L_k} they follow.
 */
class GradientKitTest {

  static Stream<Arguments> estimatorsAndProblems() {
    List<EstimatorSpec> specs = List.of(
        new ReparameterizationSpec(1),
        new ReparameterizationSpec(3),
        new PathDerivativeSpec(1),
        new IwaeSpec(1, IwaeGradient.STANDARD), // L_1 is the ELBO
        new IwaeSpec(1, IwaeGradient.DREG),
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

  static Stream<Arguments> importanceWeightedAndProblems() {
    return Stream.of(IwaeGradient.values()).flatMap(gradient -> Stream.of(
        Arguments.of(new IwaeSpec(5, gradient), GradientTestKit.linearGaussian()),
        Arguments.of(new IwaeSpec(5, gradient), GradientTestKit.quadratic())));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("importanceWeightedAndProblems")
  void meanGradientMatchesTheImportanceWeightedBound(IwaeSpec spec, ConjugateProblem problem) {
    GradientTestKit.Result result = GradientTestKit.checkImportanceWeighted(
        build(spec, problem), GradientTestKit.DIAGONAL_GAUSSIAN, problem, spec.samples(), 1000, 17);
    assertThat(result.worstZ()).isLessThan(result.z());
  }

  @Test
  void atOneSampleTheBoundCheckIsTheElboCheck() {
    ConjugateProblem problem = GradientTestKit.linearGaussian();
    GradientEstimator estimator = build(new IwaeSpec(1, IwaeGradient.STANDARD), problem);
    GradientTestKit.Result elbo = GradientTestKit.check(estimator, GradientTestKit.DIAGONAL_GAUSSIAN, problem, 500, 5);
    GradientTestKit.Result bound =
        GradientTestKit.checkImportanceWeighted(estimator, GradientTestKit.DIAGONAL_GAUSSIAN, problem, 1, 500, 5);
    for (int i = 0; i < 4; i++) {
      assertThat(bound.analytic()[i]).isCloseTo(elbo.analytic()[i], org.assertj.core.api.Assertions.within(1e-12));
      assertThat(bound.referenceError()[i]).isZero();
    }
    assertThat(bound.mean()).containsExactly(elbo.mean());
    assertThat(bound.standardError()).containsExactly(elbo.standardError());
  }

  /**
   * "IWAE-STL": the importance-weighted bound with {@code q}'s parameters detached in {@code log q}, so
   * the encoder gets {@code Σ_j w̃_j ∂log w_j/∂t_j · ∂t_j/∂φ} — DReG's path with the weights {@code w̃}
   * instead of {@code w̃²}. Unbiased at {@code k = 1} (the path derivative), biased for {@code k > 1}
   * (Tucker et al. 2018): the kit must reject it.
   */
  static final class ImportanceWeightedStl implements GradientEstimator {
    private final int samples;

    ImportanceWeightedStl(int samples) {
      this.samples = samples;
    }

    @Override
    public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
      Distribution posterior = model.encoder().posterior(batch);
      Distribution prior = model.prior().distribution(batch.getManager(), batch.getShape().get(0));
      NDArray latent = posterior.rsample(samples);
      NDArray logLikelihood = model.decoder().conditional(latent).logProb(batch);
      NDArray logWeight = logLikelihood.add(prior.logProb(latent)).sub(posterior.detached().logProb(latent));
      NDArray loss = NdMath.logMeanExp(logWeight, 0).neg().mean();
      return new ElboEstimate(loss, logLikelihood.mean(new int[] {0}).neg().stopGradient(),
          posterior.analyticKl(prior).orElseThrow().stopGradient());
    }

    @Override
    public Set<Capability> requiredPosteriorCapabilities() {
      return EnumSet.of(Capability.RSAMPLE, Capability.DENSITY, Capability.DETACH);
    }
  }

  @Test
  void importanceWeightedSticksTheLandingIsBiasedAndFailsTheKit() {
    assertThatThrownBy(() -> GradientTestKit.checkImportanceWeighted(
            new ImportanceWeightedStl(5), GradientTestKit.DIAGONAL_GAUSSIAN, GradientTestKit.quadratic(), 5, 300, 17))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ImportanceWeightedStl")
        .hasMessageContaining("the gradient of L_5");
  }

  private static GradientEstimator build(EstimatorSpec spec, ConjugateProblem problem) {
    return PluginRegistry.load().create(
        ComponentKind.ESTIMATOR, spec, new BuildContext(problem.dataDimension(), problem.latentDimension(), null, null));
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
