package io.vi4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.api.data.Dataset;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.uses.OutlierScores;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scores a tiny trained VAE in Spark's local mode: the same scores whatever the partitioning and the
 * number of cores, equal to the single-process scoring of {@code vi4j score}, and bad rows reported.
 */
class ScoreOnSparkTest {
  @TempDir static Path dir;
  static Path vae;
  static Dataset test;

  @BeforeAll
  static void trainTinyVae() throws Exception {
    vae = TinyRuns.train(dir, "vae", TinyRuns.VAE);
    test = TinyRuns.testSplit(dir, vae, false);
  }

  @AfterAll
  static void stopSpark() {
    SparkSession.active().stop();
    ExecutorModels.clear();
  }

  /** @return id → the scores of each row, scored with {@code cores} cores over {@code partitions} partitions. */
  private static Map<Long, double[]> scoreOnSpark(int cores, int partitions, int batch) throws Exception {
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
    SparkSession spark = TinyRuns.spark(cores);
    Vi4jSpark model = Vi4jSpark.open(spark, vae.toString());
    var input = spark.createDataFrame(TinyRuns.rows(test), TinyRuns.SCHEMA)
        .repartition(partitions, functions.rand(partitions));
    assertThat(input.rdd().getNumPartitions()).isEqualTo(partitions);
    List<Row> rows = model.score(input, JobOptions.defaults().withFeatures("features").withK(20).withBatchSize(batch))
        .collectAsList();
    Map<Long, double[]> byId = new HashMap<>();
    for (Row row : rows) {
      assertThat(row.getString(row.fieldIndex(Columns.STATUS))).isEqualTo(Columns.OK);
      byId.put(row.getLong(0), new double[] {row.getDouble(row.fieldIndex(Columns.KL)),
          row.getDouble(row.fieldIndex(Columns.NEG_ELBO)), row.getDouble(row.fieldIndex(Columns.NEG_LOG_PX))});
    }
    assertThat(byId).hasSize(test.rows());
    return byId;
  }

  @Test
  void scoresDoNotDependOnPartitioningAndEqualTheSingleProcessScores() throws Exception {
    Map<Long, double[]> one = scoreOnSpark(1, 1, 7);
    Map<Long, double[]> two = scoreOnSpark(2, 5, 16);
    double[] largest = new double[3];
    for (long id = 0; id < test.rows(); id++) {
      for (int c = 0; c < 3; c++) {
        largest[c] = Math.max(largest[c], Math.abs(two.get(id)[c] - one.get(id)[c]));
      }
    }
    assertThat(largest).as("largest difference of kl, neg_elbo, neg_log_px between local[2] over 5 partitions"
        + " in batches of 16 and local[1] over 1 in batches of 7").containsExactly(0, 0, 0);
    // vi4j score's own computation: the run's model, item i's noise seeded from (the run's seed, i).
    PluginRegistry registry = PluginRegistry.load();
    var spec = new ConfigLoader(registry).load(vae.resolve(RunDirectory.CONFIG), List.of());
    var experiment = new Experiment(spec, registry, dir);
    try (var model = experiment.buildModel(test)) {
      model.load(vae.resolve(RunDirectory.PARAMETERS));
      Map<String, double[]> single = OutlierScores.score(model, test, 20, 10, spec.seed());
      for (int i = 0; i < test.rows(); i++) {
        double[] spark = one.get((long) i);
        assertThat(spark[0]).as("kl of row %d", i).isEqualTo(single.get("kl")[i]);
        assertThat(spark[1]).as("neg_elbo of row %d", i).isEqualTo(single.get("neg_elbo")[i]);
        assertThat(spark[2]).as("neg_log_px of row %d", i).isEqualTo(single.get("neg_log_likelihood")[i]);
      }
      // Another seed gives other noise: the comparison above is not equal by accident.
      Map<String, double[]> other = OutlierScores.score(model, test, 20, 10, spec.seed() + 1);
      assertThat(other.get("neg_log_likelihood")[0]).isNotEqualTo(single.get("neg_log_likelihood")[0]);
    }
  }
}
