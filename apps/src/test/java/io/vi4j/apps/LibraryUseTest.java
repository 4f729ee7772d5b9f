package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.core.Vi4j;
import io.vi4j.core.data.SpritesDataSpec;
import io.vi4j.core.eval.LogLikelihoodReport;
import io.vi4j.core.nn.ActivationName;
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
}
