package io.vi4j.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.nn.Group;
import io.vi4j.api.model.PerItemFamily;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code q_i(t) = N(m_i, diag e^{v_i})} with free {@code (m_i, v_i)} for every training item: the
 * variational family of variational EM before amortization, {@code 2L} parameters per item. Its table
 * {@code [m | v]} of shape {@code (N, 2L)} starts at the prior ({@code 0}); the trainer updates the rows of
 * each minibatch's items; test items get rows fitted with the model fixed ({@link #inference()}).
 */
public final class PerItemGaussian implements PerItemFamily {
  private final int latentDimension;
  private final PerItemGaussianSpec spec;
  private final Parameter table;
  private final Group parts = new Group();
  private NDArray bound;

  /**
   * @param manager the model's manager
   * @param items {@code N}, the training items
   * @param latentDimension {@code L}
   * @param spec learning rates and test-time fitting
   * @throws IllegalArgumentException when {@code items} is 0 (the training split's size is not known)
   */
  public PerItemGaussian(NDManager manager, int items, int latentDimension, PerItemGaussianSpec spec) {
    if (items < 1) {
      throw new IllegalArgumentException("a per-item posterior needs the training split's size, which this"
          + " model was built without; build it from its data (vi4j train, or the builder)");
    }
    this.latentDimension = latentDimension;
    this.spec = spec;
    NDArray initial = manager.zeros(new Shape(items, 2L * latentDimension));
    this.table = parts.add(Parameter.builder()
        .setName("items")
        .setType(Parameter.Type.OTHER)
        .optShape(initial.getShape())
        .optArray(initial)
        .optRequiresGrad(false)
        .build());
  }

  @Override
  public NDArray table() {
    return table.getArray();
  }

  @Override
  public int parametersPerItem() {
    return 2 * latentDimension;
  }

  @Override
  public NDArray initialRows(NDManager manager, int items) {
    return manager.zeros(new Shape(items, 2L * latentDimension));
  }

  /** @param rows shape {@code (B, 2L)}: {@code [m | log s²]}; @return batch {@code (B)}, event {@code L} */
  @Override
  public Distribution posteriorOf(NDArray rows) {
    NDList halves = rows.split(2, 1);
    return new DiagonalGaussian(halves.get(0), halves.get(1));
  }

  /** @param data shape {@code (B, D)}: only its number of items is read */
  @Override
  public Distribution posterior(NDArray data) {
    if (bound == null) {
      throw new IllegalStateException("per-item-gaussian has no encoder: the posterior of an item is fitted"
          + " (vi4j's trainer and evaluator do it); this use asks for posteriors of items nobody fitted");
    }
    long items = data.getShape().get(0);
    if (items != bound.getShape().get(0)) {
      throw new IllegalStateException("per-item-gaussian: a batch of " + items + " items, but "
          + bound.getShape().get(0) + " rows of parameters are bound");
    }
    return posteriorOf(bound);
  }

  @Override
  public Binding bind(NDArray rows) {
    if (rows.getShape().dimension() != 2 || rows.getShape().get(1) != 2L * latentDimension) {
      throw new IllegalArgumentException("per-item-gaussian: rows of shape " + rows.getShape() + ", not (B, "
          + 2 * latentDimension + ")");
    }
    NDArray previous = bound;
    bound = rows;
    return () -> bound = previous;
  }

  @Override
  public ItemInference inference() {
    return new ItemInference(spec.inferenceSteps(), spec.inferenceLearningRate(), spec.inferenceSamples());
  }

  @Override
  public double learningRate() {
    return spec.learningRate();
  }

  @Override
  public Set<Capability> posteriorCapabilities() {
    return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.ENTROPY, Capability.DETACH);
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(parts);
  }
}
