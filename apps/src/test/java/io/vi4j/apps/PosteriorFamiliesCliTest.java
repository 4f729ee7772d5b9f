package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The full-covariance and planar-flow encoders end to end, in process: train with the reparameterization
 * estimator (IWAE evaluation at the end), then a run cut back to its first checkpoint (as a killed run
 * leaves it) resumed to byte-identical parameters, then {@code embed}: posterior means for the
 * full-covariance family, a one-line refusal for the planar flow, which has no closed-form mean.
 */
class PosteriorFamiliesCliTest {
  private static final String CONFIG = """
      name: posterior-%s
      seed: 5
      data: {type: sprites, train_size: 300, test_size: 60}
      model:
        latent_dim: 3
        prior: {type: standard-normal}
        encoder: %s
        decoder: {type: bernoulli-mlp, hidden: [16]}
      estimator: {type: reparameterization}
      training: {epochs: 2, batch_size: 50, checkpoint: {every_steps: 3, keep: 10}}
      evaluation: {iwae_k: 5, iwae_items: 20}
      """;

  @ParameterizedTest
  @ValueSource(strings = {"full-covariance-mlp", "planar-flow-mlp"})
  void trainsEvaluatesResumesExactlyAndEmbedsOrRefuses(String type, @TempDir Path dir) throws IOException {
    String encoder = type.equals("planar-flow-mlp")
        ? "{type: planar-flow-mlp, hidden: [16], flow_length: 3}"
        : "{type: full-covariance-mlp, hidden: [16]}";
    Path config = Files.writeString(dir.resolve("config.yaml"), CONFIG.formatted(type, encoder));
    Path run = dir.resolve("run");
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", run.toString(), "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();
    assertThat(Files.readString(run.resolve("summary.json"))).contains("test_log_likelihood_nats");

    Path cut = KilledRuns.cutToFirstCheckpoint(run, dir.resolve("cut"));
    CliTest.Result resumed = CliTest.execute("train", "--resume", cut.toString(), "--no-progress");
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(Files.readAllBytes(cut.resolve("parameters.bin"))).isEqualTo(Files.readAllBytes(run.resolve("parameters.bin")));

    CliTest.Result embedded = CliTest.execute("embed", run.toString(), "--out", dir.resolve("embedding").toString());
    if (type.equals("planar-flow-mlp")) {
      assertThat(embedded.status()).isEqualTo(2);
      assertThat(embedded.err()).contains("PlanarFlowPosterior) has no mean in closed form");
    } else {
      assertThat(embedded.status()).as(embedded.err()).isZero();
      assertThat(dir.resolve("embedding").resolve("test-means.npy")).isRegularFile();
    }
  }
}
