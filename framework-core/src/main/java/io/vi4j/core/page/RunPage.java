package io.vi4j.core.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vi4j.core.data.ClassNames;
import io.vi4j.core.report.LineChart;
import io.vi4j.core.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code report.html} of a run directory: what every command wrote into the run, read back from its
 * files. Sections appear for the outputs that exist: a run that was only trained has its summary, learning
 * curves, samples and reconstructions; {@code sample}, {@code score}, {@code impute}, {@code embed},
 * {@code grad-variance}, {@code amortization-gap} and {@code evaluate} each add theirs (in their default
 * places inside the run; outputs written elsewhere with {@code --out} are not in the page).
 */
public final class RunPage {
  /** The page's file name, in the run directory. */
  public static final String FILE = "report.html";

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunPage() {}

  /**
   * Writes (or rewrites) {@code RUN_DIR/report.html} from the run's files.
   *
   * @return the page's path
   */
  public static Path write(Path runDir) throws IOException {
    List<Section> sections = new ArrayList<>();
    JsonNode summary = json(runDir.resolve(RunDirectory.SUMMARY));
    JsonNode record = json(runDir.resolve(RunDirectory.RECORD));
    ClassNames classes = classNames(runDir.resolve(RunDirectory.CONFIG));
    sections.add(summary(runDir, summary, record));
    add(sections, curves(runDir.resolve(RunDirectory.METRICS)));
    add(sections, pictures(runDir));
    add(sections, samples(runDir.resolve("samples")));
    add(sections, scores(runDir.resolve("scores"), classes));
    add(sections, imputation(runDir.resolve("imputation")));
    add(sections, embedding(runDir.resolve("embedding")));
    add(sections, gradVariance(runDir.resolve("grad-variance")));
    add(sections, amortizationGap(runDir.resolve("amortization-gap.json")));
    add(sections, config(runDir.resolve(RunDirectory.CONFIG)));
    String name = summary != null && summary.hasNonNull("name") ? summary.get("name").asText()
        : runDir.getFileName().toString();
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("title", "vi4j run: " + name);
    scope.put("subtitle", runDir.toAbsolutePath().normalize() + (record != null && record.hasNonNull("state")
        ? " — " + record.get("state").asText() : ""));
    scope.put("sections", sections.stream().map(Section::scope).toList());
    scope.put("written", java.time.OffsetDateTime.now().withNano(0).toString());
    scope.put("regenerated", "Each vi4j command that adds outputs to the run writes this page again.");
    Path file = runDir.resolve(FILE);
    Html.write("page.mustache", scope, file);
    return file;
  }

  private static void add(List<Section> sections, Section section) {
    if (section != null && !section.isEmpty()) {
      sections.add(section);
    }
  }

  private static Section summary(Path runDir, JsonNode summary, JsonNode record) throws IOException {
    Section section = new Section("summary", "Summary", "From summary.json (written by vi4j train); nats are per"
        + " test item.");
    if (summary != null) {
      section.table("Figures of the run", List.of("figure", "value"), rows(summary));
    }
    JsonNode evaluation = json(runDir.resolve("evaluation.json"));
    if (evaluation != null) {
      section.table("Evaluated again (vi4j evaluate, evaluation.json)", List.of("figure", "value"), rows(evaluation));
    }
    if (summary == null && record != null) {
      section.table("Where the run stands (run.json)", List.of("field", "value"), rows(record));
    }
    return section;
  }

  /** @return one row per field of a JSON object, nested values written as JSON */
  static List<List<String>> rows(JsonNode object) {
    List<List<String>> rows = new ArrayList<>();
    object.fields().forEachRemaining(e -> rows.add(List.of(e.getKey().replace('_', ' '), Numbers.text(e.getValue()))));
    return rows;
  }

