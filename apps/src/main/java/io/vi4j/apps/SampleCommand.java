package io.vi4j.apps;

import io.vi4j.api.data.Dataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.io.Npy;
import io.vi4j.core.data.ClassNames;
import io.vi4j.core.report.Captions;
import io.vi4j.core.report.ImageGrid;
import io.vi4j.core.report.ScatterChart;
import io.vi4j.core.run.Pictures;
import io.vi4j.core.uses.Generation;
import io.vi4j.core.uses.Representations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vi4j sample RUN_DIR}: new data and latent-space pictures from a trained model. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    header = "Draw new items and latent-space pictures from a trained model.",
    description = "Write PNG grids of prior samples (decoder mean and sampled), reconstructions, interpolations"
        + " between test items, latent traversals, the decoded manifold (2-D latent spaces) and a scatter"
        + " plot of test latent means coloured by label; --format npy writes the samples too."
        + " It writes the run's report.html (a page of everything the run holds) again.")
final class SampleCommand implements Callable<Integer> {
  private static final int STEPS = 10;
  /** The most samples drawn: they are shown as one grid of 10 columns. */
  static final int MAX_COUNT = 10_000;
  private static final double[] TRAVERSAL = {-3, -2.25, -1.5, -0.75, 0, 0.75, 1.5, 2.25, 3};

  @Mixin RunOptions run;

  @Option(names = "--count", description = "prior samples per grid (default: ${DEFAULT-VALUE})", defaultValue = "100")
  int count;

  @Option(names = "--seed", description = "seed of the draws (default: ${DEFAULT-VALUE})", defaultValue = "1")
  long seed;

  @Option(names = "--format", description = "png, or npy to write the raw samples as well (default: ${DEFAULT-VALUE})",
      defaultValue = "png")
  String format;

