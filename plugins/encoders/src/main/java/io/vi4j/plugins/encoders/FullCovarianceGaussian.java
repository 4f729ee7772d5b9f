package io.vi4j.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.StandardNormal;
import io.vi4j.api.kit.math.NdMath;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code N(μ, L Lᵀ)} per batch element, with {@code L} lower triangular and a positive diagonal (a Cholesky
 * factor): the full-covariance Gaussian posterior of Kingma, Salimans et al. (2016), "Improved Variational
 * Inference with Inverse Autoregressive Flow", section 3 (there the baseline before the flows).
 *
 * <p>{@code log q(t) = −½‖L⁻¹(t − μ)‖² − Σᵢ log Lᵢᵢ − (E/2) log 2π}. DJL has no triangular solve on the
 * PyTorch engine, so {@code L⁻¹} is the engine's batched {@code inverse} of {@code L}, computed once per
 * distribution on first use; {@code L} is triangular with a diagonal {@code exp(·)} of a network output, so
 * it is invertible.
 */
public final class FullCovarianceGaussian implements Distribution {
  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.ENTROPY, Capability.DETACH);

  private final NDArray mean;
  private final NDArray logDiagonal;
  private final NDArray scale;
  private NDArray inverseScale;

  /**
   * @param mean μ, shape {@code (S, E)}
   * @param logDiagonal {@code log Lᵢᵢ}, shape {@code (S, E)}
   * @param scale the Cholesky factor {@code L}, shape {@code (S, E, E)}, lower triangular with diagonal
   *     {@code exp(logDiagonal)}
   */
  public FullCovarianceGaussian(NDArray mean, NDArray logDiagonal, NDArray scale) {
    this.mean = mean;
    this.logDiagonal = logDiagonal;
    this.scale = scale;
  }

  /** @return μ, shape {@code (S, E)}. */
  @Override
  public Optional<NDArray> mean() {
    return Optional.of(mean);
  }

  /** @return {@code L}, shape {@code (S, E, E)}. */
  public NDArray scale() {
    return scale;
  }

  /** @return {@code log diag L}, shape {@code (S, E)}. */
  public NDArray logDiagonal() {
    return logDiagonal;
  }

  @Override
  public long eventSize() {
    return mean.getShape().get(mean.getShape().dimension() - 1);
  }

  /**
   * @param value shape {@code (..., S, E)}, any point (not only this distribution's draws)
   * @return shape {@code (..., S)}, nats
   */
  @Override
  public NDArray logProb(NDArray value) {
    if (inverseScale == null) {
      inverseScale = scale.inverse();
    }
    NDArray whitened = inverseScale.matMul(value.sub(mean).expandDims(-1)).squeeze(-1);
    NDArray quadratic = NdMath.times(whitened.square().sum(new int[] {-1}), -0.5);
    return quadratic.sub(logDiagonal.sum(new int[] {-1})).sub(0.5 * eventSize() * NdMath.LOG_2PI);
  }

  @Override
  public NDArray sample(int k) {
    return rsample(k).stopGradient();
  }

  /** {@code t = μ + L ε}, {@code ε ~ N(0, I)} drawn from the manager of {@code μ}; shape {@code (k, S, E)}. */
  @Override
  public NDArray rsample(int k) {
    Shape shape = new Shape(k).addAll(mean.getShape());
    NDArray noise = io.vi4j.api.kit.math.RowNoise.normal(mean.getManager(), shape, mean.getDataType());
    return scale.matMul(noise.expandDims(-1)).squeeze(-1).add(mean);
  }

  @Override
  public FullCovarianceGaussian detached() {
    return new FullCovarianceGaussian(mean.stopGradient(), logDiagonal.stopGradient(), scale.stopGradient());
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  /** {@code ½ E (1 + log 2π) + Σᵢ log Lᵢᵢ}, shape {@code (S)}. */
  @Override
  public Optional<NDArray> entropy() {
    return Optional.of(logDiagonal.sum(new int[] {-1}).add(0.5 * eventSize() * (1.0 + NdMath.LOG_2PI)));
  }

  /**
   * Against {@link StandardNormal}: {@code ½ (‖L‖²_F + ‖μ‖² − E) − Σᵢ log Lᵢᵢ} (the trace of {@code L Lᵀ}
   * is the squared Frobenius norm of {@code L}); shape {@code (S)}. Other priors: empty (Monte Carlo).
   */
  @Override
  public Optional<NDArray> analyticKl(Distribution other) {
    if (other instanceof StandardNormal) {
      NDArray trace = scale.square().sum(new int[] {-2, -1});
      NDArray half = NdMath.times(trace.add(mean.square().sum(new int[] {-1})).sub(eventSize()), 0.5);
      return Optional.of(half.sub(logDiagonal.sum(new int[] {-1})));
    }
    return Optional.empty();
  }
}
