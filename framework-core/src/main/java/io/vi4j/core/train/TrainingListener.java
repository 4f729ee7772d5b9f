package io.vi4j.core.train;

/** Hears the trainer's progress (a progress bar, a metrics file). Every method defaults to nothing. */
public interface TrainingListener {

  /**
   * The fit chose the engine's threads for its steps (once, before the first step): {@code stepThreads} of
   * the engine's {@code engineThreads} (fewer when a step's operations are too small to split; {@code
   * StepThreads}).
   *
   * @param widestArray the floats of a step's widest array ({@code batch × widest layer per item})
   */
  default void threadsChosen(int stepThreads, int engineThreads, long widestArray) {}

  /**
   * The fit cut its steps into {@code slices} slices of rows computed side by side, each on one engine
   * thread (once, before the first step; {@code StepShards}); {@link #threadsChosen} is then not called.
   *
   * @param batchSize the rows of a full step
   */
  default void slicesChosen(int slices, int batchSize) {}

  /**
   * A convolutional fit probed the engine's stride-1 convolution gradient (once, before the first step):
   * {@code engine} when the engine computes its stride-1 convolutions, false for im2col ({@code
   * Convolutions#probeEngine}).
   */
  default void convolutionsChosen(boolean engine) {}

  /** An epoch of {@code steps} minibatches begins. */
  default void epochStarted(int epoch, int epochs, int steps) {}

  /**
   * Minibatches were done.
   *
   * @param step 1-based step within the epoch
   * @param runningNegElbo the epoch's mean −ELBO per item so far, or NaN when not read at this step
   *     (reading it synchronizes with the device, so it is read only every few steps)
   */
  default void stepDone(int epoch, int step, double runningNegElbo) {}

  /** An epoch ended (with its evaluation, if any). */
  default void epochEnded(EpochMetrics metrics) {}

  /** The training loop ended: every epoch is done (what follows is saving and evaluating). */
  default void trainingEnded() {}

  /**
   * Asked after every step: when true, the trainer writes a checkpoint where it stands (if it writes
   * checkpoints) and stops with {@link TrainingStoppedException} (a signal asked the process to end).
   */
  default boolean stopRequested() {
    return false;
  }

  /** @return a listener telling both. */
  default TrainingListener and(TrainingListener other) {
    TrainingListener self = this;
    return new TrainingListener() {
      @Override
      public void threadsChosen(int stepThreads, int engineThreads, long widestArray) {
        self.threadsChosen(stepThreads, engineThreads, widestArray);
        other.threadsChosen(stepThreads, engineThreads, widestArray);
      }

      @Override
      public void slicesChosen(int slices, int batchSize) {
        self.slicesChosen(slices, batchSize);
        other.slicesChosen(slices, batchSize);
      }

      @Override
      public void convolutionsChosen(boolean engine) {
        self.convolutionsChosen(engine);
        other.convolutionsChosen(engine);
      }

      @Override
      public void epochStarted(int epoch, int epochs, int steps) {
        self.epochStarted(epoch, epochs, steps);
        other.epochStarted(epoch, epochs, steps);
      }

      @Override
      public void stepDone(int epoch, int step, double runningNegElbo) {
        self.stepDone(epoch, step, runningNegElbo);
        other.stepDone(epoch, step, runningNegElbo);
      }

      @Override
      public void epochEnded(EpochMetrics metrics) {
        self.epochEnded(metrics);
        other.epochEnded(metrics);
      }

      @Override
      public void trainingEnded() {
        self.trainingEnded();
        other.trainingEnded();
      }

      @Override
      public boolean stopRequested() {
        return self.stopRequested() || other.stopRequested();
      }
    };
  }
}
