package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table of text and numbers read by the {@code table} source with its columns inferred, modelled by a
 * {@code mixed-mlp} decoder that takes its column groups from them: the run stores the resolved schema in its
 * config.yaml, reads its data again with it, and refuses other data with a level it never saw.
 */
class TableCliTest {
  private static final String CONFIG = """
      name: table
      seed: 1
      data: {type: table, train: TRAIN, test: TEST, id_column: key, label_column: kind}
      model:
        latent_dim: 2
        prior: {type: standard-normal}
        encoder: {type: gaussian-mlp, hidden: [16]}
        decoder: {type: mixed-mlp, hidden: [16]}
      estimator: {type: reparameterization}
      training: {epochs: 2, batch_size: 50}
      evaluation: {iwae_k: 5, iwae_items: 20}
      """;

  private static void table(Path file, int rows, long seed, boolean unknownRegion) throws IOException {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("key,height,smoker,region,visits,kind\n");
    String[] regions = {"north", "south", "east"};
    for (int i = 0; i < rows; i++) {
      double z = random.nextGaussian();
      String region = unknownRegion && i == 3 ? "west" : regions[z < -0.5 ? 0 : z < 0.5 ? 1 : 2];
      csv.append(String.format(Locale.ROOT, "k%d,%.4f,%s,\"%s\",%d,%s%n", i, 1.5 * z + 0.3 * random.nextGaussian(),
          random.nextDouble() < 1 / (1 + Math.exp(-3 * z)) ? "yes" : "no", region,
          Math.min(12, (int) Math.floor(Math.exp(0.8 * z) * 2 * random.nextDouble())), z > 0 ? "beta" : "alpha"));
    }
    Files.writeString(file, csv);
  }

  @Test
  void inferredColumnsAreStoredInTheRunAndUsedAgain(@TempDir Path dir) throws IOException {
    table(dir.resolve("train.csv"), 300, 1, false);
    table(dir.resolve("test.csv"), 60, 2, false);
    Path config = Files.writeString(dir.resolve("table.yaml"), CONFIG
        .replace("TRAIN", dir.resolve("train.csv").toString()).replace("TEST", dir.resolve("test.csv").toString()));
    Path run = dir.resolve("run");
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", run.toString(), "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();

    JsonNode data = new ObjectMapper(new YAMLFactory()).readTree(run.resolve("config.yaml").toFile()).get("data");
    assertThat(data.get("type").asText()).isEqualTo("table");
    assertThat(data.get("label_levels").toString()).isEqualTo("[\"alpha\",\"beta\"]");
    JsonNode columns = data.get("columns");
    assertThat(columns).hasSize(4);
    assertThat(columns.get(0).get("name").asText()).isEqualTo("height");
    assertThat(columns.get(0).get("type").asText()).isEqualTo("continuous");
    assertThat(columns.get(0).get("center").isNumber()).isTrue();
    assertThat(columns.get(0).get("scale").asDouble()).isPositive();
    assertThat(columns.get(1).get("type").asText()).isEqualTo("binary");
    assertThat(columns.get(1).get("levels").toString()).isEqualTo("[\"no\",\"yes\"]");
    assertThat(columns.get(2).get("type").asText()).isEqualTo("categorical");
    assertThat(columns.get(2).get("levels").toString()).isEqualTo("[\"east\",\"north\",\"south\"]");
    assertThat(columns.get(3).get("type").asText()).isEqualTo("count");
    JsonNode decoder = new ObjectMapper(new YAMLFactory()).readTree(run.resolve("config.yaml").toFile())
        .get("model").get("decoder");
    assertThat(decoder.has("columns")).as("the decoder takes its groups from the stored columns").isFalse();

    CliTest.Result evaluated = CliTest.execute("evaluate", run.toString(), "--no-progress");
    assertThat(evaluated.status()).as("the stored schema reads the same data: " + evaluated.err()).isZero();

    table(dir.resolve("west.csv"), 10, 3, true);
    CliTest.Result refused = CliTest.execute("score", run.toString(), "--no-progress", "--data",
        "{type: table, train: " + dir.resolve("west.csv") + ", test: " + dir.resolve("west.csv")
            + ", id_column: key, label_column: kind}");
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains(dir.resolve("west.csv") + ": line 5, column 4 ('region'): 'west' is not one"
        + " of the categorical column's levels [east, north, south]");
  }

