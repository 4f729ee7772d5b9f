package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.train.TrainingListener;
import io.vi4j.core.train.TrainingStoppedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small convolutional model on the built-in sprites goes everywhere an MLP goes: every estimator
 * trains it, every command that reads a run uses it, and a run stopped at a checkpoint resumes to the
 * same parameters, byte for byte.
 */
class ConvModelTest {
  static final String CONFIG = """
      name: conv
      seed: 5
      data: {type: sprites, train_size: 320, test_size: 64}
      model:
        latent_dim: 3
        prior: {type: standard-normal}
        encoder:
          type: gaussian-mlp
          network:
            - {type: conv2d, channels: 4, kernel: 4, stride: 2, padding: 1}
            - {type: batch-norm}
            - {type: relu}
            - {type: conv2d, channels: 8, kernel: 3, stride: 2, padding: 1}
            - {type: relu}
        decoder:
          type: gaussian-mlp
          variance: network
          network:
            - {type: linear, units: 392}
            - {type: relu}
            - {type: reshape, shape: [8, 7, 7]}
            - {type: conv-transpose2d, channels: 4, kernel: 4, stride: 2, padding: 1}
            - {type: dropout, rate: 0.1}
            - {type: relu}
            - {type: conv-transpose2d, channels: 1, kernel: 4, stride: 2, padding: 1}
          variance_network:
            - {type: linear, units: 49}
            - {type: reshape, shape: [1, 7, 7]}
            - {type: conv-transpose2d, channels: 1, kernel: 4, stride: 4}
      estimator: {type: reparameterization}
      training: {epochs: 2, batch_size: 32, checkpoint: {every_steps: 3, keep: 2}}
      evaluation: {iwae_k: 5, iwae_items: 20}
      """;

  private static Path write(Path dir, String text) throws Exception {
    return Files.writeString(dir.resolve("conv.yaml"), text);
  }

  @Test
  void everyEstimatorTrainsItAndEveryUseReadsIt(@TempDir Path dir) throws Exception {
    Path config = write(dir, CONFIG);
    String[][] estimators = {
      {"estimator={type: reparameterization}"},
      {"estimator={type: path-derivative}"},
      {"estimator={type: score-function, samples: 2, control_variate: moving-average}"},
    };
    for (String[] estimator : estimators) {
      Path run = dir.resolve("run-" + estimator[0].hashCode());
      CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", run.toString(), "--no-progress",
          "--set", estimator[0]);
      assertThat(trained.status()).as(estimator[0] + ": " + trained.err()).isZero();
      assertThat(Files.readString(run.resolve(RunDirectory.RECORD))).contains("finished");
    }
    Path run = dir.resolve("run-" + estimators[0][0].hashCode());
    String[][] uses = {
      {"evaluate", run.toString()},
      {"sample", run.toString(), "--count", "4"},
      {"score", run.toString(), "--k", "4", "--train-items", "20"},
      {"embed", run.toString()},
      {"impute", run.toString(), "--mask", "bottom-half", "--items", "4", "--iterations", "3"},
      {"grad-variance", run.toString(), "--draws", "3"},
      {"amortization-gap", run.toString(), "--items", "3", "--steps", "5", "--samples", "2"},
    };
    for (String[] use : uses) {
      CliTest.Result result = CliTest.execute(use);
      assertThat(result.status()).as(String.join(" ", use) + ": " + result.err()).isZero();
    }
    CliTest.Result model = CliTest.execute("model", config.toString());
    assertThat(model.status()).as(model.err()).isZero();
  }

  @Test
  void anAutoencoderWithAConvolutionalEncoderTrains(@TempDir Path dir) throws Exception {
    Path config = write(dir, """
        name: conv-autoencoder
        data: {type: sprites, train_size: 320, test_size: 64}
        model:
          latent_dim: 3
          prior: {type: standard-normal}
          encoder:
            type: deterministic-mlp
            network:
              - {type: conv2d, channels: 4, kernel: 4, stride: 2, padding: 1}
              - {type: relu}
          decoder:
            type: bernoulli-mlp
            network:
              - {type: linear, units: 196}
              - {type: reshape, shape: [4, 7, 7]}
              - {type: conv-transpose2d, channels: 1, kernel: 4, stride: 4}
        estimator: {type: autoencoder}
        training: {epochs: 2, batch_size: 32}
        """);
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", dir.resolve("ae").toString(),
        "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();
  }

  @Test
  void aRunStoppedAtACheckpointResumesToTheSameParameters(@TempDir Path dir) throws Exception {
    PluginRegistry registry = PluginRegistry.load();
    ConfigLoader loader = new ConfigLoader(registry);
    ExperimentSpec spec = loader.parse(CONFIG, "conv.yaml");
    Path whole = dir.resolve("whole");
    try (RunDirectory run = RunDirectory.create(whole)) {
      new Experiment(spec, registry, dir).run(run, loader, new TrainingListener() {});
    }
    Path stopped = dir.resolve("stopped");
    List<Integer> steps = new ArrayList<>();
    try (RunDirectory run = RunDirectory.create(stopped)) {
      new Experiment(spec, registry, dir).run(run, loader, new TrainingListener() {
        @Override
        public void stepDone(int epoch, int step, double running) {
          steps.add(step);
        }

        @Override
        public boolean stopRequested() {
          return steps.size() == 7; // epoch 1, mid-way
        }
      });
      throw new AssertionError("training was not stopped");
    } catch (TrainingStoppedException expected) {
      assertThat(expected.globalStep()).isEqualTo(7);
    }
    try (RunDirectory run = RunDirectory.resume(stopped)) {
      new Experiment(spec, registry, dir).resume(run, loader, new TrainingListener() {}, note -> {});
    }
    assertThat(Files.readAllBytes(stopped.resolve(RunDirectory.PARAMETERS)))
        .isEqualTo(Files.readAllBytes(whole.resolve(RunDirectory.PARAMETERS)));
  }
}
