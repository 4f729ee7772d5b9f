package io.vi4j.core.config;

import io.vi4j.api.kit.spec.Checks;

/**
 * When the trainer writes checkpoints into the run directory's {@code checkpoints/} (see
 * docs/checkpoints.md). A checkpoint is always written at the end of each epoch, after its evaluation.
 *
 * @param everySteps also write one every this many steps (counted over the whole run); 0 means only at
 *     epoch ends
 * @param keep how many of the newest checkpoints to keep
 */
public record CheckpointSpec(Integer everySteps, Integer keep) {

  /** The defaults: every 500 steps and at epoch ends, the newest 3 kept. */
  public static CheckpointSpec defaults() {
    return new CheckpointSpec(null, null);
  }

  /** Fills defaults and validates. */
  public CheckpointSpec {
    everySteps = Checks.atLeast("every_steps", everySteps, 500, 0);
    keep = Checks.atLeast("keep", keep, 3, 1);
  }
}
