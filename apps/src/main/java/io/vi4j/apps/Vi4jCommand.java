package io.vi4j.apps;

import io.vi4j.core.InputException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        ImputeCommand.class, PluginsCommand.class, ModelCommand.class})
public final class Vi4jCommand implements Runnable {
  /** Exit status for bad input (config, data, run directory). */
  public static final int BAD_INPUT = 2;
  /** Exit status for an internal error (a bug): the message says to rerun with --debug. */
  public static final int INTERNAL_ERROR = 1;

  /** The environment variable that sets the engine's threads, like {@code --threads}. */
  public static final String THREADS_VARIABLE = "VI4J_THREADS";

  /** The environment variable that lists outside plugin jars and folders, like {@code --plugins}. */
  public static final String PLUGINS_VARIABLE = "VI4J_PLUGINS";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // Read from the parse result (picocli resets an inherited option's list when a subcommand matches it too).
  @CommandLine.Option(names = "--plugins", scope = CommandLine.ScopeType.INHERIT, paramLabel = "PATH",
      description = "load plugins from an outside jar, or from every *.jar in a folder (repeatable; also "
          + PLUGINS_VARIABLE + ", entries separated by '${sys:path.separator}')")
  List<Path> plugins;

  @CommandLine.Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
      description = "the engine's threads for one operation (default: " + Runtime.DEFAULT_THREADS_TEXT
          + "); also VI4J_THREADS")
  Integer threads;

  @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of an error after its line.")
  boolean debug;

  @CommandLine.Option(names = "--no-progress", scope = CommandLine.ScopeType.INHERIT,
      description = "Show no progress while the command works (without it: a bar on a terminal, else one line per"
          + " stage).")
  boolean noProgress;

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
    return commandLine(System.getenv());
  }

  /**
   * As {@link #commandLine()}, reading {@value #PLUGINS_VARIABLE} from {@code environment} (tests).
   *
   * @param environment the environment variables
   */
  static CommandLine commandLine(Map<String, String> environment) {
    CommandLine cli = new CommandLine(new Vi4jCommand());
    cli.setExecutionStrategy(parseResult -> {
      Runtime.useThreads(threads(parseResult, environment.get(THREADS_VARIABLE)));
      Runtime.usePlugins(pluginLocations(parseResult, environment.get(PLUGINS_VARIABLE)), cli.getErr()::println);
      boolean quiet = false;
      for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
        quiet |= r.hasMatchedOption("--no-progress"); // an inherited option matches on the subcommand
      }
      Runtime.useProgress(new ProgressBars(System.out, System.console() != null, quiet));
      Runtime.useWarnings(cli.getErr()::println);
      try (io.vi4j.api.kit.progress.Progress.Scope shown = io.vi4j.api.kit.progress.Progress.show(Runtime.progress())) {
        return new CommandLine.RunLast().execute(parseResult);
      } finally {
        Runtime.usePlugins(List.of(), warning -> {});
      }
    });
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

  /**
   * @return the outside plugin jars and folders: those of {@value #PLUGINS_VARIABLE} (empty entries
   *     skipped), then every {@code --plugins}, before or after the command name, in order
   */
  static List<Runtime.PluginLocation> pluginLocations(CommandLine.ParseResult parseResult, String variable) {
    List<Runtime.PluginLocation> locations = new ArrayList<>();
    if (variable != null) {
      for (String entry : variable.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
        if (!entry.isEmpty()) {
          locations.add(new Runtime.PluginLocation(entry, PLUGINS_VARIABLE));
        }
      }
    }
    for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
      CommandLine.Model.OptionSpec option = r.matchedOption("--plugins");
      if (option != null) {
        option.stringValues().forEach(value -> locations.add(new Runtime.PluginLocation(value, "--plugins")));
      }
    }
    return locations;
  }

  /**
   * @return the last {@code --threads}, before or after the command name; else {@value #THREADS_VARIABLE};
   *     else null (the default)
   * @throws CommandLine.ParameterException when the variable is not a whole number
   */
  static Integer threads(CommandLine.ParseResult parseResult, String variable) {
    Integer threads = null;
    for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--threads")) {
        threads = r.matchedOptionValue("--threads", null);
      }
    }
    CommandLine commandLine = parseResult.commandSpec().commandLine();
    if (threads == null && variable != null && !variable.isBlank()) {
      try {
        threads = Integer.valueOf(variable.strip());
      } catch (NumberFormatException e) {
        throw new CommandLine.ParameterException(commandLine,
            THREADS_VARIABLE + " must be a whole number of threads, got '" + oneLine(variable) + "'");
      }
    }
    if (threads != null && threads < 1) {
      throw new CommandLine.ParameterException(commandLine, "--threads must be at least 1, got " + threads);
    }
    return threads;
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
