package io.vi4j.spark;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small runs trained in a test (seconds), as {@code vi4j train} writes them, and their data as Spark rows. */
final class TinyRuns {
  private TinyRuns() {}

  /** A VAE on 400 generated sprites: 784-32-3, Bernoulli decoder, 2 epochs. */
  static final String VAE = """
      name: tiny-vae
      seed: 7
      data: {type: sprites, train_size: 400, test_size: 60}
      model:
        latent_dim: 3
        prior: {type: standard-normal}
        encoder: {type: gaussian-mlp, hidden: [32], activation: relu}
        decoder: {type: bernoulli-mlp, hidden: [32], activation: relu}
      estimator: {type: reparameterization, samples: 1}
      training: {epochs: 2, batch_size: 50, learning_rate: 1.0e-3}
      evaluation: {iwae_k: 10, iwae_items: 20}
      """;

  /** PPCA with 3 factors on the same sprites. */
  static final String PPCA = """
      name: tiny-ppca
      seed: 7
      data: {type: sprites, train_size: 400, test_size: 60}
      baseline: {type: ppca, latent_dim: 3}
      """;

  /** Trains (or fits) {@code yaml} into {@code dir/name} and returns the run directory. */
  static Path train(Path dir, String name, String yaml) throws Exception {
    PluginRegistry registry = PluginRegistry.load();
    ConfigLoader loader = new ConfigLoader(registry);
    Path config = dir.resolve(name + ".yaml");
    Files.writeString(config, yaml);
    ExperimentSpec spec = loader.load(config, List.of());
    Path runPath = dir.resolve(name);
    try (RunDirectory run = RunDirectory.create(runPath)) {
      new Experiment(spec, registry, dir).run(run, loader, new io.vi4j.core.train.TrainingListener() {});
    }
    return runPath;
  }

  /** @return the run's test split as its model sees it (the protocol applied) */
  static Dataset testSplit(Path dir, Path runPath, boolean continuous) throws Exception {
    PluginRegistry registry = PluginRegistry.load();
    ExperimentSpec spec = new ConfigLoader(registry).load(runPath.resolve(RunDirectory.CONFIG), List.of());
    Experiment experiment = new Experiment(spec, registry, dir);
    DataSplits raw = experiment.loadData();
    return raw.test();
  }

  /** The schema of {@link #rows}: {@code id} (long), {@code features} (array of float), {@code label} (int). */
  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("id", DataTypes.LongType, true),
      DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, true), true),
      DataTypes.createStructField("label", DataTypes.IntegerType, true)));

  /** @return one row per item: its index as id, its values, its label */
  static List<Row> rows(Dataset data) {
    int d = data.columns();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < data.rows(); i++) {
      Float[] item = new Float[d];
      for (int j = 0; j < d; j++) {
        item[j] = data.values()[i * d + j];
      }
      rows.add(RowFactory.create((long) i, item, data.hasLabels() ? data.labels()[i] : -1));
    }
    return rows;
  }

  /** A local Spark session with {@code cores} cores and no UI. */
  static SparkSession spark(int cores) {
    return SparkSession.builder()
        .master("local[" + cores + "]")
        .appName("vi4j-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }
}
