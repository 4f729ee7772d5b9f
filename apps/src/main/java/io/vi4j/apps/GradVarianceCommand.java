package io.vi4j.apps;

import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.diagnostics.GradientVariance;
import io.vi4j.core.diagnostics.GradientVarianceReport;
import io.vi4j.core.io.AtomicFiles;
import io.vi4j.core.report.BarChart;
import io.vi4j.core.report.Table;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.ModelAssembler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vi4j grad-variance RUN_DIR}: how noisy each estimator's encoder gradient is at a trained model. */
@Command(name = "grad-variance", mixinStandardHelpOptions = true,
    header = "Measure how noisy each gradient estimator's encoder gradient is at a trained model.",
    description = "Hold a trained model fixed and measure, for each estimator, the variance and signal-to-noise"
        + " ratio of the encoder gradient over R draws on one fixed batch. Writes grad-variance.json, .md"
        + " and .png."
        + " It writes the run's report.html (a page of everything the run holds) again.")
final class GradVarianceCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(names = "--estimator", paramLabel = "NAME=YAML",
      description = "an estimator to measure, e.g. sf-loo={type: score-function, samples: 4, control_variate: leave-one-out}"
          + " (repeatable; default: reparameterization, path-derivative and score-function with every control variate,"
          + " all with --samples)")
  List<String> estimators = new ArrayList<>();

  @Option(names = "--samples", description = "K for the default estimators (default: ${DEFAULT-VALUE})", defaultValue = "4")
  int samples;

  @Option(names = "--draws", description = "R, gradient draws per estimator (default: ${DEFAULT-VALUE})", defaultValue = "100")
  int draws;

  @Option(names = "--batch", description = "items in the fixed batch (default: the run's batch size)")
  Integer batch;

  @Option(names = "--out", description = "output directory (default: RUN_DIR/grad-variance)")
  Path out;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    if (draws < 2) {
      throw new IllegalArgumentException("--draws must be at least 2, got " + draws);
    }
    if (!estimators.isEmpty() && command.commandLine().getParseResult().hasMatchedOption("--samples")) {
      throw new IllegalArgumentException("--samples sets K of the default estimators and does not apply with"
          + " --estimator; give each estimator its samples in its YAML, such as x={type: iwae, samples: 8}");
    }
    try (Runtime.RestoredRun restored = run.restore()) {
      ConfigLoader loader = new ConfigLoader(restored.experiment().registry());
      Map<String, EstimatorSpec> specs = new LinkedHashMap<>();
      List<String> given = estimators.isEmpty() ? defaults(samples) : estimators;
      for (String entry : given) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--estimator " + entry + ": expected NAME=YAML");
        }
        String name = entry.substring(0, eq).trim();
        specs.put(name, loader.parseSection(entry.substring(eq + 1), EstimatorSpec.class, "--estimator " + name));
      }
      var experiment = restored.experiment();
      var data = restored.data().train();
      int b = batch == null ? experiment.spec().training().batchSize() : batch;
      ModelAssembler assembler = new ModelAssembler(experiment.registry(), Path.of("").toAbsolutePath());
      Map<String, GradientVarianceReport> reports = new LinkedHashMap<>();
      for (var spec : specs.entrySet()) {
        GradientEstimator estimator = assembler.estimator(spec.getValue(), experiment.spec().model(), restored.model());
        GradientVarianceReport report;
        try (var named = Runtime.progress().context(spec.getKey())) {
          report = GradientVariance.measure(restored.model(), estimator, data, b, draws, Experiment.WARM_UP_DRAWS);
        }
        reports.put(spec.getKey(), report);
        System.out.printf("%-28s total variance %.4g   SNR %.4g   %.1f ms/draw%n", spec.getKey(),
            report.totalVariance(), report.signalToNoise(), report.secondsPerDraw() * 1000);
      }
      write(out == null ? restored.directory().file("grad-variance") : out, specs, reports, loader, b);
      Runtime.writeReport(run.dir);
    }
    return 0;
  }

  private static List<String> defaults(int k) {
    List<String> list = new ArrayList<>();
    list.add("reparameterization={type: reparameterization, samples: " + k + "}");
    list.add("path-derivative={type: path-derivative, samples: " + k + "}");
    list.add("score-none={type: score-function, samples: " + k + ", control_variate: none}");
    list.add("score-moving-average={type: score-function, samples: " + k + ", control_variate: moving-average}");
    list.add("score-batch-loo={type: score-function, samples: " + k + ", control_variate: batch-leave-one-out}");
    list.add("score-input-dependent={type: score-function, samples: " + k + ", control_variate: input-dependent}");
    if (k >= 2) {
      list.add("score-leave-one-out={type: score-function, samples: " + k + ", control_variate: leave-one-out}");
    }
    return list;
  }

  private void write(Path dir, Map<String, EstimatorSpec> specs, Map<String, GradientVarianceReport> reports,
      ConfigLoader loader, int batchSize) throws Exception {
    double reference = reports.values().iterator().next().totalVariance();
    String referenceName = reports.keySet().iterator().next();
    for (var entry : reports.entrySet()) {
      if (specs.get(entry.getKey()).getClass().getSimpleName().equals("ReparameterizationSpec")) {
        reference = entry.getValue().totalVariance();
        referenceName = entry.getKey();
        break;
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    Table.Builder table = Table.builder("estimator", "total variance", "ratio to " + referenceName,
        "SNR", "mean coordinate SNR", "ms per draw").significantDigits(4);
    String[] names = reports.keySet().toArray(String[]::new);
    double[] variances = new double[names.length];
    for (int i = 0; i < names.length; i++) {
      GradientVarianceReport r = reports.get(names[i]);
      variances[i] = r.totalVariance();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("estimator", names[i]);
      row.put("spec", loader.mapper().convertValue(specs.get(names[i]), Map.class));
      row.put("draws", r.draws());
      row.put("batch_size", batchSize);
      row.put("coordinates", r.coordinates());
      row.put("total_variance", r.totalVariance());
      row.put("variance_ratio", r.totalVariance() / reference);
      row.put("mean_squared_norm", r.meanSquaredNorm());
      row.put("snr", r.signalToNoise());
      row.put("mean_coordinate_snr", r.meanCoordinateSnr());
      row.put("seconds_per_draw", r.secondsPerDraw());
      rows.add(row);
      table.row(names[i], r.totalVariance(), r.totalVariance() / reference, r.signalToNoise(),
          r.meanCoordinateSnr(), r.secondsPerDraw() * 1000);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("run", run.dir.toString());
    document.put("reference", referenceName);
    document.put("estimators", rows);
    AtomicFiles.write(dir.resolve("grad-variance.json"),
        new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
    table.build().writeMarkdown(dir.resolve("grad-variance.md"));
    BarChart.builder()
        .title("Encoder gradient variance (trace), " + draws + " draws, batch " + batchSize)
        .yLabel("total variance (log scale)")
        .logY(true)
        .categories(names)
        .series("total variance", variances)
        .build()
        .write(dir.resolve("grad-variance.png"));
    System.out.println("written: " + dir.resolve("grad-variance.json") + ", .md, .png");
  }
}
