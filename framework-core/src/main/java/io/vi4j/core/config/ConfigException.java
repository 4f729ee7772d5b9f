package io.vi4j.core.config;

import io.vi4j.core.InputException;

/**
 * A config that cannot be used; the message names the file, the field's path and what is accepted. The
 * message is always one line without control characters, whatever the config held.
 */
public final class ConfigException extends InputException {
  private static final long serialVersionUID = 1L;

  /** @param message the whole explanation */
  public ConfigException(String message) {
    super(message);
  }

  /** @param message the whole explanation; @param cause the parser's exception */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
