package io.vi4j.api.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * 2-D convolution as im2col and one matrix product: the {@code k²} shifted, strided views of the padded
 * input are stacked into columns {@code (N, C_in·k², H_out·W_out)} and multiplied by the weight read as
 * {@code (C_out, C_in·k²)} (Chellapilla et al. 2006). Its gradients are those of slicing, stacking and a
 * matrix product.
 *
 * <p>Why not always the engine's convolution: in the PyTorch build DJL 0.36 ships (2.7.1, CPU), the
 * gradient of a stride-1 convolution with respect to its input came out different from one call to the
 * next with two intra-op threads — and now and then NaN — while a matrix product of the same data did not
 * (measured here; a training run of a convolutional decoder diverged at a random step). Strided
 * convolutions' gradients were stable, and the forward pass is sound: so the engine computes strided
 * convolutions, and every convolution in a {@link GradientFree} scope (evaluation, sampling), and
 * im2col the rest.
 */
public final class Convolutions {
  /** Strided convolutions through the engine (their gradients were stable); stride 1 through im2col. */
  private static final boolean ENGINE_FOR_STRIDED = !Boolean.getBoolean("vi4j.im2col.always");

  private Convolutions() {}

  /**
   * {@code out[n, o, y, x] = Σ_{c, i, j} in[n, c, s·y + i − p, s·x + j − p] · w[o, c, i, j] + b[o]}.
   *
   * @param input shape {@code (N, C_in, H, W)}
   * @param weight shape {@code (C_out, C_in, k, k)}
   * @param bias shape {@code (C_out)}, or null
   * @param stride {@code s}
   * @param padding {@code p}, zeros on every side
   * @return shape {@code (N, C_out, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1)}, on the input's manager
   */
  public static NDArray conv2d(NDArray input, NDArray weight, NDArray bias, int stride, int padding) {
    if (GradientFree.isActive() || ENGINE_FOR_STRIDED && stride > 1) {
      return engine(input, weight, bias, stride, padding); // its forward pass is sound; its gradient is not
    }
    return im2col(input, onInputsManager(input, weight), bias == null ? null : onInputsManager(input, bias),
        stride, padding);
  }

  /**
   * @return {@code array}, or a copy of it on the input's manager when it lives elsewhere (a parameter):
   *     results of a parameter's own operations would land on the model's manager
   */
  private static NDArray onInputsManager(NDArray input, NDArray array) {
    return array.getManager() == input.getManager() ? array : input.getManager().zeros(new Shape()).add(array);
  }

  /** The engine's convolution (its result on the input's manager); arguments as {@link #conv2d}. */
  static NDArray engine(NDArray input, NDArray weight, NDArray bias, int stride, int padding) {
    return input.getNDArrayInternal().convolution(input, weight, bias, new Shape(stride, stride),
        new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
  }

  /** im2col and one matrix product; arguments as {@link #conv2d}, all on the input's manager. */
  static NDArray im2col(NDArray input, NDArray weight, NDArray bias, int stride, int padding) {
    Shape in = input.getShape();
    long n = in.get(0);
    long channels = in.get(1);
    long outChannels = weight.getShape().get(0);
    int kernel = (int) weight.getShape().get(2);
    NDArray padded = pad(input, padding);
    long height = (in.get(2) + 2L * padding - kernel) / stride + 1;
    long width = (in.get(3) + 2L * padding - kernel) / stride + 1;
    NDList patches = new NDList(kernel * kernel);
    for (int i = 0; i < kernel; i++) {
      for (int j = 0; j < kernel; j++) {
        patches.add(padded.get(new NDIndex(":, :, {}:{}:{}, {}:{}:{}", i, i + stride * (height - 1) + 1, stride,
            j, j + stride * (width - 1) + 1, stride)));
      }
    }
    NDArray columns = NDArrays.stack(patches, 2).reshape(n, channels * kernel * kernel, height * width);
    NDArray out = weight.reshape(outChannels, -1).matMul(columns).reshape(n, outChannels, height, width);
    return bias == null ? out : out.add(bias.reshape(1, outChannels, 1, 1));
  }

  /** @return {@code input} with {@code padding} zeros on every side of its last two axes. */
  static NDArray pad(NDArray input, int padding) {
    if (padding == 0) {
      return input;
    }
    Shape s = input.getShape();
    NDArray rows = input.getManager().zeros(new Shape(s.get(0), s.get(1), padding, s.get(3)), input.getDataType());
    NDArray tall = NDArrays.concat(new NDList(rows, input, rows), 2);
    NDArray columns = input.getManager().zeros(new Shape(s.get(0), s.get(1), s.get(2) + 2L * padding, padding),
        input.getDataType());
    return NDArrays.concat(new NDList(columns, tall, columns), 3);
  }
}
