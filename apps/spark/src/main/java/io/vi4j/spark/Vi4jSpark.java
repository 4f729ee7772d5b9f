package io.vi4j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A trained vi4j run applied to Spark data: each method returns the input's columns but its features
 * (the id and anything else kept), then the job's columns (see {@link Columns}) and a {@code status}
 * column, computed lazily in {@code mapPartitions}.
 *
 * <pre>{@code
 * Vi4jSpark vae = Vi4jSpark.open(spark, "runs/vae-fashion-mnist");
 * Dataset<Row> scored = vae.score(spark.read().parquet("images.parquet"), JobOptions.defaults().withK(100));
 * scored.write().parquet("scores.parquet");
 * }</pre>
 *
 * <p>Each executor JVM loads the model once ({@link ExecutorModels}) and shares it between its tasks; a
 * row's noise is seeded from (the run's seed, the row's id), so its results are the same whichever
 * partition and batch it lands in, and equal to {@code vi4j score}'s for the item with the same index.
 */
public final class Vi4jSpark {
  private final ShippedRun run;

  private Vi4jSpark(ShippedRun run) {
    this.run = run;
  }

  /**
   * Opens a finished run on the driver (see {@link ShippedRun#open}).
   *
   * @param runPath a local directory or a Hadoop file system URI
   */
  public static Vi4jSpark open(SparkSession spark, String runPath) throws IOException {
    return new Vi4jSpark(ShippedRun.open(spark, runPath));
  }

  /** @return what the driver learnt about the run. */
  public ShippedRun run() {
    return run;
  }

  /** Adds {@code kl}, {@code neg_elbo} and {@code neg_log_px} (a baseline: {@code neg_log_px}), and {@code status}. */
  public Dataset<Row> score(Dataset<Row> input, JobOptions options) {
    return apply(Job.SCORE, input, options);
  }

  /** Adds the posterior means (and log-variances) as numbered or array columns, and {@code status}. */
  public Dataset<Row> embed(Dataset<Row> input, JobOptions options) {
    return apply(Job.EMBED, input, options);
  }

  /** Adds {@code imputed}: the features with their missing values filled, and {@code status}. */
  public Dataset<Row> impute(Dataset<Row> input, JobOptions options) {
    return apply(Job.IMPUTE, input, options);
  }

  /**
   * Adds the columns of {@code job}.
   *
   * @throws IllegalArgumentException naming the column at fault: no id column, features of the wrong kind,
   *     or a width other than the model's
   */
  public Dataset<Row> apply(Job job, Dataset<Row> input, JobOptions options) {
    StructType schema = input.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    int idIndex = column(schema, options.idColumn(), "id");
    DataType idType = schema.fields()[idIndex].dataType();
    if (!(idType.equals(DataTypes.LongType) || idType.equals(DataTypes.IntegerType)
        || idType.equals(DataTypes.ShortType))) {
      throw new IllegalArgumentException("the id column '" + options.idColumn() + "' holds " + idType.simpleString()
          + "; row ids must be integers (they seed each row's noise)");
    }
    int maskIndex = -1;
    if (options.maskColumn() != null) {
      if (job != Job.IMPUTE) {
        throw new IllegalArgumentException("a mask column (" + options.maskColumn() + ") is for impute, not " + job.label());
      }
      maskIndex = column(schema, options.maskColumn(), "mask");
    }
    int featuresIndex = -1;
    int[] featureColumns = null;
    int d = run.columns();
    if (options.featuresColumn() != null) {
      featuresIndex = column(schema, options.featuresColumn(), "features");
      DataType type = schema.fields()[featuresIndex].dataType();
      if (!(type instanceof ArrayType array && array.elementType() instanceof NumericType)) {
        throw new IllegalArgumentException("the features column '" + options.featuresColumn() + "' holds "
            + type.simpleString() + "; it must be an array of numbers");
      }
    } else {
      List<Integer> numeric = new ArrayList<>();
      for (int i = 0; i < schema.fields().length; i++) {
        StructField field = schema.fields()[i];
        if (i != idIndex && i != maskIndex && field.dataType() instanceof NumericType) {
          numeric.add(i);
        }
      }
      if (numeric.size() != d) {
        throw new IllegalArgumentException("the input has " + numeric.size() + " numeric columns besides the id '"
            + options.idColumn() + "'; the model reads " + d + " values per row (give an array column with --features,"
            + " or exactly " + d + " numeric columns)");
      }
      featureColumns = numeric.stream().mapToInt(Integer::intValue).toArray();
    }
    Dataset<Row> source = input;
    int fileIndex = -1;
    if (options.strict()) {
      source = input.withColumn(Columns.SOURCE_FILE, functions.input_file_name());
      fileIndex = names.size();
    }
    // The output keeps every input column but the features (the job's columns replace them).
    List<StructField> fields = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    java.util.Set<Integer> features = new java.util.HashSet<>();
    features.add(featuresIndex);
    if (featureColumns != null) {
      Arrays.stream(featureColumns).forEach(features::add);
    }
    for (int i = 0; i < schema.fields().length; i++) {
      if (!features.contains(i)) {
        fields.add(schema.fields()[i]);
        kept.add(i);
      }
    }
    for (StructField added : OutputSchema.added(job, run, options)) {
      if (fields.stream().anyMatch(f -> f.name().equals(added.name()))) {
        throw new IllegalArgumentException("the input already has a column '" + added.name() + "', which "
            + job.label() + " adds; rename it first");
      }
      fields.add(added);
    }
    StructType output = DataTypes.createStructType(fields);
    return source.mapPartitions(new PartitionJob(run, job, options, idIndex, featuresIndex, featureColumns,
        maskIndex, fileIndex, kept.stream().mapToInt(Integer::intValue).toArray()), Encoders.row(output));
  }

  private static int column(StructType schema, String name, String role) {
    List<String> names = Arrays.asList(schema.fieldNames());
    int index = names.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("no " + role + " column '" + name + "' in the input (its columns: "
          + String.join(", ", names.size() > 8 ? names.subList(0, 8) : names) + (names.size() > 8 ? ", …" : "") + ")");
    }
    return index;
  }
}
