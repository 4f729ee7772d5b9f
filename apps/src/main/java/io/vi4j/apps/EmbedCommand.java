package io.vi4j.apps;

import io.vi4j.api.data.Dataset;
import io.vi4j.core.io.Npy;
import io.vi4j.core.data.ClassNames;
import io.vi4j.core.report.ScatterChart;
import io.vi4j.core.report.Table;
import io.vi4j.core.uses.Generation;
import io.vi4j.core.uses.Representations;
import io.vi4j.core.uses.Representations.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vi4j embed RUN_DIR}: the encoder's representation of every item, as NPY or CSV. */
@Command(name = "embed", mixinStandardHelpOptions = true,
    header = "Write the encoder's representation of every item of a split, as NumPy files or CSV.",
    description = "Write the posterior means (and log-variances) of a split's items, and their labels, as .npy"
        + " files numpy.load reads as they are, or as one CSV with a header."
        + " It writes the run's report.html (a page of everything the run holds) again.")
final class EmbedCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(names = "--split", description = "train or test (default: ${DEFAULT-VALUE})", defaultValue = "test")
  String split;

  @Option(names = "--format", description = "npy or csv (default: ${DEFAULT-VALUE})", defaultValue = "npy")
  String format;

  @Mixin DataOptions data;

  @Option(names = "--out", description = "output directory (default: RUN_DIR/embedding)")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
    }
    if (!format.equals("npy") && !format.equals("csv")) {
      throw new IllegalArgumentException("--format must be npy or csv, got '" + format + "'");
    }
    Dataset items;
    Encoding encoding;
    ClassNames classes;
    try (Runtime.ExactDensity baseline = run.exactDensity()) {
      if (baseline != null) {
        if (!(baseline.model() instanceof io.vi4j.api.density.LatentRepresentation latent)) {
          throw new IllegalArgumentException(run.dir + ": this baseline has no latent representation (PPCA has)");
        }
        var splits = data.or(baseline.data(), baseline.experiment(), baseline.dataKind());
        classes = ClassNames.of(baseline.spec().data());
        items = split.equals("train") ? splits.train() : splits.test();
        encoding = Representations.encode(latent, items, baseline.manager());
      } else {
        try (Runtime.RestoredRun restored = run.restore()) {
          var splits = data.or(restored.data(), restored.experiment(), restored.model().model().decoder().dataKind());
          classes = ClassNames.of(restored.experiment().spec().data());
          items = split.equals("train") ? splits.train() : splits.test();
          encoding = Representations.means(restored.model(), items);
        }
      }
    }
    Path dir = run.output(out, "embedding");
    int n = encoding.items();
    int l = encoding.latentDimension();
    List<Path> written = new ArrayList<>();
    if (format.equals("npy")) {
      written.add(dir.resolve(split + "-means.npy"));
      Npy.writeFloats(written.get(0), encoding.means(), n, l);
      if (encoding.logVariances() != null) {
        written.add(dir.resolve(split + "-log-variances.npy"));
        Npy.writeFloats(written.get(1), encoding.logVariances(), n, l);
      }
      if (items.hasLabels()) {
        Path labels = dir.resolve(split + "-labels.npy");
        Npy.writeInts(labels, items.labels(), n);
        written.add(labels);
      }
    } else {
      List<String> columns = new ArrayList<>();
      for (int j = 0; j < l; j++) {
        columns.add("mean_" + j);
      }
      if (encoding.logVariances() != null) {
        for (int j = 0; j < l; j++) {
          columns.add("log_variance_" + j);
        }
      }
      if (items.hasLabels()) {
        columns.add("label");
      }
      Table.Builder table = Table.builder(columns);
      for (int i = 0; i < n; i++) {
        List<Object> row = new ArrayList<>();
        for (int j = 0; j < l; j++) {
          row.add(encoding.means()[i * l + j]);
        }
        if (encoding.logVariances() != null) {
          for (int j = 0; j < l; j++) {
            row.add(encoding.logVariances()[i * l + j]);
          }
        }
        if (items.hasLabels()) {
          row.add(items.labels()[i]);
        }
        table.row(row);
      }
      Path csv = dir.resolve(split + "-embedding.csv");
      table.build().writeCsv(csv);
      written.add(csv);
    }
    System.out.println("encoded " + n + " " + split + " items into " + l + " latent dimensions"
        + (encoding.logVariances() == null ? " (means)" : " (means and log-variances)")
        + (items.hasLabels() ? ", with their labels" : ""));
    if (n > 0 && l > 0) {
      // A picture of the representation: the means (their first two principal components when L > 2).
      double[][] xy = Generation.project2d(encoding.means(), n, l);
      Path scatter = dir.resolve("latent-scatter.png");
      ScatterChart.write(scatter, "Latent means of the " + split + " items" + (l > 2 ? " (first two principal"
          + " components)" : ""), l > 2 ? "PC 1" : "t1", l > 2 ? "PC 2" : "t2", xy[0], xy[1],
          items.hasLabels() ? items.labels() : null, (data.given() ? ClassNames.none() : classes)::legend);
      written.add(scatter);
    }
    written.forEach(p -> System.out.println("written: " + p));
    Runtime.writeReport(run.dir);
    return 0;
  }
}
