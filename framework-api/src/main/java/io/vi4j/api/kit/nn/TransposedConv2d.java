package io.vi4j.api.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2-D transposed convolution with PyTorch's {@code nn.ConvTranspose2d} semantics — weight of shape
 * {@code (C_in, C_out, k, k)}, output size {@code (H − 1)·s − 2p + k + output_padding} — computed as one
 * ordinary convolution ({@link Convolutions#conv2d}) followed by a pixel shuffle, since DJL's PyTorch
 * engine has no transposed convolution.
 *
 * <p>Output rows of the uncropped result {@code u = s·q + r} take kernel taps {@code t ≡ r (mod s)}
 * only, so each of the {@code s²} phases {@code (r_h, r_w)} is a correlation of the input (padded by
 * {@code A − 1}, {@code A = ⌈k/s⌉}) with the phase's flipped {@code A×A} sub-kernel. Stacking the phases'
 * sub-kernels as output channels gives one convolution of {@code s²·C_out} channels; interleaving its
 * channels into space (depth-to-space, as in Shi et al. 2016's sub-pixel convolution) and cropping
 * {@code p} from the top and left gives the transposed convolution exactly, with the work of the
 * transposed convolution itself (no zeros inserted into the input).
 */
public final class TransposedConv2d extends AbstractBlock {
  private final int inChannels;
  private final int outChannels;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int outputPadding;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * @param inChannels {@code C_in}
   * @param outChannels {@code C_out}
   * @param kernel {@code k}
   * @param stride {@code s}
   * @param padding {@code p}
   * @param outputPadding extra rows and columns at the bottom and right, below {@code s}
   */
  public TransposedConv2d(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding) {
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
    this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(inChannels, outChannels, kernel, kernel)).build());
    this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(outChannels)).build());
  }

  /** @return the output height or width for an input one of {@code size}. */
  public long outputSize(long size) {
    return (size - 1) * stride - 2L * padding + kernel + outputPadding;
  }

  /**
   * @param inputs one array of shape {@code (N, C_in, H, W)}
   * @return one array of shape {@code (N, C_out, H_out, W_out)}, on the input's manager
   */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long n = x.getShape().get(0);
    long height = x.getShape().get(2);
    long width = x.getShape().get(3);
    // First operands from the input's manager: results of a parameter would land on the model's manager.
    NDArray w = x.getManager().zeros(new Shape()).add(parameterStore.getValue(weight, x.getDevice(), training));
    NDArray b = x.getManager().zeros(new Shape()).add(parameterStore.getValue(bias, x.getDevice(), training));
    int taps = (kernel + stride - 1) / stride; // A: sub-kernel size
    int padded = taps * stride;
    if (padded > kernel) { // zero taps up to a multiple of the stride
      w = w.concat(x.getManager().zeros(new Shape(inChannels, outChannels, padded - kernel, kernel)), 2);
      w = w.concat(x.getManager().zeros(new Shape(inChannels, outChannels, padded, padded - kernel)), 3);
    }
    // (C_in, C_out, A, s, A, s): tap t = s·a + r; flip a; phases (r_h, r_w) become output channels.
    NDArray phases = w.reshape(inChannels, outChannels, taps, stride, taps, stride)
        .flip(2, 4)
        .transpose(3, 5, 1, 0, 2, 4)
        .reshape(stride * stride * outChannels, inChannels, taps, taps);
    NDArray z = Convolutions.conv2d(x, phases, null, 1, taps - 1);
    long hq = height + taps - 1;
    long wq = width + taps - 1;
    NDArray full = z.reshape(n, stride, stride, outChannels, hq, wq)
        .transpose(0, 3, 4, 1, 5, 2)
        .reshape(n, outChannels, hq * stride, wq * stride);
    long outHeight = outputSize(height);
    long outWidth = outputSize(width);
    full = padTo(full, padding + outHeight, padding + outWidth);
    NDArray cropped = crop(crop(full, 2, padding, outHeight), 3, padding, outWidth);
    return new NDList(cropped.add(b.reshape(1, outChannels, 1, 1)));
  }

  /**
   * @return {@code length} entries of {@code axis} from {@code from}, by splitting: a slice through
   *     {@code NDIndex} builds its index tensors over Java buffers, which autograd keeps for the backward
   *     pass and a garbage collection can free before it runs (see DJL-NOTES, as for constants)
   */
  private static NDArray crop(NDArray array, int axis, long from, long length) {
    long size = array.getShape().get(axis);
    if (from == 0 && length == size) {
      return array;
    }
    NDList parts = array.split(new long[] {from, from + length}, axis);
    return parts.get(from == 0 ? 0 : 1);
  }

  /** Pads with zeros at the bottom and right up to {@code rows × columns} where it is smaller. */
  private static NDArray padTo(NDArray full, long rows, long columns) {
    Shape s = full.getShape();
    NDArray out = full;
    if (s.get(2) < rows) {
      out = NDArrays.concat(new NDList(out, out.getManager().zeros(new Shape(s.get(0), s.get(1), rows - s.get(2),
          s.get(3)))), 2);
    }
    if (out.getShape().get(3) < columns) {
      Shape t = out.getShape();
      out = NDArrays.concat(new NDList(out, out.getManager().zeros(new Shape(t.get(0), t.get(1), t.get(2),
          columns - t.get(3)))), 3);
    }
    return out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), outChannels, outputSize(in.get(2)), outputSize(in.get(3)))};
  }
}