  /**
   * A table with empty and NA cells trains from the command line (the ELBO of its observed cells), {@code impute
   * --hide} fills its missing and hidden cells and writes the completed rows in the table's own terms, and
   * {@code score} names the outlier class by its level.
   */
  @Test
  void aTableWithMissingCellsTrainsImputesAndIsScored(@TempDir Path dir) throws IOException {
    table(dir.resolve("full-train.csv"), 300, 1, false);
    table(dir.resolve("full-test.csv"), 60, 2, false);
    Random random = new Random(4);
    for (String split : new String[] {"train", "test"}) {
      StringBuilder holed = new StringBuilder();
      for (String line : Files.readAllLines(dir.resolve("full-" + split + ".csv"))) {
        String[] cells = line.split(",", -1);
        for (int c = 1; c <= 4 && !line.startsWith("key"); c++) {
          if (random.nextDouble() < 0.15) {
            cells[c] = random.nextBoolean() ? "" : "NA";
          }
        }
        holed.append(String.join(",", cells)).append('\n');
      }
      Files.writeString(dir.resolve(split + ".csv"), holed);
    }
    Path config = Files.writeString(dir.resolve("table.yaml"), CONFIG
        .replace("TRAIN", dir.resolve("train.csv").toString()).replace("TEST", dir.resolve("test.csv").toString())
        .replace("epochs: 2", "epochs: 5").replace("label_column: kind}", "label_column: kind, empty_rows: drop}"));
    Path run = dir.resolve("run");
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", run.toString(), "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    assertThat(summary.get("test_neg_elbo_nats").asDouble()).as("the ELBO of the observed cells").isFinite();
    assertThat(summary.get("likelihood_kind").asText()).as("masses on discrete columns, densities on the others")
        .isEqualTo("mixed");

    CliTest.Result imputed = CliTest.execute("impute", run.toString(), "--hide", "0.2", "--k", "50", "--no-progress");
    assertThat(imputed.status()).as(imputed.err()).isZero();
    java.util.List<String> completed = Files.readAllLines(run.resolve("imputation/completed.csv"));
    assertThat(completed.get(0)).isEqualTo("key,height,smoker,region,visits,kind");
    assertThat(completed).hasSize(61);
    for (String line : completed.subList(1, completed.size())) {
      String[] cells = line.split(",", -1);
      assertThat(cells).as(line).hasSize(6).doesNotContain("");
      assertThat(cells[0]).startsWith("k");
      assertThat(cells[2]).isIn("no", "yes");
      assertThat(cells[3]).isIn("east", "north", "south");
      assertThat(cells[5]).isIn("alpha", "beta");
    }
    java.util.List<String> hidden = Files.readAllLines(run.resolve("imputation/hidden.csv"));
    JsonNode report = new ObjectMapper().readTree(run.resolve("imputation/imputation.json").toFile());
    assertThat(hidden).hasSize(1 + report.get("hidden_cells").asInt());
    assertThat(report.get("hidden_cells").asInt()).isGreaterThan(20);
    assertThat(report.get("missing_cells").asInt()).as("the test rows' own empty and NA cells").isGreaterThan(10);
    for (String method : new String[] {"column-mean", "importance-weighted"}) {
      JsonNode errors = report.get("errors").get(method);
      assertThat(errors.get("continuous_rmse").asDouble()).isPositive();
      assertThat(errors.get("accuracy").asDouble()).isBetween(0.0, 1.0);
    }

    assertThat(Files.readString(run.resolve("report.html"))).contains("Imputation of the table (vi4j impute)")
        .contains("Errors on the hidden cells");

    // Another file completed whole, read with the run's columns.
    CliTest.Result other = CliTest.execute("impute", run.toString(), "--k", "20", "--no-progress", "--out",
        dir.resolve("whole").toString(), "--data", "{type: table, train: " + dir.resolve("train.csv") + ", test: "
            + dir.resolve("train.csv") + ", id_column: key, label_column: kind, empty_rows: drop}");
    assertThat(other.status()).as(other.err()).isZero();
    java.util.List<String> whole = Files.readAllLines(dir.resolve("whole/completed.csv"));
    assertThat(whole.size()).isBetween(290, 301);
    assertThat(whole.subList(1, whole.size())).allSatisfy(line -> assertThat(line.split(",", -1)).doesNotContain(""));
    assertThat(Files.exists(dir.resolve("whole/hidden.csv"))).as("nothing hidden without --hide").isFalse();

    CliTest.Result sampled = CliTest.execute("sample", run.toString(), "--count", "7", "--no-progress");
    assertThat(sampled.status()).as(sampled.err()).isZero();
    java.util.List<String> drawn = Files.readAllLines(run.resolve("samples/samples.csv"));
    assertThat(drawn.get(0)).isEqualTo("height,smoker,region,visits");
    assertThat(drawn.subList(1, drawn.size())).hasSize(7).allSatisfy(line -> {
      String[] cells = line.split(",", -1);
      assertThat(Double.parseDouble(cells[0])).isFinite();
      assertThat(cells[1]).isIn("no", "yes");
      assertThat(cells[2]).isIn("east", "north", "south");
      assertThat(Integer.parseInt(cells[3])).isNotNegative();
    });

    CliTest.Result scored = CliTest.execute("score", run.toString(), "--outlier-classes", "beta", "--k", "5",
        "--train-items", "50", "--no-progress");
    assertThat(scored.status()).as(scored.err()).isZero();
    JsonNode scores = new ObjectMapper().readTree(run.resolve("scores/scores.json").toFile()).get("scores");
    assertThat(scores.get("neg_log_likelihood").get("auroc").asDouble()).isBetween(0.0, 1.0);
    CliTest.Result unknown = CliTest.execute("score", run.toString(), "--outlier-classes", "gamma", "--no-progress");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("'gamma' is neither a label number nor a class of the data (its classes: alpha,"
        + " beta)");
  }
}
