package io.vi4j.plugins.priors;

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

/**
 * {@code p(t) = Σ_k π_k N(t; μ_k, diag e^{v_k})}, {@code π = softmax(a)}, the same mixture for each of
 * {@code B} batch elements. Its log-density is a log-sum-exp over components; its draws pick a component by
 * the Gumbel-max trick (no reparameterized sampler: the choice is discrete); no KL has a closed form.
 */
final class GaussianMixture implements Distribution {
  private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.DENSITY, Capability.SAMPLE);

  private final NDManager manager;
  private final long batchSize;
  private final NDArray means;
  private final NDArray logVariances;
  private final NDArray logits;

  /**
   * @param manager where draws are made
   * @param batchSize {@code B}
   * @param means {@code μ}, shape {@code (K, L)}
   * @param logVariances {@code v}, shape {@code (K, L)}
   * @param logits {@code a}, shape {@code (K)}: the mixing weights are {@code softmax(a)}
   */
  GaussianMixture(NDManager manager, long batchSize, NDArray means, NDArray logVariances, NDArray logits) {
    this.manager = manager;
    this.batchSize = batchSize;
    this.means = means;
    this.logVariances = logVariances;
    this.logits = logits;
  }

  @Override
  public long eventSize() {
    return means.getShape().get(1);
  }

  /**
   * {@code log Σ_k exp(log π_k + log N(t; μ_k, diag e^{v_k}))}.
   *
   * @param value shape {@code (..., B, L)}
   * @return shape {@code (..., B)}, nats
   */
  @Override
  public NDArray logProb(NDArray value) {
    return NdMath.logSumExp(componentLogProb(value), value.getShape().dimension() - 1);
  }

  /**
   * @param value shape {@code (..., B, L)}
   * @return {@code log π_k + log N(t; μ_k, diag e^{v_k})}, shape {@code (..., B, K)}
   */
  NDArray componentLogProb(NDArray value) {
    return DiagonalComponents.logDensities(value, means, logVariances).add(logits.logSoftmax(0));
  }

  /** Draws a component per sample by Gumbel-max, then a Gaussian draw from it; no gradient path. */
  @Override
  public NDArray sample(int k) {
    long components = logits.getShape().get(0);
    Shape choiceShape = new Shape(k, batchSize, components);
    NDArray uniform = manager.randomUniform(1e-7f, 1f, choiceShape, DataType.FLOAT32);
    NDArray gumbel = uniform.log().neg().log().neg();
    NDArray choice = gumbel.add(logits.stopGradient()).argMax(-1).oneHot((int) components); // (k, B, K)
    NDArray mean = choice.matMul(means.stopGradient()); // (k, B, L)
    NDArray logVariance = choice.matMul(logVariances.stopGradient());
    NDArray noise = manager.randomNormal(mean.getShape(), DataType.FLOAT32);
    return noise.mul(NdMath.times(logVariance, 0.5).exp()).add(mean).stopGradient();
  }

  /** @return {@code Σ_k π_k μ_k} for every batch element, shape {@code (B, L)}. */
  @Override
  public Optional<NDArray> mean() {
    NDArray weights = logits.softmax(0).expandDims(0); // (1, K)
    return Optional.of(weights.matMul(means).broadcast(new Shape(batchSize, eventSize())));
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }
}
