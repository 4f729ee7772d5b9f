package io.vi4j.core.train;

import java.nio.file.Path;

/**
 * Where the trainer saves its state, and the state it resumes from; the checkpoint package implements
 * it (the trainer knows nothing of files).
 */
public interface TrainingCheckpoints {
  /** Writes nothing and starts afresh. */
  TrainingCheckpoints NONE = new TrainingCheckpoints() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public int everySteps() {
      return 0;
    }

    @Override
    public TrainingPosition restore(TrainingState state, int epochs) {
      return TrainingPosition.START;
    }

    @Override
    public Path save(TrainingState state, TrainingPosition position) {
      throw new IllegalStateException("no checkpoints are written");
    }
  };

  /** @return whether {@link #save} writes checkpoints. */
  boolean enabled();

  /** @return write one every this many steps of the run besides each epoch's end; 0 for epoch ends only. */
  int everySteps();

  /**
   * Puts the saved state into {@code state}'s parameters, optimizer and estimator, after checking it fits
   * them and the data.
   *
   * @param epochs the run's number of epochs
   * @return where to continue; {@link TrainingPosition#START} when there is nothing to resume from
   * @throws IllegalArgumentException naming the checkpoint and what does not fit
   */
  TrainingPosition restore(TrainingState state, int epochs);

  /**
   * Saves the state at {@code position}.
   *
   * @return where it was written
   * @throws java.io.UncheckedIOException naming the place when it cannot be written
   */
  Path save(TrainingState state, TrainingPosition position);
}
