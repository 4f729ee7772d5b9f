package io.vi4j.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Adam's update of one parameter in a single pass over its memory, for float32 arrays in the engine's CPU
 * memory: each element's weight, gradient and moments are read once, the new weight and moments written
 * once, and the gradient cleared in the same pass. The engine's fused call ({@code adamUpdate}) makes
 * about a dozen passes over the parameter with four temporaries; on the reference VAE (650,000 weights)
 * that was a third of a batch-32 step. The arrays are reached through direct buffers that share the
 * engine's memory (PyTorch engine, looked up at run time: vi4j compiles against DJL's API only), in
 * chunks small enough to stay in the first-level cache, where the JIT vectorizes the arithmetic.
 *
 * <p>A training step hands all its passes over at once ({@link #updateAll}): the calling thread updates
 * the first half of every parameter and one partner thread the second halves. The pass is bound by
 * memory traffic (four arrays read, four written), which one core does not saturate, and the steps of a
 * small model leave the second core idle. One hand-off per step, not per parameter: handing each large
 * parameter to a pool thread separately (session 9) cost as much in wake-ups as the second core saved.
 *
 * <p>An array qualifies only if it is on the CPU, float32 and contiguous (so that the buffer is the
 * array's own memory and not a copy); anything else goes to the engine's call.
 */
final class HostAdam {
  private static final int CHUNK = 1024;
  private static final Method TO_BUFFER;
  private static final Method IS_CONTIGUOUS;
  private static final Object LIBRARY;
  private static final Method HANDLE;

  static {
    Method toBuffer = null;
    Method isContiguous = null;
    Object library = null;
    Method handle = null;
    try {
      Class<?> array = Class.forName("ai.djl.pytorch.engine.PtNDArray");
      toBuffer = array.getMethod("toByteBuffer", boolean.class);
      handle = array.getMethod("getHandle");
      Class<?> jni = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
      Field lib = jni.getDeclaredField("LIB");
      lib.setAccessible(true);
      library = lib.get(null);
      isContiguous = jni.getDeclaredMethod("torchIsContiguous", long.class);
      isContiguous.setAccessible(true);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      toBuffer = null; // another engine, or another DJL: the engine's update is used
    }
    TO_BUFFER = toBuffer;
    IS_CONTIGUOUS = isContiguous;
    LIBRARY = library;
    HANDLE = handle;
    // Load the heap FloatBuffer class before any training step is compiled. Training touches direct
    // buffers only (these views, Minibatches, RowNoise), so while the direct class is the only FloatBuffer
    // loaded the JIT binds the bulk get and put calls to it alone. The first heap buffer (an
    // NDManager.create(float[]) anywhere: the evaluator's did so until it went through HostStaging too)
    // then discards all that compiled code, and the next epoch ran 5-7 % slower while it was compiled
    // again (docs/performance.md).
    FloatBuffer.wrap(new float[1]).put(0, 0f);
  }

  /** Fewest elements in a step's host passes for {@link #updateAll} to split them over two threads. */
  static final long MIN_SPLIT = 1L << 16;
  /**
   * The thread that updates the second halves in {@link #updateAll} when the caller names none, shared by
   * every optimizer in the process: one daemon thread, started on first use where there is more than one
   * core.
   */
  private static volatile HandOffThread sharedPartner;

  private HostAdam partnerScratch; // the partner thread's chunk buffers, made on first use

  private final float[] weights = new float[CHUNK];
  private final float[] gradients = new float[CHUNK];
  private final float[] first = new float[CHUNK];
  private final float[] second = new float[CHUNK];

  /**
   * @return a float view sharing {@code array}'s memory, or null when {@code array} does not qualify (not
   *     the PyTorch engine, not on the CPU, not float32, not contiguous)
   */
  static FloatBuffer view(NDArray array) {
    if (TO_BUFFER == null || !TO_BUFFER.getDeclaringClass().isInstance(array)
        || array.getDataType() != DataType.FLOAT32 || !Device.cpu().equals(array.getDevice())) {
      return null;
    }
    try {
      if (!(Boolean) IS_CONTIGUOUS.invoke(LIBRARY, (Long) HANDLE.invoke(array))) {
        return null; // the buffer would be a contiguous copy, and the update would be lost
      }
      return ((ByteBuffer) TO_BUFFER.invoke(array, true)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /**
   * One Adam step of one parameter, in place: with {@code g} the gradient (clipped to {@code [−c, c]} when
   * {@code clip > 0}), {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
   * {@code w ← w − stepSize·m/(√v + ε)}, and {@code g ← 0}.
   *
   * @param weight the parameter, any shape, flattened
   * @param gradient its gradient, the same length; cleared
   * @param firstMoment {@code m}, the same length
   * @param secondMoment {@code v}, the same length
   * @param stepSize the learning rate with the bias correction folded in
   */
  void update(FloatBuffer weight, FloatBuffer gradient, FloatBuffer firstMoment, FloatBuffer secondMoment,
      float beta1, float beta2, float stepSize, float epsilon, float clip) {
    int n = weight.remaining();
    if (gradient.remaining() != n || firstMoment.remaining() != n || secondMoment.remaining() != n) {
      throw new IllegalArgumentException("Adam's arrays differ in length: weight " + n + ", gradient "
          + gradient.remaining() + ", moments " + firstMoment.remaining() + " and " + secondMoment.remaining());
    }
    for (int offset = 0; offset < n; offset += CHUNK) {
      int length = Math.min(CHUNK, n - offset);
      weight.get(offset, weights, 0, length);
      gradient.get(offset, gradients, 0, length);
      firstMoment.get(offset, first, 0, length);
      secondMoment.get(offset, second, 0, length);
      if (clip > 0) {
        clip(gradients, length, clip);
      }
      step(weights, gradients, first, second, length, beta1, beta2, stepSize, epsilon);
      weight.put(offset, weights, 0, length);
      firstMoment.put(offset, first, 0, length);
      secondMoment.put(offset, second, 0, length);
      gradient.put(offset, gradients, 0, length);
    }
  }

  /**
   * Every host pass of one step, as {@link #update} of each in turn, with the same result bit for bit
   * (every element is updated from its own values only). When they hold at least {@link #MIN_SPLIT}
   * elements and there is a second core, the calling thread updates the first half of each parameter and
   * another thread the second halves, handed over once.
   *
   * @param parameters per parameter its weight, gradient, first and second moment views, in that order
   * @param partner the thread for the second halves (a sliced step's worker, idle by then), or null for the
   *     process's shared partner thread
   */
  void updateAll(List<FloatBuffer[]> parameters, float beta1, float beta2, float stepSize, float epsilon,
      float clip, HandOffThread partner) {
    long total = 0;
    for (FloatBuffer[] p : parameters) {
      total += p[0].remaining();
    }
    HandOffThread other = total < MIN_SPLIT ? null : partner != null ? partner : sharedPartner();
    if (other == null) {
      for (FloatBuffer[] p : parameters) {
        update(p[0], p[1], p[2], p[3], beta1, beta2, stepSize, epsilon, clip);
      }
      return;
    }
    if (partnerScratch == null) {
      partnerScratch = new HostAdam();
    }
    HostAdam scratch = partnerScratch;
    HandOffThread.Pending<Void> secondHalves = other.submit(() -> {
      for (FloatBuffer[] p : parameters) {
        int n = p[0].remaining();
        int half = n / 2;
        scratch.update(p[0].slice(half, n - half), p[1].slice(half, n - half), p[2].slice(half, n - half),
            p[3].slice(half, n - half), beta1, beta2, stepSize, epsilon, clip);
      }
      return null;
    });
    for (FloatBuffer[] p : parameters) {
      int half = p[0].remaining() / 2;
      update(p[0].slice(0, half), p[1].slice(0, half), p[2].slice(0, half), p[3].slice(0, half), beta1, beta2,
          stepSize, epsilon, clip);
    }
    try {
      secondHalves.runHereOrJoin(); // here if the partner has not started them (a busy machine)
    } catch (HandOffThread.HandOffException e) {
      throw new IllegalStateException("Adam's update failed on its partner thread: " + e.getCause(), e.getCause());
    }
  }

  /** @return the shared partner thread, started on first use; null on one core */
  private static HandOffThread sharedPartner() {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return null;
    }
    HandOffThread partner = sharedPartner;
    if (partner == null) {
      synchronized (HostAdam.class) {
        partner = sharedPartner;
        if (partner == null) {
          partner = new HandOffThread("vi4j-adam", () -> {});
          sharedPartner = partner;
        }
      }
    }
    return partner;
  }

  private static void clip(float[] g, int length, float c) {
    for (int i = 0; i < length; i++) {
      g[i] = Math.max(-c, Math.min(c, g[i]));
    }
  }

  /**
   * Adding then subtracting this (2⁻³⁵ + 2⁻⁵⁸) rounds a gradient element to a multiple of 2⁻⁵⁸: elements
   * below 2⁻⁵⁹ (1.7·10⁻¹⁸) in magnitude become zero. Its lowest bit is set so that no element of ordinary
   * size ties in the rounding; see {@link #step}.
   */
  static final float GRADIENT_FLOOR = 0x1.000002p-35f;
  /** The same for the moments: multiples of 2⁻¹⁰³, and zero below 2⁻¹⁰⁴ (5·10⁻³²). */
  static final float MOMENT_FLOOR = 0x1.000002p-80f;

  /**
   * The arithmetic, on arrays the JIT can vectorize; clears {@code g}.
   *
   * <p>Subnormal numbers (below 2⁻¹²⁶) cost the processor about a hundred cycles in a multiplication (12
   * times the whole pass's time where one element in eight was one), and a trained model breeds them: an
   * output unit the data never turns on (an always-black pixel) has its logit pushed down until its
   * gradient {@code σ(logit)·h} is subnormal, where Adam's steps ({@code m/(√v + ε)}, {@code ε} dominating)
   * are too small to move it on, so every step meets them again; and a decaying moment stays subnormal
   * ({@code 0.9·m} rounds back to {@code m}). On the reference VAE this pass took 0.45 ms per half for the
   * first 600 steps and 1.0 ms from step 700 on (docs/performance.md). Flushing them to zero is what
   * processors' flush-to-zero modes do, but Java has no such mode, and a select ({@code |g| < t ? 0 : g})
   * is not vectorized; an addition is, and meets subnormal operands at full speed. So the gradient and
   * each moment pass through {@code (x + floor) − floor} ({@link #GRADIENT_FLOOR}, {@link #MOMENT_FLOOR}):
   * afterwards every operand and product of the pass is normal or zero. The price is one rounding of the
   * smallest values: no element of magnitude 2⁻²⁴ (6·10⁻⁸) or more changed among a million per range,
   * under 1 % of those between 2⁻³² and 2⁻²⁴ moved by one unit in their last place, and smaller ones are
   * rounded to multiples of 2⁻⁵⁸. A weight's update {@code stepSize·m/(√v + ε)} moves by at most about
   * {@code stepSize·2⁻⁵⁸/ε} for it ({@code 3.5·10⁻¹⁰·stepSize} at {@code ε = 10⁻⁸}), far below a float's
   * resolution of a weight of ordinary size.
   */
  private static void step(float[] w, float[] g, float[] m, float[] v, int length, float beta1, float beta2,
      float stepSize, float epsilon) {
    float keep1 = 1 - beta1;
    float keep2 = 1 - beta2;
    for (int i = 0; i < length; i++) {
      float gi = (g[i] + GRADIENT_FLOOR) - GRADIENT_FLOOR;
      float mi = ((beta1 * m[i] + keep1 * gi) + MOMENT_FLOOR) - MOMENT_FLOOR;
      float vi = ((beta2 * v[i] + keep2 * gi * gi) + MOMENT_FLOOR) - MOMENT_FLOOR;
      m[i] = mi;
      v[i] = vi;
      w[i] = w[i] - stepSize * mi / ((float) Math.sqrt(vi) + epsilon);
      g[i] = 0f;
    }
  }
}
