package io.vi4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.Dataset;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.uses.Representations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad rows, strict mode, files in and out (CSV, Parquet, the command line), embeddings, imputation and a
 * baseline run, on one local[2] session.
 */
class RowsAndFilesOnSparkTest {
  @TempDir static Path dir;
  static Path vae;
  static Path ppca;
  static Dataset test;
  static SparkSession spark;

  @BeforeAll
  static void trainTinyRuns() throws Exception {
    vae = TinyRuns.train(dir, "vae", TinyRuns.VAE);
    ppca = TinyRuns.train(dir, "ppca", TinyRuns.PPCA);
    test = TinyRuns.testSplit(dir, vae, false);
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
    spark = TinyRuns.spark(2);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
    ExecutorModels.clear();
  }

  private static JobOptions options() {
    return JobOptions.defaults().withFeatures("features").withK(10).withBatchSize(8);
  }

  private static org.apache.spark.sql.Dataset<Row> input(List<Row> rows, int partitions) {
    return spark.createDataFrame(rows, TinyRuns.SCHEMA).repartition(partitions, functions.col("id"));
  }

  @Test
  void aBadRowGetsAStatusAndLeavesTheOtherRowsOfItsBatchAsTheyWere() throws Exception {
    Vi4jSpark model = Vi4jSpark.open(spark, vae.toString());
    List<Row> clean = TinyRuns.rows(test).subList(0, 20);
    List<Row> dirty = new ArrayList<>(clean);
    Float[] narrow = new Float[783];
    java.util.Arrays.fill(narrow, 0f);
    Float[] nan = (Float[]) clean.get(0).get(1);
    nan = nan.clone();
    nan[5] = Float.NaN;
    Float[] tooLarge = ((Float[]) clean.get(0).get(1)).clone();
    tooLarge[7] = 2f;
    Float[] withNull = ((Float[]) clean.get(0).get(1)).clone();
    withNull[9] = null;
    dirty.add(RowFactory.create(100L, narrow, 0));
    dirty.add(RowFactory.create(101L, nan, 0));
    dirty.add(RowFactory.create(102L, tooLarge, 0));
    dirty.add(RowFactory.create(103L, withNull, 0));
    dirty.add(RowFactory.create(null, clean.get(0).get(1), 0));
    Map<Long, Row> scored = byId(model.score(input(dirty, 1), options()).collectAsList());
    Map<Long, Row> reference = byId(model.score(input(clean, 3), options()).collectAsList());
    assertThat(scored.get(100L).getString(scored.get(100L).fieldIndex(Columns.STATUS)))
        .isEqualTo("wrong width: 783 values, the model reads 784");
    assertThat(scored.get(101L).getString(scored.get(101L).fieldIndex(Columns.STATUS))).isEqualTo("position 5 is NaN");
    assertThat(scored.get(102L).getString(scored.get(102L).fieldIndex(Columns.STATUS)))
        .startsWith("position 7 has value 2.0; the model accepts [0, 1]");
    assertThat(scored.get(103L).getString(scored.get(103L).fieldIndex(Columns.STATUS))).isEqualTo("position 9 is null");
    assertThat(scored.get(null).getString(scored.get(null).fieldIndex(Columns.STATUS))).isEqualTo("the id (id) is null");
    for (long bad : new long[] {100, 101, 102, 103}) {
      assertThat(scored.get(bad).isNullAt(scored.get(bad).fieldIndex(Columns.NEG_LOG_PX))).isTrue();
    }
    for (long id = 0; id < 20; id++) {
      Row a = scored.get(id);
      Row b = reference.get(id);
      assertThat(a.getString(a.fieldIndex(Columns.STATUS))).isEqualTo(Columns.OK);
      assertThat(a.getDouble(a.fieldIndex(Columns.NEG_LOG_PX))).isEqualTo(b.getDouble(b.fieldIndex(Columns.NEG_LOG_PX)));
      assertThat(a.getInt(a.fieldIndex("label"))).as("input columns are kept").isEqualTo(test.labels()[(int) id]);
    }
  }

