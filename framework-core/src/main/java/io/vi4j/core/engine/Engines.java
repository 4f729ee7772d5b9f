package io.vi4j.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.vi4j.core.config.ExperimentSpec.DeviceChoice;

/**
 * Starts DJL's PyTorch engine the way vi4j needs it: offline (the native library comes from Maven
 * Central as a jar, so nothing is downloaded at run time) and on the device asked for.
 */
public final class Engines {
  private Engines() {}

  /** Sets the engine's process-wide properties unless the user already set them; call before first use. */
  public static synchronized Engine pytorch() {
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    System.setProperty(
        "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils",
        System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error"));
    return Engine.getEngine("PyTorch");
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
}
