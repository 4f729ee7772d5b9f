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
    description = "Evaluate a trained run on its test split (-ELBO and IWAE log-likelihood).")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override an evaluation setting, e.g. --set evaluation.iwae_k=5000 (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
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
        System.out.println(result.toJson());
        System.out.println("written: " + file);
        return 0;
      }
    }
    try (Runtime.RestoredRun restored = run.restore(overrides)) {
      RunSummary result = restored.experiment().evaluate(restored.model(), restored.raw());
      result.write(restored.directory().file("evaluation.json"));
      System.out.println(result.toJson());
      System.out.println("written: " + restored.directory().file("evaluation.json"));
    }
    return 0;
  }
}
