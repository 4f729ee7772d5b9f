package io.vi4j.api.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
 * im2col the rest — unless a {@link #probeEngine} scope found the engine's stride-1 gradient sound on this
 * machine (the trainer probes before a convolutional model's first step): the fault was seen on an AMD
 * EPYC (Zen 5), not on an Intel Xeon, where the engine halved a convolutional VAE's step.
 */
public final class Convolutions {
  /** Strided convolutions through the engine (their gradients were stable); stride 1 through im2col. */
  private static final boolean ENGINE_FOR_STRIDED = !Boolean.getBoolean("vi4j.im2col.always");

  /** Whether the calling thread's stride-1 convolutions go to the engine ({@link #probeEngine}). */
  private static final ThreadLocal<Boolean> ENGINE_FOR_STRIDE_ONE = ThreadLocal.withInitial(() -> false);

  /** Engine gradients the probe computes and compares bit for bit. */
  static final int PROBE_REPEATS = 4;

  private Convolutions() {}

  /**
   * The calling thread's choice for stride-1 convolutions with a gradient, from {@link #probeEngine}
   * until {@link #close}, which puts back the one before.
   */
  public static final class StrideOne implements AutoCloseable {
    private final boolean previous;
    private final boolean engine;

    private StrideOne(boolean previous, boolean engine) {
      this.previous = previous;
      this.engine = engine;
      ENGINE_FOR_STRIDE_ONE.set(engine);
    }

    /** @return whether the engine computes this thread's stride-1 convolutions (else im2col) */
    public boolean engine() {
      return engine;
    }

    @Override
    public void close() {
      ENGINE_FOR_STRIDE_ONE.set(previous);
    }
  }

  /**
   * Probes, on the calling thread with its current engine threads, whether the engine's stride-1
   * convolution has a sound gradient here: {@value #PROBE_REPEATS} gradients of a fixed convolution
   * (input {@code (16, 32, 14, 14)}, kernel 3×3 to 8 channels, padding 1) with respect to its input and
   * its weight must be finite, equal bit for bit to each other, and equal to im2col's within 1e-4 of their
   * largest value. Where that holds, the thread's stride-1 convolutions go to the engine until the scope
   * closes (on the 2-core Intel machine of session 10 that halved a convolutional VAE's step); where it
   * does not (an AMD EPYC's gave different gradients in 98 of 99 repeats, now and then NaN), im2col. The
   * probe draws nothing from the engine's random stream. Call it outside any gradient collector (it runs
   * its own); {@code -Dvi4j.im2col.always=true} skips it and keeps im2col.
   *
   * @param manager where the probe's arrays live (closed before it returns); its device is probed
   * @return the thread's choice, to close when the work that relies on it ends
   */
  public static StrideOne probeEngine(NDManager manager) {
    boolean previous = ENGINE_FOR_STRIDE_ONE.get();
    return new StrideOne(previous,
        ENGINE_FOR_STRIDED && sound(manager, (x, w) -> engine(x, w, null, 1, 1)));
  }

  /**
   * Applies, on the calling thread, a choice reached by {@link #probeEngine} on another: a trainer that
   * splits a step over threads probes once and lets each of its threads follow the verdict.
   *
   * @param engine whether the calling thread's stride-1 convolutions go to the engine (else im2col)
   * @return the thread's choice, to close when the work that relies on it ends
   */
  public static StrideOne follow(boolean engine) {
    return new StrideOne(ENGINE_FOR_STRIDE_ONE.get(), ENGINE_FOR_STRIDED && engine);
  }

  /** A stride-1, padding-1 convolution without bias, as the probe calls it. */
  interface Kernel {
    /**
     * @param x shape {@code (N, C_in, H, W)}
     * @param w shape {@code (C_out, C_in, 3, 3)}
     * @return shape {@code (N, C_out, H, W)}
     */
    NDArray apply(NDArray x, NDArray w);
  }

  /**
   * @return whether {@code candidate}'s gradients pass the probe of {@link #probeEngine}: finite, equal bit
   *     for bit over {@value #PROBE_REPEATS} repeats, and equal to im2col's within 1e-4 of their largest value
   */
  static boolean sound(NDManager owner, Kernel candidate) {
    java.util.Random random = new java.util.Random(20261202);
    Shape inputShape = new Shape(16, 32, 14, 14);
    Shape weightShape = new Shape(8, 32, 3, 3);
    float[] input = gaussian(random, inputShape.size(), 1f);
    float[] weight = gaussian(random, weightShape.size(), 0.1f);
    float[] upstream = gaussian(random, 16L * 8 * 14 * 14, 1f);
    float[][] reference =
        gradients(owner, input, weight, upstream, inputShape, weightShape, (x, w) -> im2col(x, w, null, 1, 1));
    float[][] first = null;
    for (int repeat = 0; repeat < PROBE_REPEATS; repeat++) {
      float[][] engine = gradients(owner, input, weight, upstream, inputShape, weightShape, candidate);
      if (first == null) {
        first = engine;
        for (int g = 0; g < 2; g++) {
          if (!close(engine[g], reference[g])) {
            return false;
          }
        }
      } else if (!java.util.Arrays.equals(first[0], engine[0]) || !java.util.Arrays.equals(first[1], engine[1])) {
        return false;
      }
    }
    return true;
  }

  /** @return the gradients {@code [d/d input, d/d weight]} of {@code Σ conv(input, weight) · upstream} */
  private static float[][] gradients(NDManager owner, float[] input, float[] weight, float[] upstream,
      Shape inputShape, Shape weightShape, Kernel kernel) {
    try (NDManager scope = owner.newSubManager()) {
      NDArray x = scope.create(input, inputShape);
      NDArray w = scope.create(weight, weightShape);
      x.setRequiresGradient(true);
      w.setRequiresGradient(true);
      try (ai.djl.training.GradientCollector collector = scope.getEngine().newGradientCollector()) {
        NDArray out = kernel.apply(x, w);
        collector.backward(out.mul(scope.create(upstream, out.getShape())).sum());
      }
      return new float[][] {x.getGradient().toFloatArray(), w.getGradient().toFloatArray()};
    }
  }

  private static boolean close(float[] got, float[] expected) {
    float scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < got.length; i++) {
      if (!Float.isFinite(got[i]) || Math.abs(got[i] - expected[i]) > 1e-4f * Math.max(scale, 1e-30f)) {
        return false;
      }
    }
    return got.length == expected.length;
  }

  private static float[] gaussian(java.util.Random random, long n, float scale) {
    float[] values = new float[(int) n];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * scale;
    }
    return values;
  }

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
    if (GradientFree.isActive() || ENGINE_FOR_STRIDED && (stride > 1 || ENGINE_FOR_STRIDE_ONE.get())) {
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
