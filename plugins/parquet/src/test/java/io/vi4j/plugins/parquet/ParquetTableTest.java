package io.vi4j.plugins.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.TableFileReader;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.core.data.TableDataFactory;
import io.vi4j.core.data.TableDataSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Parquet file written by DuckDB reads as the same CSV does, its NULLs as missing cells. */
class ParquetTableTest {
  @TempDir Path dir;

  private static final String CSV = String.join("\n",
      "id,age,sex,region,visits,Class",
      "r1,30.0,f,north,0,yes",
      "r2,,m,south,3,no",
      "r3,45.25,m,\"east, far\",,yes",
      "r4,50.0,f,north,2,no",
      "r5,28.5,,south,1,yes",
      "r6,33.5,f,north,5,no",
      "");

  private void writeParquet(Path file) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE t (id VARCHAR, age DOUBLE, sex VARCHAR, region VARCHAR, visits INTEGER,"
          + " \"Class\" VARCHAR)");
      sql.execute("INSERT INTO t VALUES ('r1', 30.0, 'f', 'north', 0, 'yes'), ('r2', NULL, 'm', 'south', 3, 'no'),"
          + " ('r3', 45.25, 'm', 'east, far', NULL, 'yes'), ('r4', 50.0, 'f', 'north', 2, 'no'),"
          + " ('r5', 28.5, NULL, 'south', 1, 'yes'), ('r6', 33.5, 'f', 'north', 5, 'no')");
      sql.execute("COPY t TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
    }
  }

  private DataSplits load(String train, String test) throws IOException {
    TableDataSpec spec = new TableDataSpec(train, test, null, null, null, "id", "Class", null, null, null, null, null,
        null);
    return new TableDataFactory(note -> {}).create(spec, new BuildContext(0, 0, null, dir)).load();
  }

  @Test
  void readsAsTheCsvDoes() throws Exception {
    Files.writeString(dir.resolve("t.csv"), CSV);
    writeParquet(dir.resolve("t.parquet"));
    DataSplits csv = load("t.csv", "t.csv");
    DataSplits parquet = load("t.parquet", "t.parquet");
    assertThat(parquet.train().table()).isEqualTo(csv.train().table());
    assertThat(parquet.train().values()).containsExactly(csv.train().values());
    assertThat(parquet.train().ids()).containsExactly(csv.train().ids());
    assertThat(parquet.train().labels()).containsExactly(csv.train().labels());
    assertThat(parquet.train().hasMissing()).isTrue();
    assertThat(Float.isNaN(parquet.train().values()[4])).isTrue(); // r2's age (4 value columns)
  }

  @Test
  void isAServiceAndNamesABadFile() throws IOException {
    assertThat(ServiceLoader.load(TableFileReader.class).stream().map(ServiceLoader.Provider::type))
        .contains(ParquetTableReader.class);
    Files.writeString(dir.resolve("bad.parquet"), "not parquet");
    assertThatThrownBy(() -> load("bad.parquet", "bad.parquet"))
        .hasMessageStartingWith(dir.resolve("bad.parquet") + ": not a readable Parquet file (DuckDB: ")
        .hasMessageNotContaining("\n");
  }

  /**
   * Parquet files with bytes overwritten at random (footer, pages, metadata) end in a dataset or in an error
   * naming the file on one line; DuckDB's checks stand between a damaged file and the native reader.
   */
  @Test
  void damagedParquetFilesEndInADatasetOrAnErrorNamingTheFile() throws Exception {
    Path good = dir.resolve("good.parquet");
    writeParquet(good);
    byte[] original = Files.readAllBytes(good);
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    int cases = Integer.getInteger("vi4j.fuzz.cases", 60);
    java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (int i = 0; i < cases; i++) {
      byte[] damaged = original.clone();
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(4) == 0) {
        damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
      }
      String name = "damaged-" + i + ".parquet";
      Files.write(dir.resolve(name), damaged);
      try {
        DataSplits data = load(name, name);
        assertThat(data.train().rows()).isPositive();
        outcomes.merge("read", 1, Integer::sum);
      } catch (IOException | IllegalArgumentException e) {
        assertThat(e.getMessage()).contains(name).doesNotContain("\n");
        outcomes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
      }
    }
    System.out.println("damaged parquet, outcomes: " + outcomes);
  }
}
