package io.vi4j.core.diagnostics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.progress.Progress;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.elbo.ElboTerms;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.core.model.AssembledModel;

/**
 * Non-amortized variational inference for a fixed decoder: a free diagonal Gaussian
 * {@code q_i = N(m_i, diag e^{v_i})} per item, its {@code (m_i, v_i)} optimized by Adam on the item's own
 * ELBO (the E-step of variational EM with per-object parameters), the rate decaying along a cosine. Started from the encoder's output it
 * measures the amortization gap of Cremer, Li &amp; Duvenaud (2018): {@code ELBO(q*) − ELBO(q_φ)}, how
 * much the encoder loses by sharing one network across items; started from the prior it is plain
 * per-object variational inference.
 */
public final class AmortizationGap {
  private AmortizationGap() {}

  /** Where the per-item parameters start. */
  public enum Start {
    /** From the encoder's {@code (μ(x), log σ²(x))}: measures the amortization gap. */
    ENCODER,
    /** From {@code (0, 0)}, the prior: non-amortized variational inference from scratch. */
    PRIOR
  }

  /**
   * The outcome, per-item means in nats.
   *
   * @param items items refined
   * @param amortizedElbo the encoder's ELBO
   * @param refinedElbo the ELBO after optimizing each item's {@code q_i}
   * @param refinedIwae the IWAE estimate with the refined {@code q_i} as proposal (an estimate of
   *     {@code log p(x)}; {@code log p(x) − refinedElbo} is the approximation gap of the Gaussian family)
   * @param steps Adam steps
   * @param start where the parameters started
   */
  public record Report(
      int items, double amortizedElbo, double refinedElbo, double refinedIwae, int steps, Start start) {
    /** @return {@code refinedElbo − amortizedElbo}. */
    public double gap() {
      return refinedElbo - amortizedElbo;
    }
  }

  /**
   * Refines {@code q_i} for the first {@code items} items of {@code data}.
   *
   * @param samples {@code K}, reparameterized samples per item and step
   * @param evaluationSamples samples per item for the reported ELBOs and the IWAE estimate
   */
  public static Report measure(
      AssembledModel model, Dataset data, int items, int steps, int samples, double learningRate,
      int evaluationSamples, Start start) {
    LatentVariableModel parts = model.model();
    if (parts.encoder() instanceof io.vi4j.api.model.PerItemFamily) {
      throw new IllegalArgumentException("the amortization gap compares an encoder with per-item posteriors, and"
          + " this model has per-item posteriors already (no encoder): its test figures are those of fitted"
          + " per-item posteriors (test_inference_seconds in summary.json)");
    }
    int n = Math.min(items, data.rows());
    try (NDManager manager = model.manager().newSubManager()) {
      NDArray x = Evaluator.rows(manager, data, 0, n);
      Distribution amortized = parts.encoder().posterior(x);
      if (!(amortized instanceof DiagonalGaussian gaussian)) {
        throw new IllegalArgumentException("the amortization gap is measured for diagonal-Gaussian encoders;"
            + " this encoder's posterior is a " + amortized.getClass().getSimpleName());
      }
      double amortizedElbo = elbo(parts, x, gaussian, evaluationSamples);
      NDArray mean = start == Start.ENCODER ? gaussian.location().stopGradient().duplicate()
          : manager.zeros(gaussian.location().getShape());
      NDArray logVariance = start == Start.ENCODER
          ? gaussian.logVariance().stopGradient().duplicate()
          : manager.zeros(gaussian.location().getShape());
      mean.setRequiresGradient(true);
      logVariance.setRequiresGradient(true);
      // A cosine decay to 1 % of the rate lets the stochastic optimization settle at the optimum.
      Optimizer adam = Adam.builder()
          .optLearningRateTracker(Tracker.cosine()
              .setBaseValue((float) learningRate)
              .optFinalValue((float) learningRate / 100)
              .setMaxUpdates(Math.max(1, steps))
              .build())
          .build();
      try (Progress.Stage stage = Progress.stage("refining per-item posteriors", steps, "steps")) {
        for (int step = 0; step < steps; step++) {
          try (NDManager stepManager = manager.newSubManager();
              GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray zero = stepManager.zeros(mean.getShape());
            DiagonalGaussian q = new DiagonalGaussian(zero.add(mean), zero.add(logVariance));
            ElboTerms terms = ElboTerms.of(parts, x, q, q.rsample(samples));
            // The sum over items: each item's parameters get their own ELBO's gradient.
            collector.backward(terms.negativeElbo().sum());
          }
          try (NDArray g = mean.getGradient()) {
            adam.update("m", mean, g);
          }
          try (NDArray g = logVariance.getGradient()) {
            adam.update("v", logVariance, g);
          }
          stage.stepTo(step + 1);
        }
      }
      model.model().parameters().forEach(p -> {
        if (p.getValue().requiresGradient()) { // batch norm's running statistics have no gradient
          try (NDArray g = p.getValue().getArray().getGradient()) {
            g.muli(0);
          }
        }
      });
      DiagonalGaussian refined = new DiagonalGaussian(mean.stopGradient(), logVariance.stopGradient());
      double refinedElbo = elbo(parts, x, refined, evaluationSamples);
      double iwae = iwae(parts, x, refined, evaluationSamples);
      return new Report(n, amortizedElbo, refinedElbo, iwae, steps, start);
    }
  }

  private static double elbo(LatentVariableModel parts, NDArray x, DiagonalGaussian q, int samples) {
    return -ElboTerms.of(parts, x, q, q.sample(samples)).negativeElbo().mean().getFloat();
  }

  private static double iwae(LatentVariableModel parts, NDArray x, DiagonalGaussian q, int samples) {
    NDArray t = q.sample(samples);
    Distribution prior = parts.prior().distribution(x.getManager(), x.getShape().get(0));
    NDArray logWeights = parts.decoder().conditional(t).logProb(x).add(prior.logProb(t)).sub(q.logProb(t));
    return NdMath.logMeanExp(logWeights.toType(ai.djl.ndarray.types.DataType.FLOAT64, false), 0).mean().getDouble();
  }
}
