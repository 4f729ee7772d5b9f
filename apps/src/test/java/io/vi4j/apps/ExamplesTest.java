package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.config.KlWeightSpec;
import io.vi4j.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shipped example config parses with the shipped plugins, and the reference one says what it should. */
class ExamplesTest {
  private final ConfigLoader loader = new ConfigLoader(PluginRegistry.load());

  @Test
  void everyExampleParses() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../examples"))) {
      List<Path> configs = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertThat(configs).isNotEmpty();
      for (Path config : configs) {
        ExperimentSpec spec = loader.load(config, List.of());
        assertThat(loader.parse(loader.toYaml(spec), config + " (resolved)")).isEqualTo(spec);
      }
    }
  }

  @Test
  void theFashionMnistExampleIsTheReferenceVae() {
    ExperimentSpec spec = loader.load(Path.of("../examples/vae-fashion-mnist.yaml"), List.of());
    String yaml = loader.toYaml(spec);
    assertThat(spec.model().latentDim()).isEqualTo(20);
    assertThat(yaml).contains("type: fashion-mnist").contains("type: gaussian-mlp")
        .contains("type: bernoulli-mlp").contains("- 400");
    assertThat(spec.training().epochs()).isEqualTo(10);
    assertThat(spec.training().batchSize()).isEqualTo(128);
    assertThat(spec.training().learningRate()).isEqualTo(1e-3);
    assertThat(spec.evaluation().iwaeK()).isEqualTo(1000);
    assertThat(spec.evaluation().iwaeItems()).isEqualTo(1000);
  }

  /** The warm-up example is the reference VAE and a β warm-up, nothing else, so that a benchmark compares the two. */
  @Test
  void theWarmUpExampleIsTheReferenceVaeWithAKlWarmUp() {
    ExperimentSpec reference = loader.load(Path.of("../examples/vae-fashion-mnist.yaml"), List.of());
    ExperimentSpec warmup = loader.load(Path.of("../examples/vae-warmup-fashion-mnist.yaml"), List.of());
    KlWeightSpec beta = KlWeightSpec.warmup(0.0, 1.0, 5);
    assertThat(warmup).isEqualTo(new ExperimentSpec("vae-warmup-fashion-mnist", reference.seed(), reference.device(),
        reference.data(), reference.model(), reference.estimator(),
        reference.training().withSchedules(beta, null, null, null), reference.evaluation(), reference.compare(),
        reference.baseline(), new java.util.ArrayList<>(reference.excludeTrainLabels()))); // List.of: contains(null) throws
  }

  /** The two posterior-family examples are the reference VAE with another encoder of the same hidden layer. */
  @Test
  void thePosteriorFamilyExamplesAreTheReferenceVaeWithAnotherEncoder() {
    ExperimentSpec reference = loader.load(Path.of("../examples/vae-fashion-mnist.yaml"), List.of());
    var fullCovariance = new io.vi4j.plugins.encoders.FullCovarianceMlpEncoderSpec(
        List.of(400), io.vi4j.api.kit.nn.ActivationName.RELU);
    var planar = new io.vi4j.plugins.encoders.PlanarFlowMlpEncoderSpec(
        List.of(400), io.vi4j.api.kit.nn.ActivationName.RELU, 8);
    for (var example : List.of(List.of("full-covariance", fullCovariance), List.of("planar-flow", planar))) {
      String name = "vae-" + example.get(0) + "-fashion-mnist";
      ExperimentSpec spec = loader.load(Path.of("../examples/" + name + ".yaml"), List.of());
      var m = reference.model();
      var model = new io.vi4j.core.config.ModelSpec(m.latentDim(), m.prior(),
          (io.vi4j.api.plugin.VariationalFamilySpec) example.get(1), m.decoder());
      assertThat(spec).isEqualTo(new ExperimentSpec(name, reference.seed(), reference.device(), reference.data(),
          model, reference.estimator(), reference.training(), reference.evaluation(), reference.compare(),
          reference.baseline(), new java.util.ArrayList<>(reference.excludeTrainLabels())));
    }
  }
}