  @Test
  void strictModeFailsNamingTheFileAndTheRow() throws Exception {
    Path csv = dir.resolve("bad-rows.csv");
    StringBuilder text = new StringBuilder("id");
    for (int j = 0; j < 784; j++) {
      text.append(",x").append(j);
    }
    text.append('\n');
    for (int i = 0; i < 6; i++) {
      text.append(i);
      for (int j = 0; j < 784; j++) {
        text.append(',').append(i == 4 && j == 3 ? "NaN" : Float.toString(test.values()[i * 784 + j]));
      }
      text.append('\n');
    }
    Files.writeString(csv, text);
    Vi4jSpark model = Vi4jSpark.open(spark, vae.toString());
    var rows = Inputs.read(spark, csv.toString(), "csv", "id");
    JobOptions numbered = JobOptions.defaults().withK(10);
    List<Row> lenient = model.score(rows, numbered).collectAsList();
    assertThat(lenient).hasSize(6);
    assertThat(byId(lenient).get(4L).getString(byId(lenient).get(4L).fieldIndex(Columns.STATUS)))
        .isEqualTo("position 3 is NaN");
    assertThatThrownBy(() -> model.score(rows, numbered.withStrict(true)).collectAsList())
        .satisfies(e -> assertThat(SparkMain.message(e))
            .contains("bad-rows.csv").contains("row id=4").contains("position 3 is NaN"));
  }

  @Test
  void theCommandLineReadsParquetAndWritesParquetWithTheSameScores() throws Exception {
    Path in = dir.resolve("in.parquet");
    input(TinyRuns.rows(test), 2).write().parquet(in.toString());
    Path out = dir.resolve("out.parquet");
    int status = SparkMain.run("score", vae.toString(), "--input", in.toString(), "--output", out.toString(),
        "--features", "features", "--k", "10", "--batch-size", "8", "--master", "local[2]");
    assertThat(status).isZero();
    // the command line stopped its session; this test's session is the one it found (getOrCreate)
    spark = TinyRuns.spark(2);
    Map<Long, Row> written = byId(spark.read().parquet(out.toString()).collectAsList());
    Map<Long, Row> direct = byId(Vi4jSpark.open(spark, vae.toString())
        .score(input(TinyRuns.rows(test), 1), options()).collectAsList());
    assertThat(written).hasSize(test.rows());
    for (long id = 0; id < test.rows(); id++) {
      assertThat(written.get(id).getDouble(written.get(id).fieldIndex(Columns.KL)))
          .isEqualTo(direct.get(id).getDouble(direct.get(id).fieldIndex(Columns.KL)));
      assertThat(written.get(id).getDouble(written.get(id).fieldIndex(Columns.NEG_LOG_PX)))
          .isEqualTo(direct.get(id).getDouble(direct.get(id).fieldIndex(Columns.NEG_LOG_PX)));
    }
    assertThat(SparkMain.run("score", vae.toString(), "--input", in.toString(), "--output", out.toString(),
        "--features", "features", "--master", "local[1]")).as("an existing output is not overwritten").isEqualTo(2);
    spark = TinyRuns.spark(2);
    assertThat(SparkMain.run("score", vae.toString(), "--input", in.toString(), "--output", dir.resolve("x").toString(),
        "--features", "nope", "--master", "local[1]")).isEqualTo(2);
    spark = TinyRuns.spark(2);
  }

