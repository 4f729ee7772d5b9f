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
 * rows joined and the largest absolute difference of each score.
 *   java -cp <the Spark module's class path> <add-opens flags> apps/bench/java/SparkBenchCompare.java SPARK.parquet scores.csv
 */
public final class SparkBenchCompare {
  private SparkBenchCompare() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("compare")
        .config("spark.ui.enabled", "false").getOrCreate();
    Dataset<Row> distributed = spark.read().parquet(args[0]);
    Dataset<Row> single = spark.read().option("header", "true").option("inferSchema", "true").csv(args[1]);
    Dataset<Row> joined = distributed.join(single, distributed.col("id").equalTo(single.col("item")));
    Row r = joined.agg(count(lit(1)),
        max(abs(distributed.col("kl").minus(single.col("kl")))),
        max(abs(distributed.col("neg_elbo").minus(single.col("neg_elbo")))),
        max(abs(distributed.col("neg_log_px").minus(single.col("neg_log_likelihood"))))).first();
    System.out.println("rows joined: " + r.get(0) + "; largest |difference|: kl " + r.get(1) + ", neg_elbo " + r.get(2)
        + ", neg_log_px " + r.get(3));
    spark.stop();
  }
}
