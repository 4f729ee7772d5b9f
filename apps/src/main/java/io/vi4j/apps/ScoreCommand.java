package io.vi4j.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.io.AtomicFiles;
import io.vi4j.core.data.ClassNames;
import io.vi4j.core.report.Table;
import io.vi4j.core.uses.OutlierScores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vi4j score RUN_DIR}: an outlier score per test item, and how well each score finds known outliers. */
@Command(name = "score", mixinStandardHelpOptions = true,
    header = "Give every test item outlier scores, and measure how well they find given classes.",
    description = "Score every test item: KL(q(t|x) || p(t)), -ELBO and -log p(x) (importance-sampled); for a"
        + " baseline run (refitted from its config), its exact -log p(x). With --outlier-classes, report"
        + " AUROC and AUPRC of each score for those labels as outliers. Thresholds are quantiles of the"
        + " training items' scores. Writes scores.csv and scores.json."
        + " It writes the run's report.html (a page of everything the run holds) again.")
final class ScoreCommand implements Callable<Integer> {
  /** The most importance samples per item (Burda et al. use 5,000; more changes the estimate little). */
  static final int MAX_K = 100_000;

  @Mixin RunOptions run;

  @Option(names = "--outlier-classes", split = ",", paramLabel = "LABEL",
      description = "labels that count as outliers, by number or class name, e.g. --outlier-classes 9"
          + " or --outlier-classes malignant")
  List<String> outlierClassNames = new ArrayList<>();

  /** {@link #outlierClassNames} as label numbers, once the data are known. */
  private List<Integer> outlierClasses = new ArrayList<>();

  @Option(names = "--k", description = "importance samples for -log p(x) (default: ${DEFAULT-VALUE})", defaultValue = "100")
  int k;

  @Option(names = "--quantile", description = "threshold quantile of training scores (default: ${DEFAULT-VALUE})",
      defaultValue = "0.95")
  double quantile;

  @Option(names = "--train-items", description = "training items scored for the thresholds (default: ${DEFAULT-VALUE})",
      defaultValue = "2000")
  int trainItems;

