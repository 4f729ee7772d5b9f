package io.vi4j.core.train;

import io.vi4j.core.engine.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The threads a split training step runs on: its minibatch's rows are cut into {@link #count} slices,
 * slice 0 computed on the calling (training) thread and each other slice on a worker thread of its own
 * (or on the calling thread, when it is done with its own before the worker has started: a machine busy
 * with other work), all of them on one engine thread. Each slice runs its own forward and backward pass; the engine adds
 * every slice's gradient into the parameters' gradients (under a lock per parameter). Addition of two
 * numbers does not depend on their order, so with two slices the gradients are the same bit for bit
 * whichever finishes first; with more, the order of the additions can vary (a difference of rounding).
 *
 * <p>Why: the reference VAE's operations are too small for the engine to split each of them over the
 * cores profitably (waking a second thread for every operation costs what it saves: {@link StepThreads}),
 * but two slices of a minibatch computed side by side, each on one core, meet only once per step. On the
 * 2-core Intel machine of session 11 that raised batch 128's throughput from about 26,000 to 28,000-31,000
 * samples/s and batch 1024's from 50,000 to 64,000 (docs/performance.md). It needs an objective whose loss
 * is a mean of per-row terms with per-row noise ({@link TrainingObjective#rowSeparable}).
 */
final class StepShards implements AutoCloseable {
  private static final AtomicInteger FITS = new AtomicInteger();

  private final int count;
  private final List<HandOffThread> workers; // count − 1 threads

  /**
   * @param count the slices, at least 1; {@code count − 1} worker threads are started, each on one engine
   *     thread, recording gradients
   */
  StepShards(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a step needs at least one slice, got " + count);
    }
    this.count = count;
    int fit = FITS.incrementAndGet();
    List<HandOffThread> threads = new ArrayList<>(count - 1);
    for (int s = 1; s < count; s++) {
      threads.add(new HandOffThread("vi4j-slice-" + fit + "-" + s, () -> {
        Engines.setThreads(1);
        Engines.recordGradients();
      }));
    }
    this.workers = List.copyOf(threads);
  }

  /** @return the slices a step is cut into */
  int count() {
    return count;
  }

  /**
   * @return the first worker, idle once the slices have run, which takes the other half of Adam's pass
   *     ({@link HostAdam#updateAll}); null for one slice
   */
  HandOffThread partner() {
    return workers.isEmpty() ? null : workers.get(0);
  }

  /**
   * The slices' bounds: slice {@code s} holds rows {@code [bounds[s], bounds[s + 1])} of {@code [from, to)},
   * sizes differing by at most one, the larger first.
   *
   * @param slices from 1 to {@code to − from}
   */
  static int[] bounds(int from, int to, int slices) {
    int rows = to - from;
    if (slices < 1 || slices > rows) {
      throw new IllegalArgumentException(rows + " rows cannot be cut into " + slices + " slices");
    }
    int[] bounds = new int[slices + 1];
    bounds[0] = from;
    for (int s = 0; s < slices; s++) {
      bounds[s + 1] = bounds[s] + rows / slices + (s < rows % slices ? 1 : 0);
    }
    return bounds;
  }

  /**
   * Runs {@code slice} for every slice, slice 0 on the calling thread, and returns once all have ended.
   *
   * @param slices how many slices this step has (at most {@link #count}: a short last batch may have fewer)
   * @return the slices' results, in slice order
   * @throws RuntimeException the first failure in slice order (a worker's as it was thrown), after every
   *     slice has ended
   */
  <T> List<T> run(int slices, IntFunction<T> slice) {
    if (slices < 1 || slices > count) {
      throw new IllegalArgumentException("a step of " + count + " slices cannot run " + slices);
    }
    List<HandOffThread.Pending<T>> others = new ArrayList<>(slices - 1);
    for (int s = 1; s < slices; s++) {
      int index = s;
      others.add(workers.get(s - 1).submit(() -> slice.apply(index)));
    }
    List<T> results = new ArrayList<>(slices);
    RuntimeException failure = null;
    try {
      results.add(slice.apply(0));
    } catch (RuntimeException e) {
      failure = e;
    }
    // Every slice ends before the step's arrays are closed; one not yet started runs here.
    for (HandOffThread.Pending<T> other : others) {
      try {
        results.add(other.runHereOrJoin());
      } catch (HandOffThread.HandOffException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException runtime ? runtime
              : new IllegalStateException("a slice of the training step failed on its thread: " + e.getCause(),
                  e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return results;
  }

  @Override
  public void close() {
    workers.forEach(HandOffThread::close);
  }
}
