package io.vi4j.core.plugin;

import io.vi4j.core.InputException;

/** A plugin set that cannot be assembled: a name registered twice, a spec of the wrong kind. */
public final class PluginException extends InputException {
  private static final long serialVersionUID = 1L;

  /** @param message says which plugins and which names */
  public PluginException(String message) {
    super(message);
  }

  /** @param message says which plugins and which names; @param cause the underlying failure */
  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
