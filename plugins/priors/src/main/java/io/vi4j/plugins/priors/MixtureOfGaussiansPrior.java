package io.vi4j.plugins.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.nn.Group;
import io.vi4j.api.model.Prior;
import java.util.Optional;

/**
 * A learned mixture of diagonal Gaussians, {@code p(t) = Σ_k softmax(a)_k N(t; μ_k, diag e^{v_k})}: the
 * prior of, among others, Dilokthanakul et al. (2016), "Deep Unsupervised Clustering with Gaussian Mixture
 * Variational Autoencoders", and the mixture baseline of Tomczak &amp; Welling (2018). Its means start as
 * independent draws from {@code N(0, I)} (the engine's random stream, seeded by the model's seed), which
 * breaks the symmetry between components; the log-variances and logits start at 0 (unit variances, equal
 * weights). Its three arrays are ordinary parameters: trained, saved in checkpoints and restored on resume.
 */
public final class MixtureOfGaussiansPrior implements Prior {
  private final int latentDimension;
  private final Group parts = new Group();
  private final Parameter means;
  private final Parameter logVariances;
  private final Parameter logits;
  private final Double minLogVariance; // null: no floor

  /**
   * @param manager the model's manager, where the parameters live
   * @param components {@code K}
   * @param latentDimension {@code L}
   */
  public MixtureOfGaussiansPrior(NDManager manager, int components, int latentDimension) {
    this(manager, components, latentDimension, null);
  }

  /**
   * @param minVariance a floor on every component's variance, or null for none
   */
  public MixtureOfGaussiansPrior(NDManager manager, int components, int latentDimension, Double minVariance) {
    this.minLogVariance = minVariance == null ? null : Math.log(minVariance);
    if (components < 1) {
      throw new IllegalArgumentException("components must be at least 1, got " + components);
    }
    this.latentDimension = latentDimension;
    this.means = parameter("means", manager.randomNormal(new Shape(components, latentDimension)));
    this.logVariances = parameter("log_variances", manager.zeros(new Shape(components, latentDimension)));
    this.logits = parameter("logits", manager.zeros(new Shape(components)));
  }

  private Parameter parameter(String name, NDArray initial) {
    initial.setRequiresGradient(true);
    return parts.add(Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.OTHER)
        .optShape(initial.getShape())
        .optArray(initial)
        .build());
  }

  /** @return {@code K} */
  public int components() {
    return (int) logits.getArray().getShape().get(0);
  }

  @Override
  public int latentDimension() {
    return latentDimension;
  }

  @Override
  public Distribution distribution(NDManager manager, long batchSize) {
    // First operand from the caller's manager, so that every result lands there, not on the model's.
    NDArray zero = manager.zeros(new Shape(1));
    NDArray logVariance = zero.add(logVariances.getArray());
    return new GaussianMixture(manager, batchSize, zero.add(means.getArray()),
        minLogVariance == null ? logVariance : io.vi4j.api.kit.math.NdMath.atLeast(logVariance, minLogVariance),
        zero.add(logits.getArray()));
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(parts);
  }
}
