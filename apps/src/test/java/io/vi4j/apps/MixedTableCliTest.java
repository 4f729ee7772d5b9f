package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.core.run.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VAE on a table of mixed columns, from the command line: two continuous columns and a binary, a
 * categorical and a count column, all driven by one hidden factor; the mixed-column decoder trains on it,
 * and a value a column cannot take is refused before training, naming the file's item and column.
 */
class MixedTableCliTest {
  private static final String CONFIG = """
      name: mixed-table
      seed: 1
      data: {type: csv, train: TRAIN, test: TEST, header: true}
      model:
        latent_dim: 2
        prior: {type: standard-normal}
        encoder: {type: gaussian-mlp, hidden: [32]}
        decoder:
          type: mixed-mlp
          hidden: [32]
          columns:
            - {type: gaussian, count: 2}
            - {type: bernoulli}
            - {type: categorical, levels: 3}
            - {type: poisson}
      estimator: {type: reparameterization}
      training: {epochs: 15, batch_size: 50, learning_rate: 3.0e-3}
      evaluation: {iwae_k: 20, iwae_items: 100}
      """;

  private static void table(Path file, int rows, long seed, boolean broken) throws IOException {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("height,weight,smoker,region,visits\n");
    for (int i = 0; i < rows; i++) {
      double z = random.nextGaussian();
      double height = 1.5 * z + 0.3 * random.nextGaussian();
      double weight = -z + 0.3 * random.nextGaussian();
      int smoker = random.nextDouble() < 1 / (1 + Math.exp(-3 * z)) ? 1 : 0;
      int region = z < -0.5 ? 0 : z < 0.5 ? 1 : 2;
      int visits = poisson(Math.exp(0.8 * z), random);
      csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%d,%d,%d%n", height, weight,
          broken && i == 7 ? 2 : smoker, region, visits));
    }
    Files.writeString(file, csv);
  }

  private static int poisson(double rate, Random random) {
    double limit = Math.exp(-rate);
    double product = random.nextDouble();
    int n = 0;
    while (product > limit) {
      product *= random.nextDouble();
      n++;
    }
    return n;
  }

  @Test
  void aVaeWithMixedColumnsLearnsTheTableAndRefusesAValueAColumnCannotTake(@TempDir Path dir) throws IOException {
    table(dir.resolve("train.csv"), 1000, 1, false);
    table(dir.resolve("test.csv"), 200, 2, false);
    Path config = Files.writeString(dir.resolve("mixed.yaml"), CONFIG
        .replace("TRAIN", dir.resolve("train.csv").toString()).replace("TEST", dir.resolve("test.csv").toString()));
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", dir.resolve("run").toString(),
        "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();
    RunSummary summary = RunSummary.read(dir.resolve("run/summary.json"));
    assertThat(summary.protocol()).as("auto: a mixed table is evaluated as it is").isEqualTo("raw");
    // The latent carries the shared factor: the KL is well above zero and the first epoch's −ELBO falls.
    assertThat(summary.testKlNats()).isGreaterThan(1.0);
    java.util.List<String> epochs = Files.readAllLines(dir.resolve("run/metrics.jsonl"));
    double first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(epochs.get(0)).get("test_neg_elbo_nats").asDouble();
    assertThat(summary.testNegElboNats()).isLessThan(first - 0.5);

    table(dir.resolve("broken.csv"), 200, 3, true);
    CliTest.Result refused = CliTest.execute("train", config.toString(), "--out", dir.resolve("broken").toString(),
        "--no-progress", "--set", "data.test=" + dir.resolve("broken.csv"));
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains("item 7, column 2 has value 2.0").contains("0 or 1 (a bernoulli column)");
    assertThat(dir.resolve("broken/metrics.jsonl")).doesNotExist();
  }
}
