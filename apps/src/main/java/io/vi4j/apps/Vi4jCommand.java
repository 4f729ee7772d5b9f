package io.vi4j.apps;

import io.vi4j.core.config.ConfigException;
import io.vi4j.core.plugin.PluginException;
import io.vi4j.core.run.ModelAssembler.IncompatibleAssemblyException;
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

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: train, evaluate, sample, compare or grad-variance");
  }

  /** @return the configured command line: user errors print one clear line, not a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Vi4jCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (isUserError(e)) {
        commandLine.getErr().println("vi4j: error: " + message(e));
        return BAD_INPUT;
      }
      throw e;
    });
    return cli;
  }

  private static boolean isUserError(Throwable e) {
    return e instanceof ConfigException
        || e instanceof PluginException
        || e instanceof IncompatibleAssemblyException
        || e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
