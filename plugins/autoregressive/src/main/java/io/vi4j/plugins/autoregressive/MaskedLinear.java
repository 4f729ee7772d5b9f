package io.vi4j.plugins.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * A linear layer whose weight is multiplied by a fixed 0/1 mask at every pass: {@code y = x (W ⊙ M)ᵀ + b}.
 * Masked-out weights get a zero gradient, so they never matter; they are saved with the others.
 */
final class MaskedLinear extends AbstractBlock {
  private final Parameter weight;
  private final Parameter bias;
  private final NDArray mask;
  private final int units;

  /**
   * @param manager where the mask lives (the model's manager)
   * @param inputs the input width
   * @param units the output width
   * @param mask shape {@code (units, inputs)} row-major, 0 or 1
   */
  MaskedLinear(NDManager manager, int inputs, int units, float[] mask) {
    this.units = units;
    this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(units, inputs)).build());
    this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(units)).build());
    this.mask = manager.create(mask, new Shape(units, inputs));
    // PyTorch's nn.Linear initialization, as vi4j's other linear layers.
    UniformInitializer uniform = new UniformInitializer((float) (1.0 / Math.sqrt(inputs)));
    setInitializer(uniform, Parameter.Type.WEIGHT);
    setInitializer(uniform, Parameter.Type.BIAS);
  }

  /**
   * @param inputs one array of shape {@code (B, inputs)}
   * @return one array of shape {@code (B, units)}
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
    NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
    NDArray masked = w.mul(mask);
    masked.attach(x.getManager()); // a result of a parameter lands on the model's manager otherwise
    return Linear.linear(x, masked, b);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), units)};
  }
}
