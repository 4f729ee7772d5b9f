package io.vi4j.plugins.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.core.engine.Engines;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.core.plugin.PluginRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class GaussianMlpEncoderTest {

  @Test
  void loadedAsAUserWouldItMapsABatchToADiagonalGaussianPerItem() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.names(ComponentKind.VARIATIONAL_FAMILY)).contains("gaussian-mlp");
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(4);
      var spec = new GaussianMlpEncoderSpec(List.of(16, 8), ActivationName.TANH);
      VariationalFamily encoder =
          registry.create(ComponentKind.VARIATIONAL_FAMILY, spec, new BuildContext(12, 3, m, null));
      assertThat(encoder.posteriorCapabilities()).contains(Capability.RSAMPLE, Capability.SAMPLE);
      // 12·16+16 + 16·8+8 + 8·6+6 parameters: two hidden layers and the joint (μ, log σ²) head
      long count = encoder.parameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      assertThat(count).isEqualTo(12 * 16 + 16 + 16 * 8 + 8 + 8 * 6 + 6);
      Distribution q = encoder.posterior(m.randomUniform(0, 1, new Shape(5, 12)));
      assertThat(q).isInstanceOf(DiagonalGaussian.class);
      assertThat(q.eventSize()).isEqualTo(3);
      assertThat(q.rsample(7).getShape().getShape()).containsExactly(7, 5, 3);
      assertThat(q.logProb(q.sample(2)).getShape().getShape()).containsExactly(2, 5);
    }
  }

  @Test
  void torchStyleInitializationBoundsEachLayerByOneOverRootFanIn() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(5);
      var encoder = new GaussianMlpEncoder(m, 784, 20, new GaussianMlpEncoderSpec(List.of(400), null));
      var params = encoder.parameters();
      float firstMax = params.get(0).getValue().getArray().abs().max().getFloat();
      float headMax = params.get(2).getValue().getArray().abs().max().getFloat();
      assertThat((double) firstMax).isLessThanOrEqualTo(1 / Math.sqrt(784)).isGreaterThan(0.9 / Math.sqrt(784));
      assertThat((double) headMax).isLessThanOrEqualTo(1 / Math.sqrt(400)).isGreaterThan(0.9 / Math.sqrt(400));
    }
  }

  @Test
  void specRejectsEmptyLayers() {
    assertThatThrownBy(() -> new GaussianMlpEncoderSpec(List.of(400, -2), null))
        .hasMessageContaining("hidden[1] must be a layer width of at least 1, got -2");
    assertThat(new GaussianMlpEncoderSpec(null, null).hidden()).containsExactly(400);
  }
}
