package io.vi4j.core.train;

import java.nio.file.Path;

/**
 * Training stopped because it was asked to ({@link TrainingListener#stopRequested}), after a whole step
 * and, where the run writes checkpoints, after writing one where it stands: the run continues from there.
 */
public final class TrainingStoppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int stepsDone;
  private final int stepsPerEpoch;
  private final long globalStep;
  private final transient Path checkpoint;

  /**
   * @param epoch the epoch it stopped in, 1-based
   * @param stepsDone steps of that epoch done
   * @param stepsPerEpoch steps in an epoch
   * @param globalStep steps of the run done
   * @param checkpoint the checkpoint written where it stopped, or null when the run writes none
   */
  public TrainingStoppedException(int epoch, int stepsDone, int stepsPerEpoch, long globalStep, Path checkpoint) {
    super("training stopped at epoch " + epoch + ", step " + stepsDone + " of " + stepsPerEpoch + " (step "
        + globalStep + " of the run)" + (checkpoint == null ? "" : "; checkpoint " + checkpoint));
    this.epoch = epoch;
    this.stepsDone = stepsDone;
    this.stepsPerEpoch = stepsPerEpoch;
    this.globalStep = globalStep;
    this.checkpoint = checkpoint;
  }

  /** @return the epoch it stopped in, 1-based. */
  public int epoch() {
    return epoch;
  }

  /** @return steps of that epoch done. */
  public int stepsDone() {
    return stepsDone;
  }

  /** @return steps in an epoch. */
  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** @return steps of the run done. */
  public long globalStep() {
    return globalStep;
  }

  /** @return the checkpoint written where it stopped, or null. */
  public Path checkpoint() {
    return checkpoint;
  }
}
