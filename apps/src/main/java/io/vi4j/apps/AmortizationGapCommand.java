package io.vi4j.apps;

import io.vi4j.core.diagnostics.AmortizationGap;
import io.vi4j.core.diagnostics.AmortizationGap.Report;
import io.vi4j.core.engine.Engines;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vi4j amortization-gap RUN_DIR}: how much the encoder loses by being shared across items. */
@Command(name = "amortization-gap", mixinStandardHelpOptions = true,
    header = "Measure how much ELBO the shared encoder loses per test item (the amortization gap).",
    description = "Refine a free diagonal Gaussian q_i per test item (decoder fixed), starting from the encoder"
        + " (or the prior), and report the ELBO before and after: the amortization gap of Cremer et al."
        + " (2018). Writes amortization-gap.json."
        + " It writes the run's report.html (a page of everything the run holds) again.")
final class AmortizationGapCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(names = "--items", description = "test items refined (default: ${DEFAULT-VALUE})", defaultValue = "200")
  int items;

  @Option(names = "--steps", description = "Adam steps (default: ${DEFAULT-VALUE})", defaultValue = "500")
  int steps;

  @Option(names = "--samples", description = "samples per item and step (default: ${DEFAULT-VALUE})", defaultValue = "8")
  int samples;

  @Option(names = "--learning-rate", description = "Adam's initial rate, decayed along a cosine (default: ${DEFAULT-VALUE})",
      defaultValue = "0.05")
  double learningRate;

  @Option(names = "--start", description = "encoder (the amortization gap) or prior (non-amortized VI) (default: ${DEFAULT-VALUE})",
      defaultValue = "encoder")
  String start;

  @Option(names = "--seed", description = "seed of the noise (default: ${DEFAULT-VALUE})", defaultValue = "0")
  long seed;

  @Override
  public Integer call() throws Exception {
    AmortizationGap.Start from = switch (start) {
      case "encoder" -> AmortizationGap.Start.ENCODER;
      case "prior" -> AmortizationGap.Start.PRIOR;
      default -> throw new IllegalArgumentException("--start must be encoder or prior, got '" + start + "'");
    };
    if (items < 1 || steps < 0 || samples < 1) {
      throw new IllegalArgumentException("--items and --samples must be at least 1 and --steps at least 0");
    }
    try (Runtime.RestoredRun restored = run.restore()) {
      var prepared = restored.prepared();
      Engines.seed(seed);
      Report report = AmortizationGap.measure(restored.model(), prepared.splits().test(), items, steps, samples,
          learningRate, 100, from);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("protocol", prepared.protocol().configName());
      out.put("items", report.items());
      out.put("start", start);
      out.put("steps", report.steps());
      out.put("amortized_elbo_nats", report.amortizedElbo());
      out.put("refined_elbo_nats", report.refinedElbo());
      out.put("amortization_gap_nats", report.gap());
      out.put("refined_iwae_nats", report.refinedIwae());
      out.put("approximation_gap_nats", report.refinedIwae() - report.refinedElbo());
      restored.directory().writeJson("amortization-gap.json", out);
      System.out.printf(java.util.Locale.ROOT, "%d test items, per-item posteriors refined for %d steps from the %s"
          + " (nats per item, protocol %s):%n", report.items(), report.steps(), start, prepared.protocol().configName());
      System.out.printf(java.util.Locale.ROOT, "  ELBO with the encoder's posteriors   %10.3f%n", report.amortizedElbo());
      System.out.printf(java.util.Locale.ROOT, "  ELBO with refined posteriors         %10.3f%n", report.refinedElbo());
      System.out.printf(java.util.Locale.ROOT, "  IWAE with refined posteriors         %10.3f%n", report.refinedIwae());
      System.out.printf(java.util.Locale.ROOT, "  amortization gap (refined - encoder) %10.3f%n", report.gap());
      System.out.printf(java.util.Locale.ROOT, "  approximation gap (IWAE - refined)   %10.3f%n",
          report.refinedIwae() - report.refinedElbo());
      System.out.println("written: " + restored.directory().file("amortization-gap.json"));
      Runtime.writeReport(run.dir);
    }
    return 0;
  }
}
