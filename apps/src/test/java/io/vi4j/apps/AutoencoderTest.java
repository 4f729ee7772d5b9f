package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lecture's s(x) = 0 case: a plain autoencoder trained by the same trainer, compared on reconstruction. */
class AutoencoderTest {
  private static final String CONFIG = """
      data: {type: sprites, train_size: 1000, test_size: 200}
      model:
        latent_dim: 4
        prior: {type: standard-normal}
        encoder: {type: deterministic-mlp, hidden: [64]}
        decoder: {type: %s}
      estimator: {type: autoencoder}
      training: {epochs: 6, batch_size: 50}
      evaluation: {iwae_k: 100}
      """;

  private static JsonNode train(Path dir, String decoder) throws Exception {
    Path config = dir.resolve(decoder.replaceAll("[^a-z]", "") + ".yaml");
    Files.writeString(config, CONFIG.formatted(decoder));
    Path out = dir.resolve("run-" + config.getFileName());
    CliTest.Result result = CliTest.execute("train", config.toString(), "--out", out.toString(), "--no-progress");
    assertThat(result.status()).as(result.err()).isZero();
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  @Test
  void bceAndMseAutoencodersTrainAndReportReconstructionErrorOnly(@TempDir Path dir) throws Exception {
    JsonNode bce = train(dir, "bernoulli-mlp, hidden: [64]");
    JsonNode mse = train(dir, "gaussian-mlp, hidden: [64], variance: fixed, sigma: 0.1");
    for (JsonNode summary : new JsonNode[] {bce, mse}) {
      assertThat(summary.has("test_log_likelihood_nats")).isFalse();
      assertThat(summary.get("note").asText()).contains("not a density model");
      // a trained code reconstructs the test sprites clearly better than the mean training image does
      assertThat(summary.get("test_recon_mse").asDouble()).as("MSE vs the mean image's %.4f", meanImageMse())
          .isBetween(0.0, 0.7 * meanImageMse());
      assertThat(summary.get("test_recon_nats").asDouble()).isFinite();
    }
  }

  /** Mean squared error per pixel of predicting every test sprite by the mean training sprite. */
  private static double meanImageMse() {
    var train = io.vi4j.core.data.SpritesDataset.train(1000, 0).dataset();
    var test = io.vi4j.core.data.SpritesDataset.test(200, 0).dataset();
    int d = train.columns();
    double[] mean = new double[d];
    for (int i = 0; i < train.rows(); i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += train.values()[i * d + j] / train.rows();
      }
    }
    double sum = 0;
    for (int i = 0; i < test.rows(); i++) {
      for (int j = 0; j < d; j++) {
        double e = test.values()[i * d + j] - mean[j];
        sum += e * e;
      }
    }
    return sum / ((double) test.rows() * d);
  }

  @Test
  void aPathwiseVaeEstimatorRefusesADeterministicEncoder(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, CONFIG.formatted("bernoulli-mlp").replace("type: autoencoder", "type: reparameterization"));
    CliTest.Result result = CliTest.execute("train", config.toString(), "--out", dir.resolve("o").toString());
    assertThat(result.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(result.err()).contains("needs [DENSITY]").contains("encoder 'deterministic-mlp'");
  }
}
