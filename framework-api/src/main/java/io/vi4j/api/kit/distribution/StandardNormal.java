package io.vi4j.api.kit.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.math.NdMath;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** {@code N(0, I)} over vectors of length {@code E}, with batch shape {@code (B)}; holds no arrays. */
public final class StandardNormal implements Distribution {
  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.ENTROPY);

  private final NDManager manager;
  private final long batchSize;
  private final long eventSize;

  /**
   * @param manager where samples and entropies are created
   * @param batchSize {@code B}
   * @param eventSize {@code E}
   */
  public StandardNormal(NDManager manager, long batchSize, long eventSize) {
    this.manager = manager;
    this.batchSize = batchSize;
    this.eventSize = eventSize;
  }

  @Override
  public long eventSize() {
    return eventSize;
  }

  @Override
  public NDArray logProb(NDArray value) {
    return NdMath.times(value.square().add(NdMath.LOG_2PI).sum(new int[] {-1}), -0.5);
  }

  @Override
  public NDArray sample(int k) {
    return manager.randomNormal(new Shape(k, batchSize, eventSize), DataType.FLOAT32);
  }

  @Override
  public NDArray rsample(int k) {
    return sample(k);
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<NDArray> entropy() {
    double perItem = 0.5 * eventSize * (1.0 + NdMath.LOG_2PI);
    return Optional.of(manager.full(new Shape(batchSize), (float) perItem));
  }

  @Override
  public Optional<NDArray> analyticKl(Distribution other) {
    if (other instanceof StandardNormal) {
      return Optional.of(manager.zeros(new Shape(batchSize)));
    }
    return Optional.empty();
  }
}
