package io.vi4j.apps;

import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.run.RunSummary;
import io.vi4j.core.train.TrainingStoppedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vi4j train CONFIG [--set key=value ...] [--out DIR]} or {@code vi4j train --resume RUN_DIR}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    header = "Train and evaluate the model a config describes, or continue a killed run.",
    description = "Train and evaluate the model a config describes; writes a run directory. With --resume,"
        + " continue a killed run from its newest usable checkpoint."
        + " The run directory holds report.html, a page of the run that later commands write again.")
final class TrainCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "YAML or JSON experiment config")
  Path config;

  @Option(names = "--resume", paramLabel = "RUN_DIR",
      description = "continue the killed run in RUN_DIR (its config.yaml and checkpoints/) instead of starting one")
  Path resume;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override a config value, e.g. --set training.epochs=2 (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR",
      description = "run directory (default: runs/NAME-TIMESTAMP); must not hold a run already")
  Path out;

  @Option(names = "--force", description = "replace a run already in --out (never done without it)")
  boolean force;

  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    if ((config == null) == (resume == null)) {
      throw new ParameterException(command.commandLine(), "name a CONFIG to train, or --resume RUN_DIR to continue"
          + " a killed run (not both)");
    }
    if (resume != null && (!overrides.isEmpty() || out != null || force)) {
      throw new ParameterException(command.commandLine(), "--resume continues a run as it was configured: --set,"
          + " --out and --force do not apply");
    }
    if (out != null && out.toString().isEmpty()) {
      throw new ParameterException(command.commandLine(), "--out '' names no directory; give a directory such as"
          + " runs/NAME");
    }
    PluginRegistry registry = Runtime.registry();
    ConfigLoader loader = new ConfigLoader(registry);
    boolean bar = Runtime.progress().bars();
    RunSummary summary;
    Path runPath;
    if (resume != null) {
      runPath = resume;
      try (RunDirectory run = RunDirectory.resume(resume);
          StopSignals signals = StopSignals.install(runPath, System.err)) {
        io.vi4j.core.run.RunChecks.checkSamePlugins(run, registry); // before the config, whose names a missing jar leaves unknown
        ExperimentSpec spec = loader.load(run.file(RunDirectory.CONFIG), List.of());
        // Relative data paths resolve where they did when the run started (its run.json says where).
        Experiment experiment = new Experiment(spec, registry, run.dataDirectory(Path.of("").toAbsolutePath()));
        System.out.println("vi4j: resuming '" + spec.name() + "' in " + runPath + " (" + Runtime.engineLine() + ")");
        summary = stopped(signals, runPath, () -> experiment.resume(run, loader,
            new ProgressListener(System.out, bar).and(signals), note -> System.out.println("vi4j: " + note)));
      }
    } else {
      ExperimentSpec spec = loader.load(config, overrides);
      runPath = out != null ? out : Runtime.defaultOutput(spec.name());
      try (RunDirectory run = RunDirectory.create(runPath, force);
          StopSignals signals = StopSignals.install(runPath, System.err)) {
        Path base = config.toAbsolutePath().getParent();
        Experiment experiment = new Experiment(spec, registry, base);
        System.out.println("vi4j: training '" + spec.name() + "' into " + runPath + " (" + Runtime.engineLine() + ")");
        summary = stopped(signals, runPath,
            () -> experiment.run(run, loader, new ProgressListener(System.out, bar).and(signals)));
      }
    }
    if (summary == null) {
      return exitStatus;
    }
    SummaryLines.print(summary, System.out);
    Runtime.writeReport(runPath);
    System.out.println("run directory: " + runPath.toAbsolutePath());
    return 0;
  }

  private int exitStatus;

  /** Training that a signal may stop. */
  private interface Training {
    RunSummary run() throws java.io.IOException;
  }

  /**
   * Runs {@code training}; when a signal stopped it, says where the run stands and how to continue, and
   * returns null (the exit status is then 128 plus the signal's number).
   */
  private RunSummary stopped(StopSignals signals, Path runPath, Training training) throws java.io.IOException {
    try {
      return training.run();
    } catch (TrainingStoppedException e) {
      System.out.flush();
      System.err.println("vi4j: stopped by SIG" + signals.received().getName() + " at epoch " + e.epoch() + ", step "
          + e.stepsDone() + " of " + e.stepsPerEpoch() + " (step " + e.globalStep() + " of the run)"
          + (e.checkpoint() == null ? "; the run writes no checkpoints, so it starts again from the beginning"
              : "; checkpoint written: " + e.checkpoint())
          + "; continue with: vi4j train --resume " + runPath);
      exitStatus = StopSignals.exitStatus(signals.received());
      return null;
    }
  }
}
