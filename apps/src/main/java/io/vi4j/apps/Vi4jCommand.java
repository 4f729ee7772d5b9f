package io.vi4j.apps;

import io.vi4j.core.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code vi4j} command. */
@Command(
    name = "vi4j",
    mixinStandardHelpOptions = true,
    version = "vi4j 0.1.0",
    description = "Latent-variable models trained by stochastic variational inference.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, SampleCommand.class, CompareCommand.class,
        GradVarianceCommand.class, AmortizationGapCommand.class, EmbedCommand.class, ScoreCommand.class,
        ImputeCommand.class})
public final class Vi4jCommand implements Runnable {
  /** Exit status for bad input (config, data, run directory). */
  public static final int BAD_INPUT = 2;
  /** Exit status for an internal error (a bug): the message says to rerun with --debug. */
  public static final int INTERNAL_ERROR = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
      description = "print stack traces of errors")
  boolean debug;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: "
        + String.join(", ", spec.subcommands().keySet()));
  }

  /**
   * @return the configured command line: user errors print one clear line and exit 2; internal errors
   *     print one line and exit 1; {@code --debug} adds the stack trace to either
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Vi4jCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean debug = false;
      for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
        debug |= r.hasMatchedOption("--debug"); // an inherited option matches on the subcommand
      }
      boolean user = isUserError(e);
      commandLine.getErr().println(user
          ? "vi4j: error: " + oneLine(message(e))
          : "vi4j: internal error: " + oneLine(e.toString()) + (debug ? "" : " (rerun with --debug for the stack trace)"));
      if (debug) {
        e.printStackTrace(commandLine.getErr());
      }
      return user ? BAD_INPUT : INTERNAL_ERROR;
    });
    return cli;
  }

  private static boolean isUserError(Throwable e) {
    return io.vi4j.core.engine.NativeErrors.isOutOfMemory(e)
        || e instanceof InputException
        || e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException;
  }

  private static String message(Throwable e) {
    if (io.vi4j.core.engine.NativeErrors.isOutOfMemory(e) && !(e instanceof IllegalArgumentException)) {
      return "out of memory (" + io.vi4j.core.engine.NativeErrors.firstLine(e) + "); lower training.batch_size,"
          + " the estimator's samples or the network's widths, or use a machine with more memory";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /**
   * @return {@code message} as one line a terminal shows as text: control characters and escape
   *     sequences (which a damaged file's bytes can carry into a message) escaped, line breaks joined
   */
  static String oneLine(String message) {
    return io.vi4j.core.io.Printable.line(message);
  }
}
