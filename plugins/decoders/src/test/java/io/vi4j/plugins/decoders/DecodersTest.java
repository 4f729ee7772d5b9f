package io.vi4j.plugins.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.BernoulliLogits;
import io.vi4j.core.engine.Engines;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.plugins.decoders.GaussianMlpDecoderSpec.Variance;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class DecodersTest {

  @Test
  void bernoulliDecoderScoresTargetsWithTheCrossEntropyOfItsLogits() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(1);
      var decoder = new BernoulliMlpDecoder(m, 2, 5, new BernoulliMlpDecoderSpec(List.of(8), null));
      NDArray latent = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 4, 2)); // (K, B, L)
      Distribution p = decoder.conditional(latent);
      float[] x = {0f, 1f, 0.5f, 1f, 0f};
      NDArray logProb = p.logProb(m.create(x));
      assertThat(logProb.getShape().getShape()).containsExactly(3, 4);
      float[] logits = ((BernoulliLogits) p).logits().toFloatArray();
      double expected = 0;
      for (int d = 0; d < 5; d++) {
        double q = 1 / (1 + Math.exp(-logits[d]));
        expected += x[d] * Math.log(q) + (1 - x[d]) * Math.log(1 - q);
      }
      assertThat((double) logProb.getFloat(0, 0)).isCloseTo(expected, within(1e-4));
      assertThat(decoder.support().contains(1.0)).isTrue();
      assertThat(decoder.support().contains(1.5)).isFalse();
    }
  }

  @Test
  void gaussianDecoderWithFixedSigmaIsANormalDensityAroundItsMean() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(2);
      var spec = new GaussianMlpDecoderSpec(List.of(8), ActivationName.TANH, Variance.FIXED, 0.3, null);
      var decoder = new GaussianMlpDecoder(m, 2, 3, spec);
      Distribution p = decoder.conditional(m.randomNormal(new ai.djl.ndarray.types.Shape(1, 2)));
      float[] mean = p.mean().orElseThrow().toFloatArray();
      float[] x = {0.2f, -0.1f, 0.7f};
      double expected = 0;
      for (int d = 0; d < 3; d++) {
        expected += new NormalDistribution(mean[d], 0.3).logDensity(x[d]);
      }
      assertThat((double) p.logProb(m.create(x).reshape(1, 3)).getFloat(0)).isCloseTo(expected, within(1e-4));
    }
  }

  @Test
  void learnedVarianceIsFlooredAtMinSigma() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      var spec = new GaussianMlpDecoderSpec(List.of(4), null, Variance.LEARNED, null, 0.5);
      var decoder = new GaussianMlpDecoder(m, 2, 3, spec);
      // push every output far negative: the log-variance head cannot go below 2·log(0.5)
      decoder.network().orElseThrow().getParameters().forEach(p -> p.getValue().getArray().subi(100));
      var p = (io.vi4j.api.kit.distribution.DiagonalGaussian) decoder.conditional(m.ones(new ai.djl.ndarray.types.Shape(1, 2)));
      for (float lv : p.logVariance().toFloatArray()) {
        assertThat((double) lv).isCloseTo(2 * Math.log(0.5), within(1e-5));
      }
    }
  }

  @Test
  void specsRejectSettingsOfTheOtherVarianceMode() {
    assertThatThrownBy(() -> new GaussianMlpDecoderSpec(null, null, Variance.LEARNED, 0.1, null))
        .hasMessageContaining("sigma is used only with variance: fixed");
    assertThatThrownBy(() -> new GaussianMlpDecoderSpec(null, null, Variance.FIXED, null, 0.1))
        .hasMessageContaining("min_sigma is used only with variance: learned");
    assertThatThrownBy(() -> new GaussianMlpDecoderSpec(null, null, Variance.FIXED, -1.0, null))
        .hasMessageContaining("sigma must be a positive finite number");
    assertThatThrownBy(() -> new BernoulliMlpDecoderSpec(List.of(0), null))
        .hasMessageContaining("hidden[0] must be a layer width of at least 1");
  }

  @Test
  void sharedVarianceIsOneLearnedScalarThatSavesAndLoads() throws Exception {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(3);
      var spec = new GaussianMlpDecoderSpec(List.of(), null, Variance.SHARED, null, null);
      var decoder = new GaussianMlpDecoder(m, 2, 3, spec);
      var parameters = decoder.parameters();
      assertThat(parameters.keys()).contains("log_variance");
      parameters.get("log_variance").getArray().addi(Math.log(0.25)); // σ² = 0.25
      Distribution p = decoder.conditional(m.randomNormal(new ai.djl.ndarray.types.Shape(1, 2)));
      float[] mean = p.mean().orElseThrow().toFloatArray();
      float[] x = {0.2f, -0.1f, 0.7f};
      double expected = 0;
      for (int d = 0; d < 3; d++) {
        expected += new NormalDistribution(mean[d], 0.5).logDensity(x[d]);
      }
      assertThat((double) p.logProb(m.create(x).reshape(1, 3)).getFloat(0)).isCloseTo(expected, within(1e-4));
      // linear (no hidden layer) weights + bias + the scalar
      long count = parameters.values().stream().mapToLong(q -> q.getArray().size()).sum();
      assertThat(count).isEqualTo(2 * 3 + 3 + 1);
      var bytes = new java.io.ByteArrayOutputStream();
      decoder.saveParameters(new java.io.DataOutputStream(bytes));
      var copy = new GaussianMlpDecoder(m, 2, 3, spec);
      copy.loadParameters(m, new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
      assertThat(copy.parameters().get("log_variance").getArray().getFloat(0))
          .isCloseTo((float) Math.log(0.25), within(1e-6f));
    }
  }
}