  @Mixin DataOptions data;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--out", description = "output directory (default: RUN_DIR/scores)")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("--k must be between 1 and " + MAX_K + " importance samples, got " + k);
    }
    if (!(quantile > 0 && quantile < 1) || trainItems < 1) {
      throw new IllegalArgumentException("--train-items must be at least 1 and --quantile in (0, 1), got "
          + trainItems + " and " + quantile);
    }
    if (command.commandLine().getParseResult().hasMatchedOption("--k") && run.isExactDensity()) {
      throw new IllegalArgumentException("--k does not apply to " + run.dir + ": its model (a baseline or a"
          + " density) is scored by its exact -log p(x), with no importance samples; leave --k out");
    }
    Dataset test;
    Map<String, double[]> scores;
    Map<String, double[]> trainScores;
    ClassNames classes;
    try (Runtime.ExactDensity baseline = run.exactDensity()) {
      if (baseline != null) {
        classes = ClassNames.of(baseline.spec().data(), baseline.data().test());
        // A baseline's score is its exact −log p(x).
        test = data.or(baseline.data(), baseline.experiment(), baseline.dataKind()).test();
        var evaluator = new io.vi4j.core.eval.Evaluator(baseline.spec().evaluation());
        scores = Map.of("neg_log_likelihood", negate(evaluator.logLikelihoodPerItem(baseline.model(), test, baseline.manager())));
        trainScores = Map.of("neg_log_likelihood", negate(evaluator.logLikelihoodPerItem(
            baseline.model(), baseline.data().train().head(trainItems), baseline.manager())));
      } else {
        try (Runtime.RestoredRun restored = run.restore()) {
          classes = ClassNames.of(restored.experiment().spec().data(), restored.data().test());
          var own = restored.data();
          test = data.or(own, restored.experiment(), restored.model().model().decoder().dataKind()).test();
          // Item i's noise is seeded from (the run's seed, i), as a Spark job seeds row i's (docs/scaling.md).
          long seed = restored.experiment().spec().seed();
          scores = OutlierScores.score(restored.model(), test, k, 10, seed);
          trainScores = OutlierScores.score(restored.model(), own.train().head(trainItems), k, 10, seed);
        }
      }
    }
    ClassNames named = data.given() ? ClassNames.of(null, test) : classes; // other data: its own label names
    outlierClasses = outlierClassNames.stream().map(named::labelOf).toList();
    if (!outlierClasses.isEmpty() && !test.hasLabels()) {
      throw new IllegalArgumentException(run.dir + ": the test items have no labels; --outlier-classes needs them");
    }
    if (data.given()) {
      classes = named; // other data: its labels may mean other classes
    }
    checkLabelsOccur(test, classes);
    boolean[] outlier = new boolean[test.rows()];
    for (int i = 0; i < outlier.length; i++) {
      outlier[i] = test.hasLabels() && outlierClasses.contains(test.labels()[i]);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("run", run.dir.toString());
    report.put("items", test.rows());
    report.put("outlier_classes", outlierClasses);
    report.put("iwae_k", k);
    report.put("threshold_quantile", quantile);
    Map<String, Object> perScore = new LinkedHashMap<>();
    for (var entry : scores.entrySet()) {
      Map<String, Object> s = new LinkedHashMap<>();
      double threshold = OutlierScores.quantile(trainScores.get(entry.getKey()), quantile);
      s.put("threshold", threshold);
      if (!outlierClasses.isEmpty()) {
        s.put("auroc", OutlierScores.auroc(entry.getValue(), outlier));
        s.put("auprc", OutlierScores.auprc(entry.getValue(), outlier));
        s.put("flagged_outliers", fraction(entry.getValue(), outlier, true, threshold));
        s.put("flagged_inliers", fraction(entry.getValue(), outlier, false, threshold));
      }
      perScore.put(entry.getKey(), s);
    }
    report.put("scores", perScore);
    Path dir = run.output(out, "scores");
    AtomicFiles.write(dir.resolve("scores.json"),
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
    List<String> columns = new ArrayList<>(List.of("item", "label", "outlier"));
    columns.addAll(scores.keySet());
    Table.Builder table = Table.builder(columns);
    for (int i = 0; i < test.rows(); i++) {
      List<Object> row = new ArrayList<>(List.of(i, test.hasLabels() ? test.labels()[i] : -1, outlier[i] ? 1 : 0));
      for (double[] values : scores.values()) {
        row.add(values[i]);
      }
      table.row(row);
    }
    table.build().writeCsv(dir.resolve("scores.csv"));
    printSummary(test, outlier, classes, scores, perScore);
    System.out.println("written: " + dir.resolve("scores.json") + ", " + dir.resolve("scores.csv"));
    Runtime.writeReport(run.dir);
    return 0;
  }

  /** Names of the scores in tables for people. */
  static final Map<String, String> TITLES = Map.of("kl", "KL(q ‖ p)", "neg_elbo", "-ELBO",
      "neg_log_likelihood", "-log p(x)");

  private void printSummary(Dataset test, boolean[] outlier, ClassNames classes, Map<String, double[]> scores,
      Map<String, Object> perScore) {
    int outliers = 0;
    for (boolean o : outlier) {
      outliers += o ? 1 : 0;
    }
    System.out.println("scored " + test.rows() + " test items" + (outlierClasses.isEmpty() ? ""
        : "; outliers: label " + String.join(", ", outlierClasses.stream().map(classes::describe).toList())
            + " (" + outliers + " items)")
        + "; thresholds at the " + Math.round(quantile * 100) + "th percentile of " + trainItems
        + " training items' scores (nats; higher is more unusual)");
    Table.Builder table = outlierClasses.isEmpty()
        ? Table.builder("score", "threshold", "test items above")
        : Table.builder("score", "threshold", "AUROC", "AUPRC", "outliers flagged", "inliers flagged");
    table.significantDigits(4);
    for (var entry : scores.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) perScore.get(entry.getKey());
      double threshold = (Double) s.get("threshold");
      String name = TITLES.getOrDefault(entry.getKey(), entry.getKey());
      if (outlierClasses.isEmpty()) {
        long above = java.util.Arrays.stream(entry.getValue()).filter(v -> v > threshold).count();
        table.row(name, threshold, percent(above / (double) test.rows()));
      } else {
        table.row(name, threshold, s.get("auroc"), s.get("auprc"), percent((Double) s.get("flagged_outliers")),
            percent((Double) s.get("flagged_inliers")));
      }
    }
    System.out.print(table.build().toMarkdown());
  }

  private static String percent(double fraction) {
    return String.format(java.util.Locale.ROOT, "%.1f %%", 100 * fraction);
  }

  /** Every outlier class must be a label of the test items: another would make AUROC undefined. */
  private void checkLabelsOccur(Dataset test, ClassNames classes) {
    if (outlierClasses.isEmpty()) {
      return;
    }
    java.util.SortedSet<Integer> present = new java.util.TreeSet<>();
    for (int label : test.labels()) {
      present.add(label);
    }
    List<Integer> absent = outlierClasses.stream().filter(l -> !present.contains(l)).distinct().toList();
    if (!absent.isEmpty()) {
      List<String> shown = present.stream().limit(20).map(classes::describe).toList();
      throw new IllegalArgumentException("--outlier-classes: no test item of " + run.dir + " has label "
          + absent.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
          + "; the test labels are " + String.join(", ", shown)
          + (present.size() > shown.size() ? " and " + (present.size() - shown.size()) + " more" : ""));
    }
    if (present.stream().allMatch(outlierClasses::contains)) {
      throw new IllegalArgumentException("--outlier-classes " + outlierClasses.stream().map(String::valueOf)
          .collect(java.util.stream.Collectors.joining(",")) + " names every test label of " + run.dir
          + "; leave at least one label as the inliers");
    }
  }

  private static double[] negate(double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = -values[i];
    }
    return out;
  }

  /** The fraction of the chosen group (outliers or inliers) whose score exceeds the threshold. */
  private static double fraction(double[] scores, boolean[] outlier, boolean group, double threshold) {
    int count = 0;
    int above = 0;
    for (int i = 0; i < scores.length; i++) {
      if (outlier[i] == group) {
        count++;
        above += scores[i] > threshold ? 1 : 0;
      }
    }
    return count == 0 ? Double.NaN : above / (double) count;
  }
}
