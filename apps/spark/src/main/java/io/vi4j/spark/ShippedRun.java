package io.vi4j.spark;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.model.PerItemFamily;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.data.Protocol;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.DataFingerprint;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunChecks;
import io.vi4j.core.run.RunDirectory;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * A trained run as the driver describes it to the executors: where its directory is (a local path, or
 * any Hadoop file system path that Spark ships to every executor with {@code addFile}), and what the
 * driver learnt from it once — the shape of an item, the evaluation protocol, the run's seed — so that an
 * executor rebuilds the model from {@code config.yaml} and {@code parameters.bin} without its training data.
 */
public final class ShippedRun implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String name;
  private final boolean shipped;
  private final int[] itemShape;
  private final String protocol;
  private final long seed;
  private final boolean baseline;
  private final float[] trainMeans;
  private final int latentDimension;
  private final boolean logVariances;

  private ShippedRun(String path, String name, boolean shipped, int[] itemShape, String protocol, long seed,
      boolean baseline, float[] trainMeans, int latentDimension, boolean logVariances) {
    this.trainMeans = trainMeans;
    this.latentDimension = latentDimension;
    this.logVariances = logVariances;
    this.path = path;
    this.name = name;
    this.shipped = shipped;
    this.itemShape = itemShape;
    this.protocol = protocol;
    this.seed = seed;
    this.baseline = baseline;
  }

  /**
   * Opens a run on the driver: checks that it finished and that its data are those it was trained on (as
   * {@code vi4j score} does), learns its item shape and protocol, and ships its directory to the executors
   * unless every executor reads the same local path (local mode).
   *
   * @param runPath a local directory or a Hadoop file system URI ({@code hdfs://…}, {@code s3a://…})
   * @throws IOException naming the run directory when it is not a finished run
   */
  public static ShippedRun open(SparkSession spark, String runPath) throws IOException {
    URI uri = new org.apache.hadoop.fs.Path(runPath).toUri();
    boolean local = uri.getScheme() == null || "file".equals(uri.getScheme());
    boolean localMaster = spark.sparkContext().isLocal();
    Path given = Path.of(uri.getPath());
    if (given.getFileName() == null) {
      throw new IllegalArgumentException("'" + runPath + "' names no run directory");
    }
    String name = given.getFileName().toString();
    boolean ship = !(local && localMaster);
    if (ship) {
      spark.sparkContext().addFile(runPath, true);
    }
    Path directory = ship ? Path.of(SparkFiles.get(name)) : given;
    if (localMaster) {
      // In local mode this JVM is the executor too: its engine, started below, runs every task, each with
      // spark.task.cpus threads (N tasks on N cores, not N tasks × N threads).
      ExecutorModels.useThreads(Integer.parseInt(spark.conf().get("spark.task.cpus", "1")));
    }
    PluginRegistry registry = ExecutorModels.registry();
    RunDirectory run = RunDirectory.open(directory);
    RunChecks.checkSamePlugins(run, registry);
    ExperimentSpec spec = new ConfigLoader(registry).load(run.file(RunDirectory.CONFIG), List.of());
    run.requireFinished(spec.baseline() != null ? "fitted baseline" : "trained model");
    Experiment experiment = new Experiment(spec, registry, run.dataDirectory(Path.of("").toAbsolutePath()));
    DataSplits raw = experiment.loadData();
    RunChecks.checkSameData(run, DataFingerprint.of(raw));
    int[] shape = raw.train().itemShape();
    Protocol chosen;
    int latent;
    boolean gaussian;
    io.vi4j.api.density.DataKind kind;
    if (spec.baseline() != null) {
      try (var manager = io.vi4j.core.engine.Engines.pytorch().newBaseManager()) {
        var model = registry.create(io.vi4j.api.plugin.ComponentKind.BASELINE, spec.baseline(),
            new io.vi4j.api.plugin.BuildContext(raw.train().columns(), 0, manager, null));
        kind = model.dataKind();
        latent = model instanceof io.vi4j.api.density.LatentRepresentation r ? r.latentDimension() : 0;
        gaussian = false;
        chosen = spec.evaluation().protocol() != null ? spec.evaluation().protocol()
            : Protocol.choose(kind, raw);
      }
    } else {
      if (!Files.isRegularFile(run.file(RunDirectory.PARAMETERS))) {
        throw new IOException(directory + ": no " + RunDirectory.PARAMETERS + " although the run finished; train it again");
      }
      try (AssembledModel model = experiment.buildModel(raw.train().head(1))) {
        if (model.model().encoder() instanceof PerItemFamily) {
          throw new IllegalArgumentException(runPath + ": the model has no encoder (model.encoder '"
              + registry.nameOf(spec.model().encoder()) + "' fits a posterior per item by optimization), so"
              + " its rows cannot be scored one batch at a time; use a run with an encoder (gaussian-mlp)");
        }
        kind = model.model().decoder().dataKind();
        chosen = spec.evaluation().protocol() != null ? spec.evaluation().protocol()
            : Protocol.choose(kind, raw);
        latent = model.model().latentDimension();
        // Whether the family's posterior is a diagonal Gaussian shows in one encoding (log-variance columns).
        model.load(run.file(RunDirectory.PARAMETERS));
        gaussian = io.vi4j.core.uses.Representations.encode(model, raw.test().head(1)).logVariances() != null;
      }
    }
    io.vi4j.api.data.Dataset train = experiment.prepare(raw, kind).splits().train();
    int d = train.columns();
    double[] sums = new double[d];
    float[] values = train.values();
    for (int i = 0; i < values.length; i++) {
      sums[i % d] += values[i];
    }
    float[] means = new float[d];
    for (int j = 0; j < d; j++) {
      means[j] = (float) (sums[j] / train.rows());
    }
    return new ShippedRun(runPath, name, ship, shape, chosen.configName(), spec.seed(), spec.baseline() != null,
        means, latent, gaussian);
  }

  /** @return the directory on this machine: Spark's copy, or the path itself in local mode. */
  Path localDirectory() {
    if (shipped) {
      return Path.of(SparkFiles.get(name));
    }
    return Path.of(new org.apache.hadoop.fs.Path(path).toUri().getPath());
  }

  /** @return the run's path as given: the key of the executor's model cache. */
  public String path() {
    return path;
  }

  /** @return the shape of one item, {@code [D]} or {@code [C, H, W]}. */
  public int[] itemShape() {
    return itemShape.clone();
  }

  /** @return {@code D}, the values per row. */
  public int columns() {
    int d = 1;
    for (int s : itemShape) {
      d *= s;
    }
    return d;
  }

  /** @return the evaluation protocol the run's data were prepared for. */
  public Protocol protocol() {
    return Protocol.parse(protocol);
  }

  /** @return the run's master seed: with a row's id, it seeds that row's noise. */
  public long seed() {
    return seed;
  }

  /** @return the per-value means of the run's training data (prepared): where imputation chains start. */
  float[] trainMeans() {
    return trainMeans;
  }

  /** @return {@code L}, the latent dimension (0 for a baseline without latent variables). */
  public int latentDimension() {
    return latentDimension;
  }

  /** @return whether an embedding has log-variances (a diagonal Gaussian family). */
  public boolean logVariances() {
    return logVariances;
  }

  /** @return whether the run fitted a baseline (refitted on each executor from its config and data). */
  public boolean baseline() {
    return baseline;
  }
}
