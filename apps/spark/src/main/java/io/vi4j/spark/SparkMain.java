package io.vi4j.spark;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The Spark jobs' command line: {@code spark-submit --class io.vi4j.spark.SparkMain vi4j-spark.jar score
 * RUN_DIR --input … --output …}, or {@code ./vi4j spark score …} in local mode. Reads Parquet, CSV or IDX,
 * adds the job's columns and writes Parquet through Spark's writer (its output commit protocol: a retried
 * task never leaves a partial file behind, and nothing is written when the job fails).
 */
@Command(name = "vi4j spark", mixinStandardHelpOptions = true, version = "vi4j spark 0.1.0",
    description = {"Score, embed or impute every row of Parquet, CSV or IDX data with a trained vi4j run on Apache"
        + " Spark (local mode unless spark-submit or --master says otherwise); writes Parquet."})
public final class SparkMain implements Callable<Integer> {
  /** Exit status of bad input (a bad row in strict mode, a missing column, a run that is not finished). */
  public static final int BAD_INPUT = 2;

  @Parameters(index = "0", paramLabel = "JOB", description = "score, embed or impute")
  String job;

  @Parameters(index = "1", paramLabel = "RUN_DIR", description = "a finished run: a local directory or a Hadoop path")
  String run;

  @Option(names = "--input", required = true, description = "Parquet or CSV files or folder (any Hadoop path), or an IDX image file")
  String input;

  @Option(names = "--format", description = "parquet, csv or idx (default: from the input's name)")
  String format;

  @Option(names = "--output", required = true, description = "the Parquet folder to write (must not exist)")
  String output;

  @Option(names = "--id", defaultValue = "id", description = "the row id column (default: ${DEFAULT-VALUE}); IDX rows get 0 … N-1")
  String id;

  @Option(names = "--features", description = "an array column of each row's values (default: every numeric column but the id; IDX: features)")
  String features;

  @Option(names = "--mask", description = "impute: an array column of booleans, true where a value is missing (default: null or NaN values)")
  String mask;

  @Option(names = "--batch-size", defaultValue = "256", description = "rows scored at once (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--k", defaultValue = "100", description = "importance samples for neg_log_px (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--method", defaultValue = Columns.METROPOLIS_WITHIN_GIBBS,
      description = "impute: metropolis-within-gibbs, pseudo-gibbs or mean (a VAE), conditional-mean or mean (PPCA, GMM)"
          + " (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--iterations", defaultValue = "100", description = "impute: sampler iterations (default: ${DEFAULT-VALUE})")
  int iterations;

  @Option(names = "--arrays", description = "embed: two array columns (mean, log_variance) instead of numbered ones")
  boolean arrays;

  @Option(names = "--strict", description = "fail at the first bad row, naming its file and id (default: a status column)")
  boolean strict;

  @Option(names = "--master", description = "Spark master when not run by spark-submit (default: local[*])")
  String master;

  @Option(names = "--partitions", description = "repartition the input into this many partitions first")
  Integer partitions;

  @Override
  public Integer call() throws Exception {
    Job chosen = Job.parse(job);
    JobOptions options = JobOptions.defaults().withId(id).withFeatures(features).withMask(mask)
        .withBatchSize(batchSize).withK(k).withImputation(method, iterations).withArrays(arrays).withStrict(strict);
    String inputFormat = format == null ? Inputs.guessFormat(input) : format.toLowerCase(Locale.ROOT);
    if (inputFormat.equals("idx") && features == null) {
      options = options.withFeatures("features");
    }
    SparkSession.Builder builder = SparkSession.builder().appName("vi4j " + chosen.label());
    if (System.getProperty("spark.master") == null) {
      builder = builder.master(master == null ? "local[*]" : master).config("spark.ui.enabled", "false");
    }
    SparkSession spark = builder.getOrCreate();
    if (!spark.conf().contains("spark.sql.files.minPartitionNum")) {
      // Files split into at least 4 partitions per core: Spark's default (one per core, then 128 MB splits)
      // left a 600 MB input in 7 partitions on 2 cores, whose last wave ran on one core.
      spark.conf().set("spark.sql.files.minPartitionNum",
          Integer.toString(4 * spark.sparkContext().defaultParallelism()));
    }
    try {
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(output);
      if (target.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(target)) {
        throw new IllegalArgumentException(output + " already exists; choose another --output (a job never"
            + " overwrites)");
      }
      long start = System.nanoTime();
      Vi4jSpark model = Vi4jSpark.open(spark, run);
      Dataset<Row> rows = Inputs.read(spark, input, inputFormat, id);
      if (partitions != null) {
        rows = rows.repartition(partitions);
      }
      model.apply(chosen, rows, options).write().mode(SaveMode.ErrorIfExists).parquet(output);
      double seconds = (System.nanoTime() - start) / 1e9;
      Dataset<Row> written = spark.read().parquet(output);
      long total = written.count();
      long bad = written.filter(functions.col(Columns.STATUS).notEqual(Columns.OK)).count();
      System.out.printf(Locale.ROOT, "%s: %d rows (%d bad) in %.1f s, %.0f rows/s; written: %s%n", chosen.label(), total,
          bad, seconds, total / seconds, output);
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** @return the innermost cause's message, on one line: what a bad row or input says about itself */
  static String message(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      if (cause instanceof BadRowException) {
        break;
      }
      cause = cause.getCause();
    }
    String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return text.replaceAll("\\s+", " ").trim();
  }

  /** @return the exit status of a command line */
  public static int run(String... args) {
    CommandLine line = new CommandLine(new SparkMain());
    line.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      System.err.println("vi4j spark: error: " + message(e));
      // Bad input is what the user can fix: a run, a file, a column, a row (Spark's AnalysisException names
      // a column or path); anything else is vi4j's fault.
      return e instanceof RuntimeException || e instanceof java.io.IOException
          || e instanceof org.apache.spark.sql.AnalysisException ? BAD_INPUT : 1;
    });
    return line.execute(args);
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }
}
