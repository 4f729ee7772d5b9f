package io.vi4j.core.train;

/**
 * Training stopped because the loss or a gradient was not finite. The parameters are those before the
 * offending step (its update was not applied).
 */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int step;

  /** @param message names the step and the quantity; @param epoch 1-based; @param step 1-based within the epoch */
  public TrainingDivergedException(String message, int epoch, int step) {
    super(message);
    this.epoch = epoch;
    this.step = step;
  }

  /** @return the epoch of the offending step, 1-based. */
  public int epoch() {
    return epoch;
  }

  /** @return the offending step within its epoch, 1-based. */
  public int step() {
    return step;
  }
}
