package io.vi4j.api.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2-D convolution layer with PyTorch's {@code nn.Conv2d} parameters — weight {@code (C_out, C_in, k, k)},
 * bias {@code (C_out)} — computed by {@link Convolutions#conv2d} (see there why not by the engine's
 * convolution).
 */
public final class Conv2d extends AbstractBlock {
  private final int stride;
  private final int padding;
  private final int outChannels;
  private final int kernel;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * @param inChannels {@code C_in}
   * @param outChannels {@code C_out}
   * @param kernel {@code k}
   * @param stride {@code s}
   * @param padding {@code p}
   */
  public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
    this.stride = stride;
    this.padding = padding;
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(outChannels, inChannels, kernel, kernel)).build());
    this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(outChannels)).build());
  }

  /**
   * @param inputs one array of shape {@code (N, C_in, H, W)}
   * @return one array of shape {@code (N, C_out, H_out, W_out)}, on the input's manager
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return new NDList(Convolutions.conv2d(x, parameterStore.getValue(weight, x.getDevice(), training),
        parameterStore.getValue(bias, x.getDevice(), training), stride, padding));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), outChannels, (in.get(2) + 2L * padding - kernel) / stride + 1,
        (in.get(3) + 2L * padding - kernel) / stride + 1)};
  }
}
