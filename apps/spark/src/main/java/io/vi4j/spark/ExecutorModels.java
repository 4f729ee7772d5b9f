package io.vi4j.spark;

import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;

/**
 * The models of this JVM (an executor, or the driver in local mode), loaded once per run path and shared
 * by every task that runs here; the first load starts the engine with the task's CPU count as its threads
 * ({@code spark.task.cpus}, 1 by default: an executor with N cores runs N tasks side by side, each with one
 * engine thread, so the cores are not oversubscribed).
 */
final class ExecutorModels {
  private static final ConcurrentHashMap<String, LoadedRun> MODELS = new ConcurrentHashMap<>();
  private static PluginRegistry registry;

  private ExecutorModels() {}

  /** @return the plugins on the class path, loaded once per JVM. */
  static synchronized PluginRegistry registry() {
    if (registry == null) {
      registry = PluginRegistry.load(ExecutorModels.class.getClassLoader());
    }
    return registry;
  }

  /** @return the run's model, loaded by the first task of this JVM that asks (the others wait for it). */
  static LoadedRun get(ShippedRun run) {
    return MODELS.computeIfAbsent(run.path(), key -> {
      TaskContext task = TaskContext.get();
      if (task != null) {
        useThreads(task.cpus());
      }
      try {
        return LoadedRun.load(run, registry());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Sets the engine's intra-op threads unless the engine of this JVM already runs (the driver's, in local
   * mode, which set them from {@code spark.task.cpus} the same way; or a test's): then its count stays.
   */
  static void useThreads(int threads) {
    try {
      Engines.useThreads(threads);
    } catch (IllegalStateException started) {
      // started already
    }
  }

  /** Frees every model of this JVM (tests; a JVM that ends frees them anyway). */
  static void clear() {
    MODELS.values().forEach(LoadedRun::close);
    MODELS.clear();
  }
}
