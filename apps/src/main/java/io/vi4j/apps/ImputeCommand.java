package io.vi4j.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.ConditionalImputer;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.io.AtomicFiles;
import io.vi4j.core.report.Captions;
import io.vi4j.core.report.ImageGrid;
import io.vi4j.core.report.Table;
import io.vi4j.core.uses.Imputation;
import io.vi4j.core.uses.Mask;
import io.vi4j.core.uses.TableImputation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vi4j impute RUN_DIR --mask ...}: fill missing pixels of test items, and measure the error; on a table,
 * fill its missing cells (and cells hidden on purpose with {@code --hide}) and write the completed table.
 */
@Command(name = "impute", mixinStandardHelpOptions = true,
    header = "Fill missing pixels or table cells with every method the model has, and measure the error.",
    description = "Images: hide pixels of test items (--mask random:P | top-half | bottom-half | center:S) and"
        + " fill them: by pseudo-Gibbs and Metropolis-within-Gibbs for a VAE, by the exact conditional mean for"
        + " PPCA, and by per-pixel training means (the floor to beat); writes a PNG of masked / imputed /"
        + " original rows. Tables: fill the test rows' missing cells, and with --hide F also a fraction F of"
        + " their observed cells (kept in hidden.csv), by importance sampling for a VAE (MIWAE), by the"
        + " conditional mean for PPCA and Gaussian mixtures, and by column means or most frequent levels;"
        + " writes the completed rows (completed.csv). Reports the error on the hidden values."
        + " It writes the run's report.html (a page of everything the run holds) again.")
