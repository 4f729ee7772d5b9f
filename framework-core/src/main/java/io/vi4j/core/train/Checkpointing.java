package io.vi4j.core.train;

import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.CheckpointStore;

/**
 * Whether and where the trainer checkpoints, and the checkpoint it resumes from.
 *
 * @param store where checkpoints are written, or null for none
 * @param everySteps write one every this many steps (over the whole run), besides each epoch's end; 0 for
 *     epoch ends only
 * @param configDigest identifies the run's resolved config; a checkpoint of another config is refused
 * @param resumeFrom the checkpoint to continue from, or null to start afresh
 */
public record Checkpointing(CheckpointStore store, int everySteps, String configDigest, Checkpoint resumeFrom) {

  /** @return no checkpoints, starting afresh. */
  public static Checkpointing none() {
    return new Checkpointing(null, 0, "", null);
  }

  /** Validates. */
  public Checkpointing {
    if (everySteps < 0) {
      throw new IllegalArgumentException("everySteps must be ≥ 0, got " + everySteps);
    }
    configDigest = configDigest == null ? "" : configDigest;
  }

  /** @return whether checkpoints are written. */
  public boolean enabled() {
    return store != null;
  }
}
