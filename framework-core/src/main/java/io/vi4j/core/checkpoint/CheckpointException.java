package io.vi4j.core.checkpoint;

import java.io.IOException;

/** A checkpoint that cannot be used: missing, corrupt (checksum), truncated, or from another run. */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message names the file and what is wrong with it */
  public CheckpointException(String message) {
    super(message);
  }

  /** @param message names the file and what is wrong with it */
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
