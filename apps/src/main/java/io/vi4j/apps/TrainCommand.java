package io.vi4j.apps;

import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
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
    description = "Train and evaluate the model a config describes; writes a run directory. With --resume,"
        + " continue a killed run from its newest usable checkpoint.")
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

  @Option(names = "--no-progress", description = "no progress bar (it is also off when not on a terminal)")
  boolean noProgress;

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
    PluginRegistry registry = Runtime.registry();
    ConfigLoader loader = new ConfigLoader(registry);
    boolean bar = !noProgress && System.console() != null;
    Map<String, Object> summary;
    Path runPath;
    if (resume != null) {
      runPath = resume;
      try (RunDirectory run = RunDirectory.resume(resume)) {
        ExperimentSpec spec = loader.load(run.file(RunDirectory.CONFIG), List.of());
        // Relative data paths resolve as for the other commands that read a run (evaluate, sample).
        Experiment experiment = new Experiment(spec, registry, Path.of("").toAbsolutePath());
        System.out.println("vi4j: resuming '" + spec.name() + "' in " + runPath);
        summary = experiment.resume(run, loader, new ProgressListener(System.out, bar),
            note -> System.out.println("vi4j: " + note));
      }
    } else {
      ExperimentSpec spec = loader.load(config, overrides);
      runPath = out != null ? out : Runtime.defaultOutput(spec.name());
      try (RunDirectory run = RunDirectory.create(runPath, force)) {
        Path base = config.toAbsolutePath().getParent();
        Experiment experiment = new Experiment(spec, registry, base);
        System.out.println("vi4j: training '" + spec.name() + "' into " + runPath);
        summary = experiment.run(run, loader, new ProgressListener(System.out, bar));
      }
    }
    if (summary.containsKey("test_neg_elbo_nats")) {
      System.out.printf("test -ELBO %.3f nats (recon %.3f + KL %.3f)%n",
          summary.get("test_neg_elbo_nats"), summary.get("test_recon_nats"), summary.get("test_kl_nats"));
    }
    if (summary.containsKey("fit_seconds")) {
      System.out.printf("fitted in %.1f s (%s iterations)%n", summary.get("fit_seconds"), summary.get("iterations"));
    }
    if (summary.containsKey("test_log_likelihood_nats")) {
      System.out.printf("test log-likelihood %.3f nats per item%s, protocol %s%s%n",
          summary.get("test_log_likelihood_nats"),
          summary.containsKey("iwae_k") ? " (IWAE k=" + summary.get("iwae_k") + " on " + summary.get("iwae_items") + " items)" : "",
          summary.get("protocol"),
          summary.containsKey("test_bits_per_dim") ? String.format(", %.4f bits/dim", summary.get("test_bits_per_dim")) : "");
    }
    System.out.println("run directory: " + runPath.toAbsolutePath());
    return 0;
  }
}
