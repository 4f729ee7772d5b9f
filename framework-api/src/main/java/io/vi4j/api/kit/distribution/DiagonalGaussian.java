package io.vi4j.api.kit.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.math.NdMath;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code N(μ, diag(exp(logVariance)))} per batch element: the variational family of Kingma &amp; Welling
 * (2014), "Auto-Encoding Variational Bayes", and a Gaussian likelihood with a variance head.
 */
public final class DiagonalGaussian implements Distribution {
  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.ENTROPY, Capability.DETACH);

  private final NDArray mean;
  private final NDArray logVariance;

  /**
   * @param mean shape {@code (S, E)}
   * @param logVariance shape {@code (S, E)} (or broadcastable to it, such as {@code (E)})
   */
  public DiagonalGaussian(NDArray mean, NDArray logVariance) {
    this.mean = mean;
    this.logVariance = logVariance;
  }

  /** @return μ, shape {@code (S, E)}. */
  @Override
  public Optional<NDArray> mean() {
    return Optional.of(mean);
  }

  /** @return μ, shape {@code (S, E)}. */
  public NDArray location() {
    return mean;
  }

  /** @return log σ², shape {@code (S, E)} or broadcastable to it. */
  public NDArray logVariance() {
    return logVariance;
  }

  @Override
  public long eventSize() {
    return mean.getShape().get(mean.getShape().dimension() - 1);
  }

  @Override
  public NDArray logProb(NDArray value) {
    // The sum comes before the factor −½: one multiply per item rather than per coordinate (hot path).
    return NdMath.times(unscaled(value).sum(new int[] {-1}), -0.5);
  }

  @Override
  public NDArray logProbPerCoordinate(NDArray value) {
    return NdMath.times(unscaled(value), -0.5);
  }

  /** {@code (x − μ)²/σ² + log σ² + log 2π}, per coordinate. */
  private NDArray unscaled(NDArray value) {
    NDArray centred = value.sub(mean);
    return centred.square().mul(logVariance.neg().exp()).add(logVariance).add(NdMath.LOG_2PI);
  }

  @Override
  public NDArray sample(int k) {
    return rsample(k).stopGradient();
  }

  /** {@code t = μ + σ·ε}, {@code ε ~ N(0, I)} drawn on the manager of {@code μ} (per row inside a {@link io.vi4j.api.kit.math.RowNoise} scope). */
  @Override
  public NDArray rsample(int k) {
    Shape shape = new Shape(k).addAll(mean.getShape());
    NDArray noise = io.vi4j.api.kit.math.RowNoise.normal(mean.getManager(), shape, mean.getDataType());
    return noise.mul(NdMath.times(logVariance, 0.5).exp()).add(mean);
  }

  @Override
  public DiagonalGaussian detached() {
    return new DiagonalGaussian(mean.stopGradient(), logVariance.stopGradient());
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<NDArray> entropy() {
    return Optional.of(
        NdMath.times(logVariance.add(1.0 + NdMath.LOG_2PI), 0.5).broadcast(mean.getShape()).sum(new int[] {-1}));
  }

  /**
   * Closed forms: against {@link StandardNormal}, {@code −½ Σ (1 + log σ² − μ² − σ²)}; against another
   * diagonal Gaussian, {@code ½ Σ (log σ₂² − log σ₁² + (σ₁² + (μ₁ − μ₂)²)/σ₂² − 1)}.
   */
  @Override
  public Optional<NDArray> analyticKl(Distribution other) {
    if (other instanceof StandardNormal) {
      return Optional.of(
          NdMath.times(logVariance.add(1.0).sub(mean.square()).sub(logVariance.exp()).sum(new int[] {-1}), -0.5));
    }
    if (other instanceof DiagonalGaussian g) {
      NDArray ratio = logVariance.exp().add(mean.sub(g.mean).square()).mul(g.logVariance.neg().exp());
      return Optional.of(
          NdMath.times(g.logVariance.sub(logVariance).add(ratio).sub(1.0).sum(new int[] {-1}), 0.5));
    }
    return Optional.empty();
  }
}
