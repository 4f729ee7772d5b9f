package io.vi4j.api.kit.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.math.NdMath;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Independent Bernoulli variables parameterized by logits {@code l} ({@code P(x=1) = σ(l)}). The
 * log-mass accepts targets anywhere in [0, 1] (grey levels used as soft targets, as is customary for
 * MNIST-like data); it is then a cross-entropy, not a normalized density of the grey levels.
 */
public final class BernoulliLogits implements Distribution {
  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.ENTROPY);

  private final NDArray logits;

  /** @param logits shape {@code (S, E)} */
  public BernoulliLogits(NDArray logits) {
    this.logits = logits;
  }

  /** @return the logits, shape {@code (S, E)}. */
  public NDArray logits() {
    return logits;
  }

  /** @return the means {@code σ(l)}, shape {@code (S, E)}. */
  @Override
  public Optional<NDArray> mean() {
    return Optional.of(probabilities());
  }

  private NDArray probabilities() {
    return ai.djl.nn.Activation.sigmoid(logits);
  }

  @Override
  public long eventSize() {
    return logits.getShape().get(logits.getShape().dimension() - 1);
  }

  @Override
  public NDArray logProb(NDArray value) {
    return logProbPerCoordinate(value).sum(new int[] {-1});
  }

  @Override
  public NDArray logProbPerCoordinate(NDArray value) {
    return NdMath.bernoulliLogProb(logits, value);
  }

  @Override
  public NDArray sample(int k) {
    Shape shape = new Shape(k).addAll(logits.getShape());
    NDArray uniform = io.vi4j.api.kit.math.RowNoise.uniform(logits.getManager(), shape);
    return uniform.lt(probabilities().stopGradient()).toType(DataType.FLOAT32, false);
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<NDArray> entropy() {
    NDArray p = probabilities();
    return Optional.of(
        NdMath.bernoulliLogProb(logits, p).sum(new int[] {-1}).neg());
  }
}
