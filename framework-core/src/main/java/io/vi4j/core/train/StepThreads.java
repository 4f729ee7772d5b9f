package io.vi4j.core.train;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.kit.nn.Convolutions;
import io.vi4j.core.engine.Engines;

/**
 * The engine's intra-op threads for a fit's training steps. Splitting one operation over the engine's
 * threads pays when the operation is large; when it is small, waking the other threads for it (a futex
 * wake-up each under {@code OMP_WAIT_POLICY=PASSIVE}, an OpenMP barrier after it) costs more than they
 * save. On 2-core machines one thread trained the reference VAE (784-400-20) 1.1-1.3× faster than two at
 * batches 32 to 256 and two were 1.1-1.4× faster at batch 512 and above and for the convolutional VAE
 * (docs/performance.md, "Threads").
 *
 * <p>So, unless the user fixed the count ({@link Engines#threadsFixed}) or the model is not on the CPU, the
 * steps of a fit whose widest array ({@code batch × } the objective's {@link
 * TrainingObjective#widestPerItem widest layer per item}) holds fewer than {@link #SMALL_OPERATION} floats
 * run on one thread; evaluation between epochs, and everything after the fit, keeps the engine's count.
 * The count is the training thread's own (PyTorch keeps OpenMP's and MKL's per calling thread).
 *
 * <p>A step can also be split into slices of rows computed side by side ({@link StepShards}), each on one
 * engine thread: {@link #slicesFor} chooses how many, and then every slice runs on one thread.
 */
final class StepThreads implements AutoCloseable {
  /**
   * Below this many floats in a step's widest array its steps run on one thread: 2¹⁸ (1 MiB of float32),
   * between batch 256 (200,704 floats, one thread faster) and batch 512 (401,408, two faster) of the
   * reference VAE.
   */
  static final long SMALL_OPERATION = 1L << 18;

  /**
   * The fewest rows a slice of a split step holds when the split is chosen for the user: on the 2-core
   * Intel machine batch 32 in two slices of 16 trained slower than unsplit (9,533 against 10,591
   * samples/s), batch 128 in two of 64 faster (28,000-31,000 against 26,000).
   */
  static final int MIN_SLICE_ROWS = 64;

  private final int engineThreads;
  private final int stepThreads;

  private StepThreads(int engineThreads, int stepThreads) {
    this.engineThreads = engineThreads;
    this.stepThreads = stepThreads;
  }

  /**
   * How many slices a fit's steps are cut into ({@code training.shards}).
   *
   * @param configured the config's count; 0 chooses: on the CPU, for a row-separable objective, one slice
   *     per engine thread, as long as each holds at least {@link #MIN_SLICE_ROWS} rows, else 1
   * @param batchSize the rows of a full step
   * @param engineThreads the engine's threads (the cores a step may use)
   * @param separable whether the objective allows it ({@link TrainingObjective#rowSeparable})
   * @param cpu whether the model computes on the CPU
   * @param what the objective's loss, for the message
   * @throws IllegalArgumentException when more than one slice is asked for where a step cannot be split
   */
  static int slicesFor(int configured, int batchSize, int engineThreads, boolean separable, boolean cpu,
      String what) {
    if (configured > 1) {
      if (!cpu) {
        throw new IllegalArgumentException("training.shards: " + configured + " splits a step over CPU threads,"
            + " but the model is on a GPU; remove training.shards or set it to 1");
      }
      if (!separable) {
        throw new IllegalArgumentException("training.shards: " + configured + " needs an objective separable over"
            + " the minibatch's rows, and " + what + " is not (running state such as a moving-average baseline,"
            + " a batch-norm or dropout layer, free per-item posteriors, or a part that does not declare it);"
            + " remove training.shards or set it to 1");
      }
      return Math.min(configured, batchSize);
    }
    if (configured == 1 || !cpu || !separable || engineThreads < 2) {
      return 1;
    }
    return Math.max(1, Math.min(engineThreads, batchSize / MIN_SLICE_ROWS));
  }

  /**
   * @param widestArray the floats of a step's widest array ({@code batch × widest layer per item})
   * @param engineThreads the engine's threads for the calling thread (0: unknown, not PyTorch's engine)
   * @param fixed whether the user fixed the count
   * @param cpu whether the model computes on the CPU
   * @return the threads a step runs on
   */
  static int forSteps(long widestArray, int engineThreads, boolean fixed, boolean cpu) {
    boolean small = widestArray < SMALL_OPERATION;
    return fixed || !cpu || engineThreads <= 1 || !small ? engineThreads : 1;
  }

  /** Chooses for a fit on the calling thread; {@link #close} puts the engine's count back. */
  static StepThreads choose(long widestArray, boolean cpu) {
    int engine = Engines.threads();
    return new StepThreads(engine, forSteps(widestArray, engine, Engines.threadsFixed(), cpu));
  }

  /**
   * For a fit whose steps are cut into slices: each runs on one engine thread (the calling thread's is set
   * by {@link #forSteps()}; {@link StepShards} sets its workers').
   */
  static StepThreads sliced() {
    return new StepThreads(Engines.threads(), 1);
  }

  /** @return the threads the steps run on */
  int steps() {
    return stepThreads;
  }

  /** @return the engine's threads, which evaluation keeps */
  int engine() {
    return engineThreads;
  }

  /** Before a run of steps. */
  void forSteps() {
    if (stepThreads != engineThreads) {
      Engines.setThreads(stepThreads);
    }
  }

  /** Before an evaluation, and when the fit ends. */
  void forEvaluation() {
    if (stepThreads != engineThreads) {
      Engines.setThreads(engineThreads);
    }
  }

  /**
   * Probes the engine's stride-1 convolution gradient ({@link Convolutions#probeEngine}) with the steps'
   * threads, on the calling thread.
   */
  Convolutions.StrideOne probeConvolutions(NDManager manager) {
    forSteps();
    try {
      return Convolutions.probeEngine(manager);
    } finally {
      forEvaluation();
    }
  }

  @Override
  public void close() {
    forEvaluation();
  }
}
