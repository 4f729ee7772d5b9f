package io.vi4j.core;

import io.vi4j.core.io.Printable;

/**
 * An unchecked error in what the user supplied — a config ({@link io.vi4j.core.config.ConfigException}),
 * the plugin set ({@link io.vi4j.core.plugin.PluginException}) or a model whose parts do not fit together
 * ({@link io.vi4j.core.run.ModelAssembler.IncompatibleAssemblyException}) — that the user can fix; the
 * command line reports it as bad input (exit 2). The message names what is at fault and what is wrong,
 * and is always one line without control characters ({@link Printable#line}), whatever the input held.
 *
 * <p>Files that cannot be used (data, parameters, checkpoints) are reported by checked
 * {@link java.io.IOException}s instead, such as {@link io.vi4j.core.data.DataException} and
 * {@link io.vi4j.core.checkpoint.CheckpointException}.
 */
public abstract class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message the whole explanation, made one printable line */
  protected InputException(String message) {
    super(Printable.line(message));
  }

  /** @param message the whole explanation, made one printable line; @param cause the underlying failure */
  protected InputException(String message, Throwable cause) {
    super(Printable.line(message), cause);
  }
}
