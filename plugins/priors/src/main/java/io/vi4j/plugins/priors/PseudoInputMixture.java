package io.vi4j.plugins.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.math.NdMath;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code p(t) = (1/K) Σ_k q(t | u_k)}, the encoder's posteriors of the {@code K} pseudo-inputs mixed with
 * equal weights, the same for each of {@code B} batch elements (the VampPrior's density). No KL has a closed
 * form; draws pick a pseudo-input uniformly (no reparameterized sampler).
 */
final class PseudoInputMixture implements Distribution {
  private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.DENSITY, Capability.SAMPLE);

  private final NDManager manager;
  private final long batchSize;
  private final Distribution components;
  private final long count;

  /**
   * @param manager where draws are made
   * @param batchSize {@code B}
   * @param components {@code q(t | u_k)}: batch shape {@code (K)}, event size {@code L}
   * @param count {@code K}
   */
  PseudoInputMixture(NDManager manager, long batchSize, Distribution components, long count) {
    this.manager = manager;
    this.batchSize = batchSize;
    this.components = components;
    this.count = count;
  }

  @Override
  public long eventSize() {
    return components.eventSize();
  }

  /**
   * {@code log (1/K) Σ_k q(t | u_k)}.
   *
   * @param value shape {@code (..., B, L)}
   * @return shape {@code (..., B)}, nats
   */
  @Override
  public NDArray logProb(NDArray value) {
    int last = value.getShape().dimension() - 1;
    NDArray perComponent = components instanceof DiagonalGaussian g && g.logVariance().getShape().equals(g.location().getShape())
        ? DiagonalComponents.logDensities(value, g.location(), g.logVariance())
        : components.logProb(value.expandDims(last));
    return NdMath.logMeanExp(perComponent, last); // (..., B, K) → (..., B)
  }

  /** Picks a pseudo-input uniformly per draw and draws from its posterior; no gradient path. */
  @Override
  public NDArray sample(int k) {
    long n = k * batchSize;
    NDArray choice = manager.randomUniform(0f, 1f, new Shape(n, count), DataType.FLOAT32)
        .argMax(-1).oneHot((int) count).expandDims(-1); // (n, K, 1)
    NDArray draws = components.sample((int) n); // (n, K, L)
    return choice.mul(draws).sum(new int[] {1}).reshape(k, batchSize, eventSize()).stopGradient();
  }

  /** @return {@code (1/K) Σ_k E[q(t | u_k)]} for every batch element, shape {@code (B, L)}, when known. */
  @Override
  public Optional<NDArray> mean() {
    return components.mean().map(m -> m.mean(new int[] {0}).broadcast(new Shape(batchSize, eventSize())));
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }
}
