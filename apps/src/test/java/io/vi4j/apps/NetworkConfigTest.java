package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.LayerSpec;
import io.vi4j.core.config.ConfigException;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.plugins.encoders.GaussianMlpEncoderSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config's network: layers read with their defaults, written back the same, and errors naming the layer. */
class NetworkConfigTest {
  private static final ConfigLoader LOADER = new ConfigLoader(PluginRegistry.load());

  @Test
  void layersAreReadWithDefaultsAndTheResolvedConfigReadsBackTheSame() {
    ExperimentSpec spec = LOADER.parse(ConvModelTest.CONFIG, "conv.yaml");
    GaussianMlpEncoderSpec encoder = (GaussianMlpEncoderSpec) spec.model().encoder();
    assertThat(encoder.hidden()).isNull();
    assertThat(encoder.network()).containsExactly(
        new LayerSpec.Conv2d(4, 4, 2, 1), new LayerSpec.BatchNorm(1e-5), new LayerSpec.Activation(ActivationName.RELU),
        new LayerSpec.Conv2d(8, 3, 2, 1), new LayerSpec.Activation(ActivationName.RELU));
    String yaml = LOADER.toYaml(spec);
    assertThat(yaml).contains("- type: relu").contains("type: conv-transpose2d").contains("output_padding: 0");
    assertThat(LOADER.parse(yaml, "resolved.yaml")).isEqualTo(spec);
  }

  @Test
  void badLayersAreNamedByTheirPlaceInTheConfig(@TempDir Path dir) throws Exception {
    String unknown = ConvModelTest.CONFIG.replace("{type: batch-norm}", "{type: batchnorm}");
    assertThatThrownBy(() -> LOADER.parse(unknown, "conv.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("model.encoder.network[1]")
        .hasMessageContaining("unknown layer type 'batchnorm'; known layer types: linear, conv2d, conv-transpose2d,"
            + " batch-norm, dropout, reshape, flatten, relu");
    String missing = ConvModelTest.CONFIG.replace("{type: conv2d, channels: 8, kernel: 3, stride: 2, padding: 1}",
        "{type: conv2d, kernel: 3}");
    assertThatThrownBy(() -> LOADER.parse(missing, "conv.yaml"))
        .hasMessageContaining("model.encoder.network[3]").hasMessageContaining("channels must be at least 1, got null");
    String both = ConvModelTest.CONFIG.replace("    type: gaussian-mlp\n    network:",
        "    type: gaussian-mlp\n    hidden: [8]\n    network:");
    assertThatThrownBy(() -> LOADER.parse(both, "conv.yaml"))
        .hasMessageContaining("network replaces hidden and activation");
    // A decoder that ends one pixel short fails before anything is trained or written.
    Path config = Files.writeString(dir.resolve("short.yaml"), ConvModelTest.CONFIG.replace(
        "- {type: conv-transpose2d, channels: 1, kernel: 4, stride: 2, padding: 1}",
        "- {type: conv-transpose2d, channels: 1, kernel: 3, stride: 2, padding: 1}"));
    CliTest.Result result = CliTest.execute("train", config.toString(), "--out", dir.resolve("run").toString());
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.err()).contains("vi4j: error: model.decoder.network[6]: conv-transpose2d takes 4×14×14 and"
        + " gives 1×27×27, but the decoder must output the data's shape 1×28×28");
    assertThat(dir.resolve("run")).doesNotExist();
  }

  @Test
  void theModelCommandPrintsEveryLayer() throws Exception {
    Path config = Path.of("../examples/conv-vae-fashion-mnist.yaml");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    CliTest.Result result;
    try {
      result = CliTest.execute("model", config.toString(), "--set",
          "data={type: sprites, train_size: 64, test_size: 16}");
    } finally {
      System.setOut(old);
    }
    assertThat(result.status()).as(result.err()).isZero();
    String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).contains("network[2]                   conv2d             64×7×7               32,832")
        .contains("network[5]                   conv-transpose2d   1×28×28                 513")
        .contains("trained parameters: 258,025");
  }
}
