package io.vi4j.core.math;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Stable array functions that DJL's NDArray lacks on the PyTorch engine. Every result is attached to the
 * manager of the first argument.
 */
public final class NdMath {

  /** {@code log(2π)}. */
  public static final double LOG_2PI = Math.log(2.0 * Math.PI);

  private NdMath() {}

  /**
   * {@code log Σ exp(x)} along one axis, computed as {@code m + log Σ exp(x − m)} with {@code m} the
   * detached maximum, so that it neither overflows nor loses the gradient.
   *
   * @param x any shape
   * @param axis the axis reduced
   * @return {@code x}'s shape without {@code axis}
   */
  public static NDArray logSumExp(NDArray x, int axis) {
    NDArray max = x.max(new int[] {axis}, true).stopGradient();
    return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
  }

  /**
   * {@code log((1/n) Σ exp(x))} along one axis: the importance-sampling average in log space.
   *
   * @param x any shape
   * @param axis the axis reduced, of length {@code n}
   * @return {@code x}'s shape without {@code axis}
   */
  public static NDArray logMeanExp(NDArray x, int axis) {
    long n = x.getShape().get(axis);
    return logSumExp(x, axis).sub(Math.log(n));
  }

  /** {@code log σ(x) = −softplus(−x)}, finite for large negative {@code x}. */
  public static NDArray logSigmoid(NDArray x) {
    return Activation.softPlus(x.neg()).neg();
  }

  /**
   * Bernoulli log-mass of targets under logits, {@code y·log σ(l) + (1−y)·log(1−σ(l))}, in the stable
   * form {@code −(relu(l) − l·y + softplus(−|l|))}; targets may be any value in [0, 1] (grey levels).
   *
   * @param logits shape {@code (..., D)}
   * @param targets shape broadcastable to {@code logits}
   * @return elementwise log-mass, the broadcast shape
   */
  public static NDArray bernoulliLogProb(NDArray logits, NDArray targets) {
    NDArray softplusNegAbs = Activation.softPlus(logits.abs().neg());
    return Activation.relu(logits).sub(logits.mul(targets)).add(softplusNegAbs).neg();
  }
}
