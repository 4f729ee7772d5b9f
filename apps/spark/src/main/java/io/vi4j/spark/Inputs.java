package io.vi4j.spark;

import io.vi4j.api.data.Dataset;
import io.vi4j.core.data.IdxReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Reads a job's input: Parquet or CSV files through Spark's readers, or an IDX file of images. */
public final class Inputs {
  private Inputs() {}

  /**
   * @param path a file or folder (Parquet, CSV: any Hadoop file system path; IDX: a local file)
   * @param format {@code parquet}, {@code csv} (a header row; column types inferred) or {@code idx}
   *     (values scaled to [0, 1] for unsigned bytes, as vi4j's IDX source reads them; rows get ids
   *     {@code 0 … N−1} in the column {@code idColumn} and their values in the array column {@code features})
   */
  public static org.apache.spark.sql.Dataset<Row> read(SparkSession spark, String path, String format,
      String idColumn) throws IOException {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "parquet" -> spark.read().parquet(path);
      case "csv" -> spark.read().option("header", "true").option("inferSchema", "true").csv(path);
      case "idx" -> idx(spark, Path.of(path), idColumn);
      default -> throw new IllegalArgumentException("--format must be parquet, csv or idx, got '" + format + "'");
    };
  }

  /** @return the format a path's name suggests: {@code idx} for {@code -ubyte} files, {@code csv}, else {@code parquet} */
  public static String guessFormat(String path) {
    String name = path.toLowerCase(Locale.ROOT);
    if (name.contains("-ubyte") || name.endsWith(".idx") || name.endsWith(".idx.gz")) {
      return "idx";
    }
    return name.endsWith(".csv") || name.endsWith(".csv.gz") ? "csv" : "parquet";
  }

  /**
   * Reads an IDX image file on the driver into rows {@code (id, features)}, in slices of 10,000 rows.
   *
   * @param idColumn the name of the id column
   */
  public static org.apache.spark.sql.Dataset<Row> idx(SparkSession spark, Path file, String idColumn)
      throws IOException {
    Dataset data = IdxReader.readDataset(file, null);
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(idColumn, DataTypes.LongType, false),
        DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
    int d = data.columns();
    List<Row> rows = new ArrayList<>(data.rows());
    float[] values = data.values();
    for (int i = 0; i < data.rows(); i++) {
      Float[] item = new Float[d];
      for (int j = 0; j < d; j++) {
        item[j] = values[i * d + j];
      }
      rows.add(RowFactory.create((long) i, item));
    }
    int slices = Math.max(1, data.rows() / 10_000);
    return spark.createDataFrame(rows, schema).repartition(slices);
  }
}