  private static Section curves(Path metrics) throws IOException {
    if (!Files.isRegularFile(metrics)) {
      return null;
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    if (lines.isEmpty()) {
      return null;
    }
    Section section = new Section("curves", "Learning curves", "From metrics.jsonl: one point per "
        + (lines.get(0).has("epoch") ? "epoch" : "EM iteration") + ".");
    if (lines.get(0).has("epoch")) {
      LineChart.Builder chart = LineChart.builder().title("-ELBO per epoch (nats per item; lower is better)")
          .xLabel("epoch").yLabel("-ELBO (nats)");
      boolean any = false;
      for (String[] series : new String[][] {{"train_neg_elbo_nats", "train"},
          {"validation_neg_elbo_nats", "validation"}, {"test_neg_elbo_nats", "test"}}) {
        double[][] xy = Numbers.series(lines, "epoch", series[0]);
        if (xy[0].length > 0) {
          chart.series(series[1], xy[0], xy[1]);
          any = true;
        }
      }
      if (any) {
        section.figure(Html.dataUri(chart.build().render()), "the -ELBO per epoch of the train, validation and"
            + " test splits", "The −ELBO per epoch: training (the running mean over the epoch's steps), validation"
            + " and test (evaluated after the epoch) where configured.");
      }
    } else {
      double[][] xy = Numbers.series(lines, "iteration", "train_log_likelihood_nats");
      if (xy[0].length > 0) {
        LineChart chart = LineChart.builder().title("Training log-likelihood per EM iteration (nats per item)")
            .xLabel("iteration").yLabel("log-likelihood (nats)").series("train", xy[0], xy[1]).build();
        section.figure(Html.dataUri(chart.render()), "the training log-likelihood per EM iteration",
            "The training log-likelihood after each EM iteration (it never decreases).");
      }
    }
    return section;
  }

  private static Section pictures(Path runDir) throws IOException {
    Section section = new Section("pictures", "Samples and reconstructions", "Drawn when the run was trained.");
    figure(section, runDir.resolve("samples.png"), "samples from the model",
        "samples.png: items drawn from the model (for a latent-variable model, decoder means at t ~ p(t)).");
    figure(section, runDir.resolve("reconstructions.png"), "test items and their reconstructions",
        "reconstructions.png: test items (odd rows) above their reconstructions (even rows).");
    return section;
  }

  private static Section samples(Path dir) throws IOException {
    Section section = new Section("sample", "Generation (vi4j sample)", "From " + dir.getFileName() + "/.");
    figure(section, dir.resolve("samples.png"), "samples", "samples.png: items drawn from a model without latents"
        + " (a baseline or a density).");
    figure(section, dir.resolve("prior-means.png"), "prior samples, decoder means",
        "prior-means.png: decoder means at latents drawn from the prior.");
    figure(section, dir.resolve("prior-samples.png"), "prior samples, drawn", "prior-samples.png: x ~ p(x | t)"
        + " at latents drawn from the prior.");
    figure(section, dir.resolve("reconstructions.png"), "test items and reconstructions",
        "reconstructions.png: test items above the decoder mean at their posterior mean.");
    figure(section, dir.resolve("interpolations.png"), "interpolations", "interpolations.png: each row a straight"
        + " line between the latent means of two test items, decoded.");
    figure(section, dir.resolve("traversals.png"), "latent traversals", "traversals.png: the first test item's"
        + " latent mean with one coordinate (row) set to each value (column).");
    figure(section, dir.resolve("manifold.png"), "decoded manifold", "manifold.png: a grid of a 2-D latent space,"
        + " decoded.");
    figure(section, dir.resolve("latent-scatter.png"), "latent scatter", "latent-scatter.png: test latent means"
        + " coloured by class.");
    return section;
  }

  private static Section scores(Path dir, ClassNames classes) throws IOException {
    JsonNode doc = json(dir.resolve("scores.json"));
    if (doc == null) {
      return null;
    }
    Section section = new Section("scores", "Outlier scores (vi4j score)", "From scores/scores.json and"
        + " scores/scores.csv: " + doc.path("items").asInt() + " items, higher scores are more unusual; thresholds"
        + " at quantile " + doc.path("threshold_quantile").asText() + " of training items' scores"
        + (doc.path("outlier_classes").size() > 0 ? "; outlier classes " + describe(doc.path("outlier_classes"),
            classes) : "") + ".");
    List<String> header = new ArrayList<>(List.of("score"));
    List<List<String>> rows = new ArrayList<>();
    boolean first = true;
    for (var entry : iterable(doc.path("scores"))) {
      if (first) {
        entry.getValue().fieldNames().forEachRemaining(f -> header.add(f.replace('_', ' ')));
        first = false;
      }
      List<String> row = new ArrayList<>(List.of(title(entry.getKey())));
      entry.getValue().elements().forEachRemaining(v -> row.add(Numbers.text(v)));
      rows.add(row);
    }
    section.table("Scores", header, rows);
    ScoresCsv csv = ScoresCsv.read(dir.resolve("scores.csv"));
    if (csv != null) {
      for (var entry : csv.scores().entrySet()) {
        section.figure(Html.dataUri(ScoreCharts.histograms("Histogram of " + title(entry.getKey()) + " per class",
            entry.getValue(), csv.labels(), classes)), "histogram of " + entry.getKey() + " per class",
            "The distribution of " + title(entry.getKey()) + " in each class.");
      }
      if (csv.hasBothGroups()) {
        Map<String, double[]> named = new LinkedHashMap<>();
        csv.scores().forEach((k, v) -> named.put(title(k), v));
        section.figure(Html.dataUri(ScoreCharts.roc(named, csv.outlier())), "ROC curves",
            "ROC curves: the share of outliers flagged against the share of inliers flagged, as the threshold falls.");
      }
    }
    return section;
  }

  private static String describe(JsonNode labels, ClassNames classes) {
    List<String> out = new ArrayList<>();
    labels.forEach(l -> out.add(classes.describe(l.asInt())));
    return String.join(", ", out);
  }

  /** @return a score's name for people */
  static String title(String score) {
    return switch (score) {
      case "kl" -> "KL(q(t|x) ‖ p(t))";
      case "neg_elbo" -> "−ELBO";
      case "neg_log_likelihood" -> "−log p(x)";
      default -> score;
    };
  }

  private static Section imputation(Path dir) throws IOException {
    JsonNode doc = json(dir.resolve("imputation.json"));
    if (doc == null) {
      return null;
    }
    if (doc.has("rows")) {
      return tableImputation(dir, doc);
    }
    Section section = new Section("imputation", "Imputation (vi4j impute)", "From imputation/: " + doc.path("items")
        .asInt() + " test items, mask " + doc.path("mask").asText() + ".");
    List<List<String>> rows = new ArrayList<>();
    for (var entry : iterable(doc.path("missing_pixel_mse"))) {
      rows.add(List.of(entry.getKey(), Numbers.text(entry.getValue())));
    }
    section.table("Mean squared error on the missing pixels", List.of("method", "missing-pixel MSE"), rows);
    figure(section, dir.resolve("imputation.png"), "imputations", "imputation.png: masked items (grey ="
        + " missing), each method's completion, and the originals.");
    return section;
  }

  /** A table's imputation: what was filled, and the errors on the hidden cells when some were hidden. */
  private static Section tableImputation(Path dir, JsonNode doc) {
    String text = "From imputation/: " + doc.path("rows").asInt() + " rows, " + doc.path("missing_cells").asLong()
        + " missing cells filled; the completed rows are in completed.csv.";
    if (doc.path("hidden_cells").isNumber()) {
      text += " " + doc.path("hidden_cells").asLong() + " observed cells (" + Numbers.text(100 * doc.path(
          "hidden_fraction").asDouble()) + " % of them, seed " + doc.path("seed").asLong() + ") were hidden to measure"
          + " the errors; hidden.csv lists them.";
    }
    Section section = new Section("imputation", "Imputation of the table (vi4j impute)", text);
    List<List<String>> rows = new ArrayList<>();
    for (var entry : iterable(doc.path("errors"))) {
      JsonNode e = entry.getValue();
      rows.add(List.of(entry.getKey(), Numbers.text(e.path("continuous_rmse")), Numbers.text(e.path("count_rmse")),
          Numbers.text(e.path("accuracy"))));
    }
    if (!rows.isEmpty()) {
      section.table("Errors on the hidden cells", List.of("method", "continuous RMSE (sd units)", "count RMSE",
          "level accuracy"), rows);
    }
    return section;
  }

  private static Section embedding(Path dir) throws IOException {
    Section section = new Section("embedding", "Representations (vi4j embed)", "From embedding/.");
    figure(section, dir.resolve("latent-scatter.png"), "latent means of the embedded items",
        "latent-scatter.png: the embedded items' latent means (first two principal components when L > 2),"
            + " coloured by class.");
    return section;
  }

  private static Section gradVariance(Path dir) throws IOException {
    JsonNode doc = json(dir.resolve("grad-variance.json"));
    if (doc == null) {
      return null;
    }
    Section section = new Section("grad-variance", "Gradient variance (vi4j grad-variance)", "From grad-variance/:"
        + " the encoder gradient's variance over repeated draws on one fixed batch; ratios are to "
        + doc.path("reference").asText() + ".");
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode e : doc.path("estimators")) {
      rows.add(List.of(e.path("estimator").asText(), Numbers.text(e.path("total_variance")),
          Numbers.text(e.path("variance_ratio")), Numbers.text(e.path("snr")), Numbers.text(e.path("mean_coordinate_snr")),
          Numbers.text(e.path("seconds_per_draw").asDouble() * 1000), e.path("draws").asText()));
    }
    section.table("Per estimator", List.of("estimator", "total variance", "ratio", "SNR", "mean coordinate SNR",
        "ms per draw", "draws"), rows);
    figure(section, dir.resolve("grad-variance.png"), "gradient variance per estimator",
        "grad-variance.png: total variance per estimator (log scale).");
    return section;
  }

