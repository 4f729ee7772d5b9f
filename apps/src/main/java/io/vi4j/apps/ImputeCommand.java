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

/** {@code vi4j impute RUN_DIR --mask ...}: fill missing pixels of test items, and measure the error. */
@Command(name = "impute", mixinStandardHelpOptions = true,
    header = "Hide pixels of test items, fill them with every method the model has, and measure the error.",
    description = "Hide pixels of test items (--mask random:P | top-half | bottom-half | center:S) and fill them:"
        + " by pseudo-Gibbs and Metropolis-within-Gibbs for a VAE, by the exact conditional mean for PPCA,"
        + " and by per-pixel training means (the floor to beat). Reports the error on the missing pixels"
        + " and writes a PNG of masked / imputed / original rows."
        + " It writes the run's report.html (a page of everything the run holds) again.")
final class ImputeCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(names = "--mask", required = true, description = "random:P, top-half, bottom-half or center:S")
  String mask;

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
    Mask parsed = new Mask(mask);
    if (items < 1 || iterations < 2) {
      throw new IllegalArgumentException("--items must be at least 1 and --iterations at least 2");
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
        test = baseline.data().test().head(items);
        train = baseline.data().train();
        boolean[] missing = missing(parsed, test);
        imputed.put("mean", Imputation.meanImputation(test.values(), missing, train));
        if (!(baseline.model() instanceof ConditionalImputer imputer)) {
          throw new IllegalArgumentException(run.dir + ": the '" + baseline.name() + "' model cannot impute"
              + " (PPCA and VAEs can)");
        }
        imputed.put("conditional-mean", imputer.conditionalMean(test.values(), missing, test.rows()));
        output = new RunDirectoryOutput(run.dir, test, missing);
      } else {
        try (Runtime.RestoredRun restored = run.restore()) {
          var data = restored.data();
          test = data.test().head(items);
          train = data.train();
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
