package io.vi4j.plugins.estimators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.Mlp;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The score-function (log-derivative, REINFORCE) gradient (Williams 1992; Paisley, Blei &amp; Jordan
 * 2012; Ranganath, Gerrish &amp; Blei 2014): {@code ∇_φ E_q f(t) = E_q[f(t) ∇_φ log q_φ(t)]}, which needs
 * only {@code sample} and {@code logProb} from the family. The encoder gets
 * {@code stop(f − b) · ∇ log q(t | x)}; the decoder (and a learned prior) get their ordinary pathwise
 * gradient at the sampled, detached {@code t}.
 *
 * <p>The learning signal {@code f} is {@code log p(x | t)} when the KL has a closed form (its gradient is
 * then exact), and {@code log p(x, t) − log q(t | x)} otherwise. {@code b} is the configured
 * {@link ControlVariate}. The moving average's state is a few scalars on the model's manager, updated in
 * place after each step and exposed by {@link #runningState()} for checkpoints; the learned baseline's
 * parameters live there too. Nothing is allocated per step
 * beyond the step's own arrays.
 */
public final class ScoreFunctionEstimator implements GradientEstimator {
  private final int samples;
  private final ControlVariate controlVariate;
  private final float decay;
  private final NDArray movingAverage;
  private final NDArray movingSquare;
  private final NDArray movingAverageStarted;
  private final Mlp learnedBaseline;

  /**
   * @param samples {@code K}
   * @param controlVariate the baseline
   * @param decay the moving average's decay (ignored by other baselines)
   * @param manager the model's long-lived manager, which holds the baseline's state
   */
  public ScoreFunctionEstimator(int samples, ControlVariate controlVariate, double decay, NDManager manager) {
    this(samples, controlVariate, decay, manager, 0, List.of());
  }

  /**
   * @param samples {@code K}
   * @param controlVariate the baseline
   * @param decay the moving average's decay (moving-average and input-dependent)
   * @param manager the model's long-lived manager, which holds the baseline's state
   * @param dataDimension {@code D}, the learned baseline's input width (input-dependent only)
   * @param baselineHidden the learned baseline's hidden widths (input-dependent only)
   */
  public ScoreFunctionEstimator(
      int samples, ControlVariate controlVariate, double decay, NDManager manager, int dataDimension,
      List<Integer> baselineHidden) {
    if (controlVariate == ControlVariate.LEAVE_ONE_OUT && samples < 2) {
      throw new IllegalArgumentException("leave-one-out needs at least 2 samples, got " + samples);
    }
    this.samples = samples;
    this.controlVariate = controlVariate;
    this.decay = (float) decay;
    boolean averaged =
        controlVariate == ControlVariate.MOVING_AVERAGE || controlVariate == ControlVariate.INPUT_DEPENDENT;
    this.movingAverage = averaged ? manager.zeros(new Shape()) : null;
    this.movingAverageStarted = averaged ? manager.zeros(new Shape()) : null;
    this.movingSquare = controlVariate == ControlVariate.INPUT_DEPENDENT ? manager.ones(new Shape()) : null;
    this.learnedBaseline = controlVariate == ControlVariate.INPUT_DEPENDENT
        ? new Mlp(manager, dataDimension, baselineHidden, 1, ActivationName.TANH)
        : null;
  }

  @Override
  public int samplesPerItem() {
    return samples;
  }

  /** @param batch shape {@code (B, D)} */
  @Override
  public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
    return estimate(model, batch, 1.0);
  }

  /**
   * The score-function gradient of {@code E_q log p(x | t) − β·KL}: with a closed-form KL its pathwise
   * gradient is weighted by {@code β}; otherwise the learning signal is
   * {@code log p(x | t) + β·(log p(t) − log q(t | x))}. The value reported is the unweighted −ELBO.
   *
   * @param batch shape {@code (B, D)}
   */
  @Override
  public ElboEstimate estimate(LatentVariableModel model, NDArray batch, double klWeight) {
    ElboValue.checkKlWeight(klWeight);
    Distribution posterior = model.encoder().posterior(batch);
    Distribution prior = model.prior().distribution(batch.getManager(), batch.getShape().get(0));
    NDArray latent = posterior.sample(samples);
    NDArray logLikelihood = model.decoder().conditional(latent).logProb(batch);
    NDArray logQ = posterior.logProb(latent);
    Optional<NDArray> analyticKl = posterior.analyticKl(prior);
    NDArray signal;
    NDArray pathwise;
    if (analyticKl.isPresent()) {
      signal = logLikelihood.stopGradient();
      pathwise = ElboValue.weighted(analyticKl.get(), klWeight).sub(logLikelihood.mean(new int[] {0}));
    } else {
      NDArray logJoint = logLikelihood.add(ElboValue.weighted(prior.logProb(latent), klWeight));
      signal = logJoint.sub(ElboValue.weighted(logQ, klWeight)).stopGradient();
      pathwise = logJoint.mean(new int[] {0}).neg();
    }
    NDArray surrogate;
    if (learnedBaseline == null) {
      NDArray centred = signal.sub(baseline(signal)).stopGradient();
      surrogate = pathwise.sub(centred.mul(logQ).mean(new int[] {0}));
    } else {
      // b = a + s·b_ψ(x): a is the moving average, s a moving root-mean-square of what a leaves, and b_ψ
      // is fitted by least squares to the normalized residual (NVIL's centring and variance
      // normalization), so that its targets are of order one whatever the scale of the signal.
      NDArray residual = signal.sub(movingAverage(signal));
      NDArray scale = movingScale(residual);
      NDArray predicted = learnedBaseline.forward(batch).squeeze(1);
      NDArray centred = residual.sub(predicted.mul(scale)).stopGradient();
      NDArray fit = residual.div(scale).stopGradient().sub(predicted).square().mean(new int[] {0});
      surrogate = pathwise.sub(centred.mul(logQ).mean(new int[] {0})).add(fit);
    }
    return ElboValue.report(logLikelihood, posterior, prior, latent, surrogate);
  }

  @Override
  public boolean supportsKlWeight() {
    return true;
  }

  /**
   * @param signal shape {@code (K, B)}, detached
   * @return a baseline broadcastable to {@code (K, B)} that does not depend on the sample it is paired with
   */
  private NDArray baseline(NDArray signal) {
    switch (controlVariate) {
      case NONE:
        return signal.zerosLike();
      case LEAVE_ONE_OUT: {
        NDArray total = signal.sum(new int[] {0}, true);
        return total.sub(signal).div(samples - 1);
      }
      case BATCH_LEAVE_ONE_OUT: {
        long items = signal.getShape().get(1);
        if (items < 2) {
          return signal.zerosLike();
        }
        NDArray total = signal.sum(new int[] {1}, true);
        return total.sub(signal).div(items - 1);
      }
      case MOVING_AVERAGE:
        return movingAverage(signal);
      default:
        throw new IllegalStateException("no fixed baseline for " + controlVariate);
    }
  }

  /**
   * The average of earlier steps' batch-mean signal, copied into the step's manager before the in-place
   * update with this step's mean (the first step gets 0).
   *
   * @param signal shape {@code (K, B)}, detached
   * @return shape {@code ()}
   */
  private NDArray movingAverage(NDArray signal) {
    NDArray batchMean = signal.mean();
    // The average starts at 0 and is replaced by the first batch's mean (an effective decay of 0 at the
    // first step): the flag is an array, not a Java field, so a checkpoint holds it with the average.
    NDArray previous = batchMean.zerosLike().add(movingAverage);
    NDArray effectiveDecay = batchMean.zerosLike().add(movingAverageStarted).mul(decay);
    NDArray keep = effectiveDecay.neg().add(1f);
    movingAverage.muli(effectiveDecay).addi(batchMean.mul(keep));
    movingAverageStarted.muli(0).addi(1f);
    return previous;
  }

  /**
   * A moving root-mean-square of the residual of earlier steps (1 at the first step), copied into the
   * step's manager before the in-place update.
   *
   * @param residual shape {@code (K, B)}, detached
   * @return shape {@code ()}
   */
  private NDArray movingScale(NDArray residual) {
    NDArray meanSquare = residual.square().mean();
    NDArray previous = meanSquare.zerosLike().add(movingSquare).sqrt().maximum(1e-3f);
    movingSquare.muli(decay).addi(meanSquare.mul(1 - decay));
    return previous;
  }

  /** The moving average, its started flag, and (input-dependent) the moving mean square, all shape {@code ()}. */
  @Override
  public Map<String, NDArray> runningState() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    if (movingAverage != null) {
      state.put("moving_average", movingAverage);
      state.put("moving_average_started", movingAverageStarted);
    }
    if (movingSquare != null) {
      state.put("moving_square", movingSquare);
    }
    return state;
  }

  @Override
  public Optional<Block> network() {
    return learnedBaseline == null ? Optional.empty() : Optional.of(learnedBaseline.block());
  }

  @Override
  public Set<Capability> requiredPosteriorCapabilities() {
    return EnumSet.of(Capability.SAMPLE, Capability.DENSITY);
  }
}
