package io.vi4j.api.kit.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * All mass at one point per batch element: the "posterior" of a deterministic encoder (the lecture's
 * {@code s(x) = 0} case, a plain autoencoder). It has no density, so no KL to a prior and no importance
 * weights: a model with it is not a density model.
 */
public final class PointMass implements Distribution {
  private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.SAMPLE, Capability.RSAMPLE);

  private final NDArray location;

  /** @param location shape {@code (S, E)} */
  public PointMass(NDArray location) {
    this.location = location;
  }

  @Override
  public long eventSize() {
    return location.getShape().get(location.getShape().dimension() - 1);
  }

  /** @throws UnsupportedOperationException always: a point mass has no density */
  @Override
  public NDArray logProb(NDArray value) {
    throw new UnsupportedOperationException("a point mass has no density; it is a deterministic code");
  }

  @Override
  public NDArray sample(int k) {
    return rsample(k).stopGradient();
  }

  /** @return the location repeated {@code k} times, shape {@code (k, S, E)}, with its gradient. */
  @Override
  public NDArray rsample(int k) {
    return location.expandDims(0).broadcast(new Shape(k).addAll(location.getShape()));
  }

  @Override
  public Optional<NDArray> mean() {
    return Optional.of(location);
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }
}
