package io.vi4j.apps;

import io.vi4j.core.run.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vi4j evaluate RUN_DIR}: evaluates a trained run again; writes {@code evaluation.json}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    header = "Evaluate a trained run on its test split again.",
    description = "Evaluate a trained run on its test split again: the -ELBO with its reconstruction and KL terms,"
        + " and the IWAE log-likelihood. Writes evaluation.json into the run directory."
        + " It writes the run's report.html (a page of everything the run holds) again.")
final class EvaluateCommand implements Callable<Integer> {
  /** The part of the config that {@code --set} may change here. */
  static final String EVALUATION_PREFIX = "evaluation.";

  @Mixin RunOptions run;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Change an evaluation setting, such as --set evaluation.iwae_k=5000 (repeatable; only"
          + " evaluation.* settings apply to a trained run).")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    for (String override : overrides) {
      String key = override.contains("=") ? override.substring(0, override.indexOf('=')).strip() : override;
      if (!key.startsWith(EVALUATION_PREFIX)) {
        throw new IllegalArgumentException("--set " + key + " does not apply to evaluate: it changes how a run is"
            + " trained or what it holds, and the run is trained already; evaluate takes evaluation.* settings"
            + " (such as evaluation.iwae_k); to change " + key + ", train a new run with vi4j train --set");
      }
    }
    try (Runtime.ExactDensity density = run.exactDensity()) {
      if (density != null) {
        if (!overrides.isEmpty()) {
          throw new IllegalArgumentException(run.dir + " holds '" + density.name() + "', whose log p(x) is exact:"
              + " there are no evaluation settings to --set");
        }
        RunSummary result = io.vi4j.core.run.Experiment.exactEvaluation(density.model(), density.data().test(),
            density.prepared().protocol(), density.spec().evaluation(), density.manager());
        java.nio.file.Path file = run.dir.resolve("evaluation.json");
        result.write(file);
        SummaryLines.print(result, System.out);
        System.out.println("written: " + file);
        Runtime.writeReport(run.dir);
        return 0;
      }
    }
    try (Runtime.RestoredRun restored = run.restore(overrides)) {
      RunSummary result = restored.experiment().evaluate(restored.model(), restored.raw());
      result.write(restored.directory().file("evaluation.json"));
      SummaryLines.print(result, System.out);
      System.out.println("written: " + restored.directory().file("evaluation.json"));
      Runtime.writeReport(run.dir);
    }
    return 0;
  }
}