  private static Section amortizationGap(Path file) throws IOException {
    JsonNode doc = json(file);
    if (doc == null) {
      return null;
    }
    return new Section("amortization-gap", "Amortization gap (vi4j amortization-gap)", "From amortization-gap.json;"
        + " nats per item.").table("ELBO with the encoder's and with refined posteriors", List.of("figure", "value"),
            rows(doc));
  }

  private static Section config(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    return new Section("config", "Configuration", "The resolved config (config.yaml): every default written out;"
        + " re-runnable with vi4j train.").text("config.yaml", Files.readString(file));
  }

  private static void figure(Section section, Path png, String alt, String caption) throws IOException {
    if (Files.isRegularFile(png)) {
      section.figure(Html.dataUri(png), alt, caption);
    }
  }

  private static ClassNames classNames(Path config) {
    try {
      JsonNode tree = new YAMLMapper().readTree(config.toFile());
      return ClassNames.ofType(tree == null ? null : tree.path("data").path("type").asText(null));
    } catch (IOException | RuntimeException e) {
      return ClassNames.none(); // no config (or an unreadable one): labels read as numbers
    }
  }

  /** @return the JSON object in {@code file}, or null when there is none */
  static JsonNode json(Path file) throws IOException {
    return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
    return object::fields;
  }
}
