package io.vi4j.spark;

/** A bad input row in strict mode: the message names the file, the row's id and the problem. */
public final class BadRowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  BadRowException(String message) {
    super(message);
  }
}