  @Test
  void anIdxFileIsReadAsRowsWithTheirIndexAsId() throws Exception {
    Path idx = dir.resolve("images-idx3-ubyte");
    try (var out = new java.io.DataOutputStream(Files.newOutputStream(idx))) {
      out.writeInt(0x00000803);
      out.writeInt(5);
      out.writeInt(28);
      out.writeInt(28);
      for (int i = 0; i < 5 * 784; i++) {
        out.writeByte(Math.round(test.values()[i] * 255));
      }
    }
    var rows = Inputs.read(spark, idx.toString(), Inputs.guessFormat(idx.toString()), "id");
    Map<Long, Row> scored = byId(Vi4jSpark.open(spark, vae.toString()).score(rows, options()).collectAsList());
    assertThat(scored.keySet()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
    assertThat(scored.values()).allSatisfy(r -> assertThat(r.getString(r.fieldIndex(Columns.STATUS))).isEqualTo(Columns.OK));
    assertThat(scored.get(0L).schema().fieldNames()).containsExactly("id", Columns.KL, Columns.NEG_ELBO,
        Columns.NEG_LOG_PX, Columns.STATUS);
  }

  @Test
  void embeddingsAreTheEncoderMeansAndLogVariances() throws Exception {
    Vi4jSpark model = Vi4jSpark.open(spark, vae.toString());
    Map<Long, Row> rows = byId(model.embed(input(TinyRuns.rows(test), 3), options()).collectAsList());
    PluginRegistry registry = PluginRegistry.load();
    var spec = new ConfigLoader(registry).load(vae.resolve(RunDirectory.CONFIG), List.of());
    try (var restored = new Experiment(spec, registry, dir).buildModel(test)) {
      restored.load(vae.resolve(RunDirectory.PARAMETERS));
      Representations.Encoding single = Representations.means(restored, test);
      int l = single.latentDimension();
      assertThat(l).isEqualTo(3);
      for (int i = 0; i < test.rows(); i++) {
        Row row = rows.get((long) i);
        for (int j = 0; j < l; j++) {
          assertThat(row.getFloat(row.fieldIndex("mean_" + j))).isCloseTo(single.means()[i * l + j],
              org.assertj.core.api.Assertions.within(1e-5f));
          assertThat(row.getFloat(row.fieldIndex("log_variance_" + j))).isCloseTo(single.logVariances()[i * l + j],
              org.assertj.core.api.Assertions.within(1e-5f));
        }
      }
    }
    List<Row> arrays = model.embed(input(TinyRuns.rows(test).subList(0, 3), 1), options().withArrays(true)).collectAsList();
    assertThat(arrays.get(0).getList(arrays.get(0).fieldIndex(Columns.MEAN))).hasSize(3);
  }

  @Test
  void imputationFillsOnlyTheMissingValuesTheSameWayOnEveryPartitioning() throws Exception {
    Vi4jSpark model = Vi4jSpark.open(spark, vae.toString());
    List<Row> masked = new ArrayList<>();
    for (Row row : TinyRuns.rows(test).subList(0, 12)) {
      Float[] values = ((Float[]) row.get(1)).clone();
      for (int j = 392; j < 784; j++) {
        values[j] = null; // the bottom half is missing
      }
      masked.add(RowFactory.create(row.get(0), values, row.get(2)));
    }
    JobOptions impute = options().withImputation(Columns.METROPOLIS_WITHIN_GIBBS, 20);
    Map<Long, Row> one = byId(model.impute(input(masked, 1), impute).collectAsList());
    Map<Long, Row> three = byId(model.impute(input(masked, 3), impute.withBatchSize(5)).collectAsList());
    for (long id = 0; id < 12; id++) {
      List<Float> a = one.get(id).getList(one.get(id).fieldIndex(Columns.IMPUTED));
      List<Float> b = three.get(id).getList(three.get(id).fieldIndex(Columns.IMPUTED));
      assertThat(a).hasSize(784);
      for (int j = 0; j < 392; j++) {
        assertThat(a.get(j)).as("observed value %d of row %d", j, id).isEqualTo(test.values()[(int) id * 784 + j]);
      }
      for (int j = 392; j < 784; j++) {
        assertThat(a.get(j)).isBetween(0f, 1f);
        assertThat(b.get(j)).as("row %d, value %d over 3 partitions against 1", id, j).isCloseTo(a.get(j),
            org.assertj.core.api.Assertions.within(1e-5f));
      }
    }
  }

  @Test
  void aBaselineRunScoresAndEmbedsTheSameWayWhateverThePartitioning() throws Exception {
    Vi4jSpark model = Vi4jSpark.open(spark, ppca.toString());
    assertThat(model.run().baseline()).isTrue();
    Map<Long, Row> one = byId(model.score(input(TinyRuns.rows(test), 1), options()).collectAsList());
    Map<Long, Row> four = byId(model.score(input(TinyRuns.rows(test), 4), options().withBatchSize(3)).collectAsList());
    assertThat(one.get(0L).schema().fieldNames()).doesNotContain(Columns.KL).contains(Columns.NEG_LOG_PX);
    for (long id = 0; id < test.rows(); id++) {
      double a = one.get(id).getDouble(one.get(id).fieldIndex(Columns.NEG_LOG_PX));
      assertThat(Double.isFinite(a)).isTrue();
      assertThat(four.get(id).getDouble(four.get(id).fieldIndex(Columns.NEG_LOG_PX)))
          .isCloseTo(a, org.assertj.core.api.Assertions.within(1e-6 * (1 + Math.abs(a))));
    }
    List<Row> embedded = model.embed(input(TinyRuns.rows(test).subList(0, 4), 2), options()).collectAsList();
    assertThat(embedded.get(0).schema().fieldNames()).contains("mean_0", "mean_2").doesNotContain("log_variance_0");
  }

  private static Map<Long, Row> byId(List<Row> rows) {
    Map<Long, Row> map = new HashMap<>();
    for (Row row : rows) {
      map.put(row.isNullAt(0) ? null : ((Number) row.get(0)).longValue(), row);
    }
    return map;
  }
}
