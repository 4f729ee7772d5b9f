package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.core.Vi4j;
import io.vi4j.core.data.SpritesDataSpec;
import io.vi4j.core.eval.LogLikelihoodReport;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.core.run.TrainedModel;
import io.vi4j.plugins.decoders.BernoulliMlpDecoderSpec;
import io.vi4j.plugins.encoders.GaussianMlpEncoderSpec;
import io.vi4j.plugins.estimators.ReparameterizationSpec;
import io.vi4j.plugins.priors.StandardNormalPriorSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/library.md, compiled and run: a VAE from Java in a few lines, no config file. */
class LibraryUseTest {

  @Test
  void buildTrainEvaluateSampleAndSaveFromJava(@TempDir Path dir) throws Exception {
    try (TrainedModel vae = Vi4j.vae()
        .data(new SpritesDataSpec(800, 200, 0L, null))
        .latentDim(4)
        .prior(new StandardNormalPriorSpec())
        .encoder(new GaussianMlpEncoderSpec(List.of(64), ActivationName.RELU))
        .decoder(new BernoulliMlpDecoderSpec(List.of(64), ActivationName.RELU))
        .estimator(new ReparameterizationSpec(1))
        .epochs(3).batchSize(64).learningRate(1e-3)
        .train()) {
      assertThat(vae.history()).hasSize(3);
      assertThat(vae.history().get(2).testNegElbo()).isLessThan(vae.history().get(0).testNegElbo());
      LogLikelihoodReport ll = vae.logLikelihood(50, 100);
      assertThat(ll.meanLogLikelihood()).isGreaterThan(-vae.testNegativeElbo().negativeElbo() - 3 * 1.0);
      float[] samples = vae.sample(5);
      assertThat(samples).hasSize(5 * 784);
      for (float v : samples) {
        assertThat(v).isBetween(0f, 1f);
      }
      vae.save(dir.resolve("parameters.bin"));
      assertThat(dir.resolve("parameters.bin")).isNotEmptyFile();
    }
  }

  private static Vi4j.VaeBuilder small() {
    return Vi4j.vae()
        .data(new SpritesDataSpec(400, 100, 0L, null))
        .latentDim(3)
        .prior(new StandardNormalPriorSpec())
        .encoder(new GaussianMlpEncoderSpec(List.of(32), ActivationName.RELU))
        .decoder(new BernoulliMlpDecoderSpec(List.of(32), ActivationName.RELU))
        .estimator(new ReparameterizationSpec(1))
        .epochs(2).batchSize(50).learningRate(1e-3);
  }

  @Test
  void aCheckpointedTrainingContinuesFromItsNewestCheckpoint(@TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    float[] uninterrupted;
    try (TrainedModel vae = small().checkpoints(checkpoints, 5, 20).train()) {
      uninterrupted = vae.sample(3); // a function of the parameters and the seed
    }
    // 8 steps per epoch: checkpoints at 5, 8, 10, 15, 16. Drop the newest three, as if the training had
    // been interrupted after step 10 of 16.
    for (String step : List.of("000000000015", "000000000016", "000000000010")) {
      try (var files = java.nio.file.Files.walk(checkpoints.resolve("step-" + step))) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    java.util.concurrent.atomic.AtomicInteger steps = new java.util.concurrent.atomic.AtomicInteger();
    io.vi4j.core.train.TrainingListener counter = new io.vi4j.core.train.TrainingListener() {
      @Override
      public void stepDone(int epoch, int step, double running) {
        steps.incrementAndGet();
      }
    };
    try (TrainedModel vae = small().checkpoints(checkpoints, 5, 20).listener(counter).train()) {
      assertThat(steps.get()).as("steps run after resuming from step 8").isEqualTo(8);
      assertThat(vae.history()).hasSize(2);
      assertThat(vae.sample(3)).containsExactly(uninterrupted);
    }
  }
}
