package io.vi4j.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.vi4j.core.engine.DeviceChoice;

/**
 * Starts DJL's PyTorch engine the way vi4j needs it: offline (the native library comes from Maven
 * Central as a jar, so nothing is downloaded at run time) and on the device asked for.
 */
public final class Engines {
  private static Engine engine;

  private Engines() {}

  /**
   * Sets the engine's process-wide properties unless the user already set them, on the first call; later
   * calls return the same engine (it is asked for at every training step, to seed it).
   */
  public static synchronized Engine pytorch() {
    if (engine != null) {
      return engine;
    }
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    System.setProperty(
        "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils",
        System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error"));
    engine = Engine.getEngine("PyTorch");
    return engine;
  }

  /** The JVM property the engine reads its intra-op thread count from when it starts. */
  public static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
  /** The JVM property the engine reads its inter-op thread count from when it starts. */
  public static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

  /**
   * Asks for {@code threads} intra-op threads (one operation split over that many cores) and one inter-op
   * thread (vi4j runs one operation at a time), before the engine starts: the counts are read once, at
   * start.
   *
   * @param threads at least 1
   * @throws IllegalArgumentException when {@code threads} is below 1
   * @throws IllegalStateException when the engine has already started with another count
   */
  public static synchronized void useThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
    if (engine != null) {
      if (Integer.getInteger(INTRA_OP_THREADS, -1) != threads) {
        throw new IllegalStateException("the engine has already started with "
            + System.getProperty(INTRA_OP_THREADS, "its default") + " threads; ask for " + threads
            + " before it starts (first thing in the process)");
      }
      return;
    }
    System.setProperty(INTRA_OP_THREADS, Integer.toString(threads));
    System.setProperty(INTER_OP_THREADS, "1");
  }

  /**
   * @return whether the user fixed the engine's intra-op thread count ({@code --threads}, {@code
   *     VI4J_THREADS}, {@link #useThreads} or {@code -Dai.djl.pytorch.num_threads}); when not, vi4j may choose
   *     a count per phase of the work (the trainer's steps, {@code io.vi4j.core.train.StepThreads})
   */
  public static boolean threadsFixed() {
    return System.getProperty(INTRA_OP_THREADS) != null;
  }

  /**
   * @return the engine's intra-op threads for the operations the calling thread starts (PyTorch keeps the
   *     count per thread: OpenMP's and MKL's settings are the calling thread's), or 0 when the engine is not
   *     PyTorch's
   */
  public static int threads() {
    pytorch();
    try {
      return (Integer) threadsMethod("getNumThreads").invoke(null);
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      return 0;
    }
  }

  /**
   * Sets the engine's intra-op threads for the operations the calling thread starts from now on (other
   * threads keep theirs). The engine's pool is not rebuilt: asking for fewer threads than it started with
   * leaves the others asleep.
   *
   * @param threads at least 1
   * @throws IllegalArgumentException when {@code threads} is below 1
   * @throws IllegalStateException when the engine is not PyTorch's (its JNI layer is looked up at run time:
   *     vi4j compiles against DJL's API only)
   */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("engine threads must be at least 1, got " + threads);
    }
    pytorch();
    try {
      threadsMethod("setNumThreads", int.class).invoke(null, threads);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("cannot set the engine's threads: " + e, e);
    }
  }

  /**
   * Lets the engine record the graph of the calling thread's operations, for a backward pass started on
   * this thread or another (PyTorch keeps the switch per thread; a DJL gradient collector sets it for the
   * thread that opens it, and only one collector may be open at a time). A thread that computes part of a
   * step whose collector another thread opened calls this first.
   *
   * @throws IllegalStateException when the engine is not PyTorch's
   */
  public static void recordGradients() {
    pytorch();
    try {
      threadsMethod("setGradMode", boolean.class).invoke(null, true);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("cannot switch the engine's gradient recording on: " + e, e);
    }
  }

  private static java.lang.reflect.Method threadsMethod(String name, Class<?>... parameters)
      throws ReflectiveOperationException {
    return Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod(name, parameters);
  }

  /**
   * @return the device for a choice: {@code auto} picks the first GPU when the engine sees one
   * @throws IllegalStateException when {@code gpu} is asked for and none is visible
   */
  public static Device device(DeviceChoice choice) {
    int gpus = pytorch().getGpuCount();
    return switch (choice) {
      case CPU -> Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new IllegalStateException(
              "device: gpu was asked for but the engine sees no GPU; build with -Pcuda on a machine with"
                  + " CUDA (docs/gpu.md) or set device: cpu");
        }
        yield Device.gpu();
      }
      case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
    };
  }

  /** Seeds the engine's random stream (parameter initialization and latent noise). */
  public static void seed(long seed) {
    pytorch().setRandomSeed((int) (seed ^ (seed >>> 32)));
  }

  /**
   * Derives the seed of the {@code index}-th member of a family of random streams from {@code seed}
   * (SplitMix64's finalizer over {@code seed + γ·(index + 1)}; Steele, Lea &amp; Flood 2014), so that the
   * noise of, say, training step {@code i} depends on {@code (seed, i)} only and a resumed run draws the
   * same noise as an uninterrupted one.
   */
  public static long fold(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
