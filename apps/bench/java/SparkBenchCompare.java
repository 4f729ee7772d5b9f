import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares the Spark benchmark's scores (Parquet: id, kl, neg_elbo, neg_log_px) with vi4j score's
 * (scores.csv: item, ..., kl, neg_elbo, neg_log_likelihood) row by row, joined on id = item: prints the
 * rows joined and the largest absolute difference of each score. The second file may also be another
 * Spark job's Parquet.
 *   java -cp <the Spark module's class path> <add-opens flags> apps/bench/java/SparkBenchCompare.java SPARK.parquet scores.csv
 */
public final class SparkBenchCompare {
  private SparkBenchCompare() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("compare")
        .config("spark.ui.enabled", "false").getOrCreate();
    Dataset<Row> distributed = spark.read().parquet(args[0]);
    // The other side: vi4j score's scores.csv, or another Spark job's Parquet (its columns renamed alike).
    Dataset<Row> single = args[1].endsWith(".parquet")
        ? spark.read().parquet(args[1]).withColumnRenamed("id", "item")
            .withColumnRenamed("neg_log_px", "neg_log_likelihood")
        : spark.read().option("header", "true").option("inferSchema", "true").csv(args[1]);
    Dataset<Row> joined = distributed.join(single, distributed.col("id").equalTo(single.col("item")));
    Row differing = joined.agg(
        org.apache.spark.sql.functions.sum(distributed.col("kl").notEqual(single.col("kl")).cast("int")),
        org.apache.spark.sql.functions.sum(distributed.col("neg_elbo").notEqual(single.col("neg_elbo")).cast("int")),
        org.apache.spark.sql.functions.sum(
            distributed.col("neg_log_px").notEqual(single.col("neg_log_likelihood")).cast("int"))).first();
    System.out.println("rows that differ at all: kl " + differing.get(0) + ", neg_elbo " + differing.get(1)
        + ", neg_log_px " + differing.get(2));
    Row r = joined.agg(count(lit(1)),
        max(abs(distributed.col("kl").minus(single.col("kl")))),
        max(abs(distributed.col("neg_elbo").minus(single.col("neg_elbo")))),
        max(abs(distributed.col("neg_log_px").minus(single.col("neg_log_likelihood"))))).first();
    System.out.println("rows joined: " + r.get(0) + "; largest |difference|: kl " + r.get(1) + ", neg_elbo " + r.get(2)
        + ", neg_log_px " + r.get(3));
    spark.stop();
  }
}
