package io.vi4j.core.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vi4j.core.config.CompareSpec;
import io.vi4j.core.config.ConfigException;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.page.ComparisonPage;
import io.vi4j.core.page.RunPage;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.report.LineChart;
import io.vi4j.core.report.Table;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.run.RunSummary;
import java.util.function.Function;
import io.vi4j.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains every variant of a config's {@code compare} section with every seed, each into its own run
 * directory ({@code OUT/VARIANT/seed-S}), then writes {@code curves.png} (test −ELBO per epoch, the mean
 * over seeds per variant, for trained models), {@code comparison.md} (one table per evaluation protocol),
 * {@code comparison-PROTOCOL.csv}, {@code samples.png} (a row of samples from every variant) and
 * {@code comparison.json} (every run's summary and per-epoch metrics), and a {@code report.html} page in the
 * folder and in every run directory.
 *
 * <p>All variants are built and validated before the first one trains, so a bad variant fails at once.
 */
public final class Comparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PluginRegistry registry;
  private final ConfigLoader loader;

  /** @param registry the plugins; @param loader reads and binds configs */
  public Comparison(PluginRegistry registry, ConfigLoader loader) {
    this.registry = registry;
    this.loader = loader;
  }

  /** One trained run of a variant. */
  public record Run(String variant, long seed, RunSummary summary, List<JsonNode> epochs) {}

  /**
   * Runs the comparison.
   *
   * @param config a config file with a {@code compare} section
   * @param overrides {@code --set} overrides, applied to the base config before the variants
   * @param out the comparison's directory (must not hold a comparison already)
   * @param listeners a progress listener per run, given its label ({@code run I of N: VARIANT (seed S)})
   * @return every run, in order
   */
  public List<Run> run(Path config, List<String> overrides, Path out, Function<String, TrainingListener> listeners)
      throws IOException {
    ObjectNode root = loader.readTree(config, overrides);
    ExperimentSpec whole = loader.fromTree(root.deepCopy(), config.toString());
    CompareSpec compare = whole.compare();
    if (compare == null) {
      throw new ConfigException(config + ": no 'compare' section (seeds and variants) to run");
    }
    if (Files.exists(out.resolve("comparison.json"))) {
      throw new IOException(out + " already holds a comparison; choose another --out");
    }
    root.remove("compare");
    Map<String, List<ExperimentSpec>> plan = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> variant : compare.variants().entrySet()) {
      List<ExperimentSpec> specs = new ArrayList<>();
      for (long seed : compare.seeds()) {
        ObjectNode tree = ConfigLoader.merge(root.deepCopy(), variant.getValue());
        tree.put("seed", seed);
        tree.put("name", variant.getKey());
        specs.add(loader.fromTree(tree, config + " (variant '" + variant.getKey() + "', seed " + seed + ")"));
      }
      plan.put(variant.getKey(), specs);
    }
    for (var entry : plan.entrySet()) {
      for (ExperimentSpec spec : entry.getValue()) {
        RunDirectory.create(runPath(out, entry.getKey(), spec.seed())).close(); // fails now, not after hours
      }
    }
    Path base = config.toAbsolutePath().getParent();
    List<Run> runs = new ArrayList<>();
    int total = plan.values().stream().mapToInt(List::size).sum();
    for (var entry : plan.entrySet()) {
      for (ExperimentSpec spec : entry.getValue()) {
        String label = "run " + (runs.size() + 1) + " of " + total + ": " + entry.getKey() + " (seed " + spec.seed() + ")";
        RunSummary summary;
        RunDirectory dir;
        try (RunDirectory claimed = RunDirectory.create(runPath(out, entry.getKey(), spec.seed()))) {
          dir = claimed;
          summary = new Experiment(spec, registry, base).run(claimed, loader, listeners.apply(label));
        }
        List<JsonNode> epochs = new ArrayList<>();
        Path metrics = dir.file(RunDirectory.METRICS);
        if (Files.exists(metrics)) { // a closed-form baseline has no iterations to log
          for (String line : Files.readAllLines(metrics)) {
            epochs.add(JSON.readTree(line));
          }
        }
        runs.add(new Run(entry.getKey(), spec.seed(), summary, epochs));
      }
    }
    writeReports(out, runs);
    return runs;
  }

  private static Path runPath(Path out, String variant, long seed) {
    return out.resolve(variant).resolve("seed-" + seed);
  }

  /**
   * Writes the curves, the tables and the raw JSON for finished runs. Log-likelihoods measured under
   * different protocols are never ranked together: {@code comparison.md} has one table per protocol
   * (rows ranked by test log-likelihood), and each protocol gets its own {@code comparison-PROTOCOL.csv}.
   */
  public static void writeReports(Path out, List<Run> runs) throws IOException {
    Map<String, List<Run>> byVariant = new LinkedHashMap<>();
    for (Run run : runs) {
      byVariant.computeIfAbsent(run.variant(), k -> new ArrayList<>()).add(run);
    }
    LineChart.Builder chart = LineChart.builder()
        .title("Test -ELBO per epoch (mean over seeds)")
        .xLabel("epoch")
        .yLabel("test -ELBO (nats per item)");
    boolean anyCurve = false;
    Map<String, List<List<Object>>> rowsByProtocol = new LinkedHashMap<>();
    for (var entry : byVariant.entrySet()) {
      List<Run> group = entry.getValue();
      double[] curve = meanCurve(group);
      if (curve.length > 0 && Double.isFinite(curve[curve.length - 1])) {
        chart.series(entry.getKey(), epochAxis(group), curve);
        anyCurve = true;
      }
      String protocol = unitsOf(group.get(0).summary());
      for (Run run : group) {
        String p = unitsOf(run.summary());
        if (!protocol.equals(p)) {
          throw new IllegalStateException("variant '" + entry.getKey() + "' was evaluated under two protocols ("
              + protocol + " and " + p + ") across seeds");
        }
      }
      rowsByProtocol.computeIfAbsent(protocol, k -> new ArrayList<>()).add(List.of(
          entry.getKey(),
          String.valueOf(group.get(0).summary().model()),
          group.size(),
          mean(group, RunSummary::testLogLikelihoodNats),
          sd(group, RunSummary::testLogLikelihoodNats),
          mean(group, RunSummary::testBitsPerDim),
          negate(mean(group, RunSummary::testNegElboNats)),
          negate(mean(group, RunSummary::trainNegElboNats)),
          negate(mean(group, RunSummary::testReconNats)),
          mean(group, RunSummary::testReconMse),
          count(mean(group, RunSummary::parameters)), // a count, printed whole
          mean(group, RunSummary::wallSeconds),
          meanTrainingSeconds(group),
          mean(group, RunSummary::testInferenceSeconds),
          mean(group, RunSummary::generationSecondsPer100),
          mean(group, RunSummary::gradVarianceTotal)));
    }
    if (anyCurve) {
      chart.build().write(out.resolve("curves.png"));
    }
    StringBuilder markdown = new StringBuilder("# Comparison\n\n"
        + "Each table holds the models evaluated under one protocol; numbers from different tables are not"
        + " comparable (a protocol ending in -mixed holds likelihoods that are masses on a table's discrete columns"
        + " and densities on the others). Means over seeds; rows ranked by test log-likelihood. Log-likelihoods, ELBOs and the"
        + " expected reconstruction log-likelihood (recon log-lik, E_q log p(x|t)) are in nats per item, higher"
        + " is better.\n");
    for (var entry : rowsByProtocol.entrySet()) {
      List<List<Object>> rows = new ArrayList<>(entry.getValue());
      rows.sort((x, y) -> Double.compare(rank((Double) y.get(3)), rank((Double) x.get(3))));
      List<String> columns = new ArrayList<>(List.of("variant", "model", "seeds", "test log p(x)", "sd", "bits/dim",
          "test ELBO", "train ELBO", "test recon log-lik", "recon MSE", "parameters", "wall s", "train s",
          "test inference s", "generation s / 100", "grad variance"));
      // One model throughout (the variants differ in an estimator or a setting): its name once, above the table.
      boolean oneModel = rows.stream().map(row -> row.get(1)).distinct().count() == 1;
      if (oneModel) {
        columns.remove(1);
      }
      Table.Builder table = Table.builder(columns).significantDigits(5);
      for (List<Object> row : rows) {
        List<Object> cells = new ArrayList<>(row);
        if (oneModel) {
          cells.remove(1);
        }
        // An undefined figure (one seed's sd, a baseline's ELBO) reads as a dash, not as NaN.
        table.row(cells.stream().map(c -> c instanceof Double d && d.isNaN() ? "—" : c).toList());
      }
      Table built = table.build();
      markdown.append("\n## Protocol: ").append(entry.getKey()).append("\n\n");
      if (oneModel) {
        markdown.append("Model: ").append(rows.get(0).get(1)).append(".\n\n");
      }
      markdown.append(built.toMarkdown());
      built.writeCsv(out.resolve("comparison-" + entry.getKey() + ".csv"));
    }
    io.vi4j.core.io.AtomicFiles.write(out.resolve("comparison.md"),
        markdown.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    SampleSheet.write(out, byVariant.keySet(), runs);
    List<Map<String, Object>> raw = new ArrayList<>();
    for (Run run : runs) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("variant", run.variant());
      entry.put("seed", run.seed());
      entry.put("summary", run.summary());
      entry.put("epochs", run.epochs());
      raw.add(entry);
    }
    RunDirectory.writeAtomically(out.resolve("comparison.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(raw));
    for (Run run : runs) {
      RunPage.write(runPath(out, run.variant(), run.seed()));
    }
    ComparisonPage.write(out);
  }

  /**
   * @return the table a run's figures go in: its protocol, with {@code -mixed} for a likelihood that is a mass on
   *     a table's discrete columns and a density on the others, which is not comparable with a density of the
   *     same table's codes (a Gaussian baseline) although both are evaluated as they are ({@code raw})
   */
  static String unitsOf(RunSummary summary) {
    String protocol = String.valueOf(summary.protocol());
    return "mixed".equals(summary.likelihoodKind()) ? protocol + "-mixed" : protocol;
  }

  /** @return a count as a whole number (a table prints it in full), or NaN when there is none. */
  private static Object count(double value) {
    return Double.isFinite(value) ? (Object) Math.round(value) : (Object) Double.NaN;
  }

  /** @return the mean over seeds of the training steps' wall time (every epoch's {@code train_seconds}). */
  private static double meanTrainingSeconds(List<Run> group) {
    double sum = 0;
    int count = 0;
    for (Run run : group) {
      if (!run.epochs().isEmpty() && run.epochs().get(0).has("train_seconds")) {
        sum += run.epochs().stream().mapToDouble(e -> e.path("train_seconds").asDouble()).sum();
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private static double rank(Double value) {
    return value == null || value.isNaN() ? Double.NEGATIVE_INFINITY : value;
  }

  private static double negate(double value) {
    return Double.isNaN(value) ? Double.NaN : -value;
  }

  private static double[] epochAxis(List<Run> group) {
    int n = group.stream().mapToInt(r -> r.epochs().size()).min().orElse(0);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = group.get(0).epochs().get(i).get("epoch").asDouble();
    }
    return x;
  }

  private static double[] meanCurve(List<Run> group) {
    int n = group.stream().mapToInt(r -> r.epochs().size()).min().orElse(0);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      int count = 0;
      for (Run run : group) {
        JsonNode value = run.epochs().get(i).get("test_neg_elbo_nats");
        if (value != null && value.isNumber()) {
          sum += value.asDouble();
          count++;
        }
      }
      y[i] = count == 0 ? Double.NaN : sum / count;
    }
    return y;
  }

  private static double mean(List<Run> group, Function<RunSummary, ? extends Number> figure) {
    double sum = 0;
    int count = 0;
    for (Run run : group) {
      Number v = figure.apply(run.summary());
      if (v != null && Double.isFinite(v.doubleValue())) {
        sum += v.doubleValue();
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private static double sd(List<Run> group, Function<RunSummary, ? extends Number> figure) {
    double m = mean(group, figure);
    double sum = 0;
    int count = 0;
    for (Run run : group) {
      Number v = figure.apply(run.summary());
      if (v != null && Double.isFinite(v.doubleValue())) {
        sum += (v.doubleValue() - m) * (v.doubleValue() - m);
        count++;
      }
    }
    return count < 2 ? Double.NaN : Math.sqrt(sum / (count - 1));
  }
}