  @Option(names = "--out", description = "output directory (default: RUN_DIR/samples)")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("--count must be between 1 and " + MAX_COUNT + " (the samples are drawn"
          + " as one picture grid), got " + count);
    }
    if (!format.equals("png") && !format.equals("npy")) {
      throw new IllegalArgumentException("--format must be png or npy, got '" + format + "'");
    }
    try (Runtime.ExactDensity density = run.exactDensity()) {
      if (density != null) {
        return sampleDensity(density);
      }
    }
    try (Runtime.RestoredRun restored = run.restore()) {
      Dataset test = restored.data().test();
      if (test.table() != null) {
        io.vi4j.api.kit.math.MemoryBudget.checkJava("--count", count + " samples × " + test.columns() + " values",
            count, test.columns());
        Engines.seed(seed);
        return writeRows(test, Generation.priorSamples(restored.model(), count, true), "x ~ p(x | t), t ~ p(t)");
      }
      if (!test.isImage()) {
        throw new IllegalArgumentException(run.dir + ": items of shape " + Arrays.toString(test.itemShape())
            + " are not images; no grid can be drawn");
      }
      io.vi4j.api.kit.math.MemoryBudget.checkJava("--count", count + " samples × " + test.columns() + " values",
          count, test.columns());
      var model = restored.model();
      Path dir = out == null ? restored.directory().file("samples") : out;
      int[] shape = test.itemShape();
      int d = test.columns();
      int l = model.model().latentDimension();
      ImageGrid grid = ImageGrid.builder().columns(10).scale(2).build();
      int pairs = Math.min(5, test.rows() / 2);
      int dims = Math.min(l, 20);
      List<Path> written = new ArrayList<>();

      Engines.seed(seed);
      float[] means = Generation.priorSamples(model, count, false);
      Engines.seed(seed);
      float[] sampled = Generation.priorSamples(model, count, true);
      Captions.of("Prior samples: decoder means at t ~ p(t)").save(add(written, dir.resolve("prior-means.png")),
          grid, grid.render(means, count, shape[0], shape[1]), shape[0], shape[1]);
      Captions.of("Prior samples: x ~ p(x | t) at t ~ p(t)").save(add(written, dir.resolve("prior-samples.png")),
          grid, grid.render(sampled, count, shape[0], shape[1]), shape[0], shape[1]);
      Pictures.reconstructions(model, test, Math.min(50, test.rows()), add(written, dir.resolve("reconstructions.png")));

      Representations.Encoding encoding = Representations.encode(model, test);
      if (pairs > 0) {
        float[] a = Arrays.copyOfRange(encoding.means(), 0, pairs * l);
        float[] b = Arrays.copyOfRange(encoding.means(), pairs * l, 2 * pairs * l);
        float[] path = Generation.interpolationLatents(a, b, pairs, l, STEPS);
        List<String> rows = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
          rows.add("items " + p + " → " + (pairs + p));
        }
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
          columns.add(String.format(Locale.ROOT, "%.2f", i / (double) (STEPS - 1)));
        }
        ImageGrid line = ImageGrid.builder().columns(STEPS).scale(2).build();
        Captions.of("Interpolations between the latent means of two test items (fraction of the way)")
            .rows(rows).columns(columns).save(add(written, dir.resolve("interpolations.png")), line,
                line.render(Generation.decode(model, path, pairs * STEPS), pairs * STEPS, shape[0], shape[1]),
                shape[0], shape[1]);
      }
      float[] base = Arrays.copyOfRange(encoding.means(), 0, l);
      List<String> coordinates = new ArrayList<>();
      for (int j = 0; j < dims; j++) {
        coordinates.add("t" + (j + 1));
      }
      List<String> values = Arrays.stream(TRAVERSAL).mapToObj(v -> String.format(Locale.ROOT, "%+.2f", v)).toList();
      ImageGrid traversal = ImageGrid.builder().columns(TRAVERSAL.length).scale(2).build();
      Captions.of("Traversals: test item 0's latent mean with one coordinate set to each value")
          .rows(coordinates).columns(values).save(add(written, dir.resolve("traversals.png")), traversal,
              traversal.render(Generation.decode(model, Generation.traversalLatents(base, dims, TRAVERSAL),
                  dims * TRAVERSAL.length), dims * TRAVERSAL.length, shape[0], shape[1]), shape[0], shape[1]);
      if (l == 2) {
        int size = 20;
        ImageGrid manifold = ImageGrid.builder().columns(size).padding(0).build();
        Captions.of("Decoded manifold: latents at the normal quantiles of an even grid (t1 across, t2 down)")
            .save(add(written, dir.resolve("manifold.png")), manifold, manifold.render(
                Generation.decode(model, Generation.manifoldLatents(size), size * size), size * size, shape[0],
                shape[1]), shape[0], shape[1]);
      }
      double[][] xy = Generation.project2d(encoding.means(), encoding.items(), l);
      ClassNames classes = ClassNames.of(restored.experiment().spec().data());
      ScatterChart.write(add(written, dir.resolve("latent-scatter.png")),
          "Test latent means" + (l > 2 ? " (first two principal components)" : ""),
          l > 2 ? "PC 1" : "t1", l > 2 ? "PC 2" : "t2", xy[0], xy[1], test.hasLabels() ? test.labels() : null,
          classes::legend);
      if (format.equals("npy")) {
        Npy.writeFloats(add(written, dir.resolve("prior-means.npy")), means, count, d);
        Npy.writeFloats(add(written, dir.resolve("prior-samples.npy")), sampled, count, d);
      }
      System.out.println("drew " + count + " prior samples (means and draws), " + Math.min(50, test.rows())
          + " reconstructions, " + pairs + " interpolations, " + dims + " traversals"
          + (l == 2 ? ", the decoded manifold" : "") + " and the latent means of " + test.rows() + " test items");
      System.out.println("written into " + dir + ": " + String.join(", ",
          written.stream().map(p -> p.getFileName().toString()).toList()));
      Runtime.writeReport(run.dir);
    }
    return 0;
  }

  /**
   * Draws {@code --count} items from a model without latents (a baseline, or MADE with one network pass
   * per dimension) and writes them as {@code samples.png} (and {@code samples.npy}); prints the time taken.
   */
  private int sampleDensity(Runtime.ExactDensity density) throws java.io.IOException {
    Dataset test = density.data().test();
    if (test.table() != null) {
      Engines.seed(seed);
      try (ai.djl.ndarray.NDManager manager = density.manager().newSubManager()) {
        // A Gaussian baseline draws level codes as numbers: each is rounded to the nearest level.
        return writeRows(test, io.vi4j.core.uses.TableImputation.toLevels(
            density.model().sample(count, manager).toFloatArray(), test.table()), "x ~ p(x)");
      }
    }
    if (!test.isImage() && format.equals("png")) {
      throw new IllegalArgumentException(run.dir + ": items of shape " + Arrays.toString(test.itemShape())
          + " are not images; no grid can be drawn (use --format npy)");
    }
    io.vi4j.api.kit.math.MemoryBudget.checkJava("--count", count + " samples × " + test.columns() + " values",
        count, test.columns());
    Path dir = out == null ? run.dir.resolve("samples") : out;
    List<Path> written = new ArrayList<>();
    Engines.seed(seed);
    float[] samples;
    long start = System.nanoTime();
    try (ai.djl.ndarray.NDManager manager = density.manager().newSubManager()) {
      samples = density.model().sample(count, manager).toFloatArray();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (test.isImage()) {
      int[] shape = test.itemShape();
      ImageGrid grid = ImageGrid.builder().columns(10).scale(2).build();
      Captions.of("Samples x ~ p(x) of '" + density.name() + "'").save(add(written, dir.resolve("samples.png")), grid,
          grid.render(samples, count, shape[0], shape[1]), shape[0], shape[1]);
    }
    if (format.equals("npy")) {
      Npy.writeFloats(add(written, dir.resolve("samples.npy")), samples, count, test.columns());
    }
    System.out.printf(java.util.Locale.ROOT, "drew %d items from '%s' in %.2f s%n", count, density.name(), seconds);
    written.forEach(p -> System.out.println("written: " + p));
    Runtime.writeReport(run.dir);
    return 0;
  }

  /**
   * Writes drawn rows of a table in its own terms ({@code samples.csv}: values de-standardised, levels by
   * name), and as {@code samples.npy} in stored units with {@code --format npy}.
   */
  private int writeRows(Dataset test, float[] samples, String how) throws java.io.IOException {
    Path dir = out == null ? run.dir.resolve("samples") : out;
    List<Path> written = new ArrayList<>();
    Dataset rows = new Dataset("samples", samples, count, test.columns(), null, null, test.table(), null);
    io.vi4j.core.uses.CompletedTable.write(add(written, dir.resolve("samples.csv")), rows, samples);
    if (format.equals("npy")) {
      Npy.writeFloats(add(written, dir.resolve("samples.npy")), samples, count, test.columns());
    }
    System.out.printf(java.util.Locale.ROOT, "drew %d rows of the table, %s%n", count, how);
    written.forEach(p -> System.out.println("written: " + p));
    Runtime.writeReport(run.dir);
    return 0;
  }

  private static Path add(List<Path> written, Path file) {
    written.add(file);
    return file;
  }
}
