import io.vi4j.core.data.IdxReader;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The data of the Spark benchmark (docs/benchmarks.md): Fashion-MNIST's 10,000 test images repeated
 * COPIES times, row id = copy · 10,000 + index; every pixel of every row moved by an integer δ in
 * {−2, …, 2} grey levels (uniform, from a SplittableRandom seeded by the row id) and clipped to [0, 255].
 * Written twice with the same values: Parquet (id: long, features: array of float, the level / 255) for
 * vi4j spark, and an IDX file of unsigned bytes for vi4j score --data (which divides by 255 the same way).
 *
 * <p>Run with the Spark module's class path:
 * {@code java -cp "apps/spark/target/vi4j-spark.jar:apps/spark/target/lib/*:apps/spark/target/spark-lib/*"
 * <add-opens flags> apps/bench/java/SparkBenchData.java COPIES OUT_DIR}
 */
public final class SparkBenchData {
  private SparkBenchData() {}

  static int level(byte[] base, long id, int j, SplittableRandom random) {
    int v = (base[(int) (id % 10_000) * 784 + j] & 0xff) + random.nextInt(5) - 2;
    return Math.max(0, Math.min(255, v));
  }

  public static void main(String[] args) throws Exception {
    int copies = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    float[] images = IdxReader.read(IdxReader.FASHION_MNIST_DIR.resolve("t10k-images-idx3-ubyte.gz")).values();
    byte[] base = new byte[images.length];
    for (int i = 0; i < images.length; i++) {
      base[i] = (byte) (int) images[i];
    }
    long rows = copies * 10_000L;
    // IDX, unsigned bytes: magic 0x00000803, then count, 28, 28.
    Path idx = out.resolve("bench-images-idx3-ubyte");
    try (DataOutputStream stream = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(idx), 1 << 20))) {
      stream.writeInt(0x00000803);
      stream.writeInt((int) rows);
      stream.writeInt(28);
      stream.writeInt(28);
      byte[] row = new byte[784];
      for (long id = 0; id < rows; id++) {
        SplittableRandom random = new SplittableRandom(id);
        for (int j = 0; j < 784; j++) {
          row[j] = (byte) level(base, id, j, random);
        }
        stream.write(row);
      }
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("bench data")
        .config("spark.ui.enabled", "false").getOrCreate();
    Broadcast<byte[]> shared = spark.sparkContext().broadcast(base, scala.reflect.ClassTag$.MODULE$.apply(byte[].class));
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
    MapPartitionsFunction<Long, Row> make = ids -> {
      byte[] b = shared.value();
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return ids.hasNext();
        }

        @Override
        public Row next() {
          long id = ids.next();
          SplittableRandom random = new SplittableRandom(id);
          Float[] features = new Float[784];
          for (int j = 0; j < 784; j++) {
            features[j] = level(b, id, j, random) / 255f;
          }
          return RowFactory.create(id, features);
        }
      };
    };
    spark.range(0, rows, 1, Math.max(2, copies / 5)).as(Encoders.LONG()).mapPartitions(make, Encoders.row(schema))
        .write().parquet(out.resolve("bench.parquet").toString());
    spark.stop();
    System.out.println("written: " + idx + " and " + out.resolve("bench.parquet") + " (" + rows + " rows)");
  }
}