final class ImputeCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(names = "--mask", description = "images: random:P, top-half, bottom-half or center:S")
  String mask;

  @Option(names = "--hide", paramLabel = "FRACTION", description = "tables: hide this fraction of the observed"
      + " cells of the test rows (completely at random, seeded by --seed), impute them and report the error")
  Double hide;

  @Option(names = "--k", description = "tables: importance samples per row for a VAE (default: ${DEFAULT-VALUE})",
      defaultValue = "1000")
  int k;

  @Mixin DataOptions data;

  @Option(names = "--items", description = "test items (default: ${DEFAULT-VALUE})", defaultValue = "1000")
  int items;

  @Option(names = "--iterations", description = "sampler iterations (default: ${DEFAULT-VALUE})", defaultValue = "100")
  int iterations;

  @Option(names = "--seed", description = "seed of the mask and the samplers (default: ${DEFAULT-VALUE})", defaultValue = "0")
  long seed;

  @Option(names = "--out", description = "output directory (default: RUN_DIR/imputation)")
  Path out;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    if (items < 1 || iterations < 2 || k < 1) {
      throw new IllegalArgumentException("--items and --k must be at least 1 and --iterations at least 2");
    }
    if (command.commandLine().getParseResult().hasMatchedOption("--iterations") && run.isExactDensity()) {
      throw new IllegalArgumentException("--iterations does not apply to " + run.dir + ": its model (a baseline"
          + " or a density) imputes by its conditional mean, without a sampler; leave --iterations out");
    }
    Map<String, float[]> imputed = new LinkedHashMap<>();
    Dataset test;
    Dataset train;
    RunDirectoryOutput output;
    try (Runtime.ExactDensity baseline = run.exactDensity()) {
      if (baseline != null) {
        test = tableData(baseline.data(), baseline.experiment(), baseline.dataKind()).test().head(items);
        train = baseline.data().train();
        if (!(baseline.model() instanceof ConditionalImputer imputer)) {
          throw new IllegalArgumentException(run.dir + ": the '" + baseline.name() + "' model cannot impute"
              + " (PPCA, Gaussian mixtures, factorized baselines and VAEs can)");
        }
        if (isTable(test)) {
          new TableOutput(test, train).write("conditional-mean", masked -> TableImputation.toLevels(
              imputer.conditionalMean(masked, missing(masked), test.rows()), test.table()));
          Runtime.writeReport(run.dir);
          return 0;
        }
        Mask parsed = parseMask();
        boolean[] missing = missing(parsed, test);
        imputed.put("mean", Imputation.meanImputation(test.values(), missing, train));
        imputed.put("conditional-mean", imputer.conditionalMean(test.values(), missing, test.rows()));
        output = new RunDirectoryOutput(run.dir, test, missing);
      } else {
        try (Runtime.RestoredRun restored = run.restore()) {
          var data = restored.data();
          test = tableData(data, restored.experiment(), restored.model().model().decoder().dataKind()).test()
              .head(items);
          train = data.train();
          if (isTable(test)) {
            if (command.commandLine().getParseResult().hasMatchedOption("--iterations")) {
              throw new IllegalArgumentException("--iterations does not apply to a table: a VAE imputes its cells"
                  + " by importance sampling (--k samples per row), without a sampler; leave --iterations out");
            }
            Dataset rows = test;
            new TableOutput(test, train).write("importance-weighted", masked -> {
              Engines.seed(seed);
              return TableImputation.importanceWeighted(restored.model(), masked, rows.rows(), rows.table(), k,
                  Math.max(1, 100_000 / k));
            });
            Runtime.writeReport(run.dir);
            return 0;
          }
          Mask parsed = parseMask();
          boolean[] missing = missing(parsed, test);
          float[] start = Imputation.meanImputation(test.values(), missing, train);
          imputed.put("mean", start);
          Engines.seed(seed);
          imputed.put("pseudo-gibbs",
              Imputation.pseudoGibbs(restored.model(), test.values(), missing, start, test.rows(), iterations));
          Engines.seed(seed);
          imputed.put("metropolis-within-gibbs", Imputation.metropolisWithinGibbs(
              restored.model(), test.values(), missing, start, test.rows(), iterations));
          output = new RunDirectoryOutput(run.dir, test, missing);
        }
      }
    }
    output.write(run.output(out, "imputation"), mask, imputed);
    Runtime.writeReport(run.dir);
    return 0;
  }

  /** @return the {@code --data} splits (a table's, read with the run's columns), or the run's own */
  private io.vi4j.api.data.DataSplits tableData(io.vi4j.api.data.DataSplits own, io.vi4j.core.run.Experiment experiment,
      io.vi4j.api.density.DataKind kind) throws java.io.IOException {
    io.vi4j.api.data.DataSplits other = data.or(own, experiment, kind);
    if (data.given() && other.test().table() == null) {
      throw new IllegalArgumentException("--data applies to tables: it names the rows to complete, read with the"
          + " run's columns (e.g. '{type: table, train: all.csv, test: all.csv}')");
    }
    return other;
  }

  /** @return whether the items are a table's rows (or hold missing cells), which --hide, not --mask, applies to */
  private boolean isTable(Dataset test) {
    boolean table = test.table() != null || test.hasMissing();
    if (table && mask != null) {
      throw new IllegalArgumentException("--mask applies to images; " + run.dir + " holds a table: use --hide FRACTION"
          + " to hide observed cells, or leave both out to fill its missing cells");
    }
    if (!table && hide != null) {
      throw new IllegalArgumentException("--hide applies to tables; " + run.dir + " holds images: use --mask");
    }
    if (!table && command.commandLine().getParseResult().hasMatchedOption("--k")) {
      throw new IllegalArgumentException("--k applies to tables; images are imputed by samplers (--iterations)");
    }
    return table;
  }

  private Mask parseMask() {
    if (mask == null) {
      throw new IllegalArgumentException("--mask is required for images: random:P, top-half, bottom-half or center:S");
    }
    return new Mask(mask);
  }

  /** @return true where a value is NaN (missing or hidden) */
  private static boolean[] missing(float[] values) {
    boolean[] missing = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      missing[i] = Float.isNaN(values[i]);
    }
    return missing;
  }

  /**
   * Imputes a table's test rows by the column means and by the model, reports the errors on hidden cells,
   * and writes the completed rows, the hidden cells and {@code imputation.json}.
   */
  private final class TableOutput {
    private final Dataset test;
    private final Dataset train;
    /** {@code test} with its columns named: its own table, or continuous columns {@code x0, x1, ...} */
    private final Dataset named;

    TableOutput(Dataset test, Dataset train) {
      this.test = test;
      this.train = train;
      this.named = test.table() == null ? asTable(test) : test;
    }

    void write(String method, java.util.function.UnaryOperator<float[]> model) throws Exception {
      boolean[] hidden = hide == null ? new boolean[test.values().length] : TableImputation.hide(test, hide, seed);
      float[] masked = TableImputation.withHidden(test, hidden);
      Map<String, float[]> imputed = new LinkedHashMap<>();
      imputed.put("column-mean", TableImputation.columnMeans(masked, train));
      imputed.put(method, model.apply(masked));
      Path dir = run.output(out, "imputation");
      java.nio.file.Files.createDirectories(dir);
      io.vi4j.core.uses.CompletedTable.write(dir.resolve("completed.csv"), named, imputed.get(method));
      long missingBefore = 0;
      for (float v : test.values()) {
        missingBefore += Float.isNaN(v) ? 1 : 0;
      }
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("run", run.dir.toString());
      report.put("rows", test.rows());
      report.put("missing_cells", missingBefore);
      report.put("hidden_fraction", hide);
      report.put("seed", seed);
      String written = dir.resolve("completed.csv") + ", " + dir.resolve("imputation.json");
      System.out.printf(Locale.ROOT, "filled %d missing cells of %d test rows by %s%n", missingBefore, test.rows(),
          title(method));
      if (hide != null) {
        Map<String, Object> errors = new LinkedHashMap<>();
        Table.Builder table = Table.builder("method", "continuous RMSE (sd units)", "count RMSE", "level accuracy")
            .significantDigits(4);
        long cells = 0;
        for (boolean h : hidden) {
          cells += h ? 1 : 0;
        }
        for (var entry : imputed.entrySet()) {
          TableImputation.Errors e = TableImputation.errors(entry.getValue(), test.values(), hidden, test.table());
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("continuous_rmse", finite(e.continuousRmse()));
          one.put("continuous_cells", e.continuousCells());
          one.put("count_rmse", finite(e.countRmse()));
          one.put("count_cells", e.countCells());
          one.put("accuracy", finite(e.accuracy()));
          one.put("level_cells", e.discreteCells());
          errors.put(entry.getKey(), one);
          table.row(title(entry.getKey()), orDash(e.continuousRmse()), orDash(e.countRmse()), orDash(e.accuracy()));
        }
        report.put("hidden_cells", cells);
        report.put("errors", errors);
        writeHidden(dir.resolve("hidden.csv"), hidden);
        written += ", " + dir.resolve("hidden.csv");
        System.out.printf(Locale.ROOT, "hid %d observed cells (%.0f %%, seed %d) and imputed them:%n", cells,
            100 * hide, seed);
        System.out.print(table.build().toMarkdown());
      }
      AtomicFiles.write(dir.resolve("imputation.json"),
          new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
      System.out.println("written: " + written);
    }

    /** One line per hidden cell: row, id, column, and its value in the table's terms. */
    private void writeHidden(Path file, boolean[] hidden) throws java.io.IOException {
      int d = test.columns();
      StringBuilder csv = new StringBuilder("row,id,column,value\n");
      for (int i = 0; i < hidden.length; i++) {
        if (hidden[i]) {
          var column = named.table().column(i % d);
          csv.append(i / d).append(',').append(test.ids() == null ? "" : test.ids()[i / d]).append(',')
              .append(column.name()).append(',')
              .append(io.vi4j.core.uses.CompletedTable.cell(column, test.values()[i])).append('\n');
        }
      }
      AtomicFiles.write(file, csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** @return {@code value}, or a dash when it is NaN (no hidden cell of that kind) */
  private static Object orDash(double value) {
    return Double.isNaN(value) ? "-" : value;
  }

  /** @return {@code value}, or null (JSON null) when it is NaN */
  private static Double finite(double value) {
    return Double.isNaN(value) ? null : value;
  }

  /** @return the items as a table of continuous columns named {@code x0, x1, ...} */
  private static Dataset asTable(Dataset data) {
    List<io.vi4j.api.data.TableColumn> columns = new ArrayList<>();
    for (int j = 0; j < data.columns(); j++) {
      columns.add(new io.vi4j.api.data.TableColumn("x" + j, io.vi4j.api.data.TableColumn.Kind.CONTINUOUS, null, 0, 1));
    }
    return new Dataset(data.name(), data.values(), data.rows(), data.columns(), data.labels(), null,
        new io.vi4j.api.data.TableSchema(columns, null, null, null), data.ids());
  }

  private boolean[] missing(Mask parsed, Dataset test) {
    if (!test.isImage()) {
      throw new IllegalArgumentException("masks are defined on images; the items have shape "
          + Arrays.toString(test.itemShape()));
    }
    int[] shape = test.itemShape();
    return parsed.missing(test.rows(), shape[0], shape[1], seed);
  }

  /** @return a method's name for people: {@code metropolis-within-gibbs} is {@code Metropolis-within-Gibbs} */
  static String title(String method) {
    return switch (method) {
      case "mean" -> "per-pixel mean";
      case "pseudo-gibbs" -> "pseudo-Gibbs";
      case "metropolis-within-gibbs" -> "Metropolis-within-Gibbs";
      case "conditional-mean" -> "conditional mean";
      case "column-mean" -> "column mean (most frequent level)";
      case "importance-weighted" -> "importance-weighted (MIWAE)";
      default -> method;
    };
  }

  /** Writes the errors and the picture. */
  private record RunDirectoryOutput(Path runDir, Dataset test, boolean[] missing) {
    void write(Path dir, String mask, Map<String, float[]> imputed) throws Exception {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("run", runDir.toString());
      report.put("mask", mask);
      report.put("items", test.rows());
      Map<String, Double> errors = new LinkedHashMap<>();
      for (var entry : imputed.entrySet()) {
        errors.put(entry.getKey(), Imputation.missingMse(entry.getValue(), test.values(), missing));
      }
      report.put("missing_pixel_mse", errors);
      AtomicFiles.write(dir.resolve("imputation.json"),
          new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
      int shown = Math.min(10, test.rows());
      int d = test.columns();
      int rows = imputed.size() + 2;
      float[] picture = new float[rows * shown * d];
      for (int i = 0; i < shown; i++) {
        for (int j = 0; j < d; j++) {
          picture[i * d + j] = missing[i * d + j] ? 0.5f : test.values()[i * d + j];
        }
      }
      int row = 1;
      for (float[] values : imputed.values()) {
        System.arraycopy(values, 0, picture, row * shown * d, shown * d);
        row++;
      }
      System.arraycopy(test.values(), 0, picture, row * shown * d, shown * d);
      int[] shape = test.itemShape();
      List<String> labels = new ArrayList<>();
      labels.add("masked (grey = missing)");
      errors.forEach((method, mse) -> labels.add(String.format(Locale.ROOT, "%s (MSE %.4f)", title(method), mse)));
      labels.add("original");
      ImageGrid grid = ImageGrid.builder().columns(shown).scale(2).build();
      Captions.of("Imputation of the first " + shown + " test items, mask " + mask).rows(labels)
          .save(dir.resolve("imputation.png"), grid, grid.render(picture, rows * shown, shape[0], shape[1]),
              shape[0], shape[1]);
      long hidden = 0;
      for (boolean m : missing) {
        hidden += m ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "imputed %d test items, mask %s (%.1f %% of their pixels missing); mean"
          + " squared error on the missing pixels:%n", test.rows(), mask, 100.0 * hidden / missing.length);
      Table.Builder table = Table.builder("method", "missing-pixel MSE").significantDigits(4);
      errors.forEach((method, mse) -> table.row(title(method), mse));
      System.out.print(table.build().toMarkdown());
      System.out.println("written: " + dir.resolve("imputation.json") + ", " + dir.resolve("imputation.png"));
    }
  }
}
