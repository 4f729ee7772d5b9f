package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.core.Vi4j;
import io.vi4j.core.data.SpritesDataSpec;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.run.TrainedModel;
import io.vi4j.plugins.decoders.BernoulliMlpDecoderSpec;
import io.vi4j.plugins.decoders.GaussianMlpDecoderSpec;
import io.vi4j.plugins.encoders.GaussianMlpEncoderSpec;
import io.vi4j.plugins.estimators.ReparameterizationSpec;
import io.vi4j.plugins.priors.StandardNormalPriorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One training path: a model built with the Java builder and the same model trained by {@code vi4j
 * train} from YAML end with byte-identical {@code parameters.bin} — for a Bernoulli decoder and for a
 * Gaussian decoder, whose data both paths dequantize under the same protocol with the same noise.
 */
class BuilderEqualsCliTest {

  @ParameterizedTest
  @ValueSource(strings = {"bernoulli-mlp", "gaussian-mlp"})
  void theBuilderAndTheCommandLineTrainTheSameParameters(String decoder, @TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("model.yaml"), """
        name: same
        seed: 11
        data: {type: sprites, train_size: 240, test_size: 40, seed: 5}
        model:
          latent_dim: 3
          prior: {type: standard-normal}
          encoder: {type: gaussian-mlp, hidden: [24], activation: tanh}
          decoder: {type: %s, hidden: [24], activation: tanh}
        estimator: {type: reparameterization, samples: 2}
        training: {epochs: 2, batch_size: 32, learning_rate: 0.002}
        evaluation: {iwae_k: 0}
        """.formatted(decoder));
    Path run = dir.resolve("run");
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", run.toString(), "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();

    LikelihoodSpec decoderSpec = decoder.equals("bernoulli-mlp")
        ? new BernoulliMlpDecoderSpec(List.of(24), ActivationName.TANH)
        : new GaussianMlpDecoderSpec(List.of(24), ActivationName.TANH, null, null, null);
    Path fromJava = dir.resolve("builder-parameters.bin");
    try (TrainedModel model = Vi4j.vae()
        .seed(11)
        .data(new SpritesDataSpec(240, 40, 5L, null))
        .latentDim(3)
        .prior(new StandardNormalPriorSpec())
        .encoder(new GaussianMlpEncoderSpec(List.of(24), ActivationName.TANH))
        .decoder(decoderSpec)
        .estimator(new ReparameterizationSpec(2))
        .epochs(2).batchSize(32).learningRate(0.002)
        .train()) {
      model.save(fromJava);
    }
    assertThat(Files.readAllBytes(fromJava)).as(decoder)
        .isEqualTo(Files.readAllBytes(run.resolve(RunDirectory.PARAMETERS)));
  }
}
