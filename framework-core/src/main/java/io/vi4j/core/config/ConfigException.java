package io.vi4j.core.config;

/** A config that cannot be used; the message names the file, the field's path and what is accepted. */
public final class ConfigException extends RuntimeException {
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
