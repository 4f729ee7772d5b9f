package io.vi4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.data.SpritesDataSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.TestPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String GOOD = """
      name: t
      seed: 5
      model:
        latent_dim: 3
        prior:
          type: wide-prior
          width: 7
        encoder:
          type: deep-encoder
          depth: 2
        decoder:
          type: plain-decoder
      estimator:
        type: plain-estimator
      training:
        epochs: 4
      """;

  private final ConfigLoader loader =
      new ConfigLoader(PluginRegistry.of(List.of(new TestPlugins.Alpha(), new CoreDataPlugin())));

  @Test
  void readsSpecsFillsDefaultsAndPicksTypesByName() {
    ExperimentSpec spec = loader.parse(GOOD, "good.yaml");
    assertThat(spec.seed()).isEqualTo(5L);
    assertThat(spec.model().prior()).isEqualTo(new TestPlugins.WidePriorSpec(7));
    assertThat(spec.training().epochs()).isEqualTo(4);
    assertThat(spec.training().batchSize()).isEqualTo(128);
    assertThat(spec.training().learningRate()).isEqualTo(1e-3);
    assertThat(spec.evaluation().iwaeK()).isEqualTo(1000);
    assertThat(spec.data()).isEqualTo(SpritesDataSpec.defaults());
  }

  @Test
  void theResolvedConfigRoundTrips() {
    ExperimentSpec spec = loader.parse(GOOD, "good.yaml");
    String yaml = loader.toYaml(spec);
    assertThat(yaml).contains("type: wide-prior").contains("batch_size: 128");
    assertThat(loader.parse(yaml, "resolved.yaml")).isEqualTo(spec);
  }

  @Test
  void overridesSetNestedValuesParsedAsYaml(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, GOOD);
    ExperimentSpec spec = loader.load(file,
        List.of("training.epochs=9", "model.prior.width=11", "evaluation.iwae_k=0"));
    assertThat(spec.training().epochs()).isEqualTo(9);
    assertThat(spec.model().prior()).isEqualTo(new TestPlugins.WidePriorSpec(11));
    assertThat(spec.evaluation().iwaeK()).isZero();
    assertThatThrownBy(() -> loader.load(file, List.of("seed.x=1")))
        .hasMessageContaining("'seed' is a value, not a section");
    assertThatThrownBy(() -> loader.load(file, List.of("nonsense")))
        .hasMessageContaining("expected path.to.key=value");
  }

  @Test
  void anUnknownTypeListsTheKnownNames() {
    String bad = GOOD.replace("type: plain-decoder", "type: plane-decoder");
    assertThatThrownBy(() -> loader.parse(bad, "bad.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("model.decoder")
        .hasMessageContaining("unknown likelihood type 'plane-decoder'")
        .hasMessageContaining("known likelihood types: plain-decoder");
  }

  @Test
  void aMissingTypeSaysSo() {
    String bad = GOOD.replace("    type: plain-decoder\n", "    {}\n").replace("  decoder:\n    {}", "  decoder: {}");
    assertThatThrownBy(() -> loader.parse(bad, "bad.yaml"))
        .hasMessageContaining("missing 'type' for the likelihood")
        .hasMessageContaining("plain-decoder");
  }

  @Test
  void anUnknownFieldNamesItsPathLineAndTheAcceptedFields() {
    String bad = GOOD.replace("depth: 2", "dept: 2");
    assertThatThrownBy(() -> loader.parse(bad, "bad.yaml"))
        .hasMessageContaining("bad.yaml: unknown field 'dept' in model.encoder")
        .hasMessageContaining("line 10")
        .hasMessageContaining("accepted fields: depth");
  }

  @Test
  void anInvalidValueNamesTheFieldAndWhatIsAccepted() {
    String bad = GOOD.replace("epochs: 4", "epochs: 0");
    assertThatThrownBy(() -> loader.parse(bad, "bad.yaml"))
        .hasMessageContaining("bad.yaml: training")
        .hasMessageContaining("epochs must be at least 1, got 0");
    String wrongType = GOOD.replace("epochs: 4", "epochs: many");
    assertThatThrownBy(() -> loader.parse(wrongType, "bad.yaml"))
        .hasMessageContaining("training.epochs")
        .hasMessageContaining("'many' is not a valid integer");
    String scientific = GOOD.replace("epochs: 4", "epochs: 4\n  learning_rate: 1e-3");
    assertThat(loader.parse(scientific, "ok.yaml").training().learningRate()).isEqualTo(1e-3);
    String nested = GOOD.replace("width: 7", "width: -1");
    assertThatThrownBy(() -> loader.parse(nested, "bad.yaml"))
        .hasMessageContaining("model.prior")
        .hasMessageContaining("width must be at least 1, got -1");
  }

  @Test
  void aMissingFileAndBrokenYamlAreNamed(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> loader.load(dir.resolve("none.yaml"), List.of()))
        .hasMessageContaining("none.yaml: no such config file");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "model: [unclosed\n");
    assertThatThrownBy(() -> loader.load(broken, List.of()))
        .hasMessageContaining("broken.yaml: not valid YAML or JSON");
    Path list = dir.resolve("list.yaml");
    Files.writeString(list, "- a\n- b\n");
    assertThatThrownBy(() -> loader.load(list, List.of()))
        .hasMessageContaining("a config must be a mapping");
  }

  @Test
  void missingRequiredSectionsAreNamed() {
    assertThatThrownBy(() -> loader.parse("name: x\n", "empty.yaml"))
        .hasMessageContaining("empty.yaml")
        .hasMessageContaining("model is required");
  }

  @Test
  void variantsMergeOverTheBaseAndATypedSectionReplacesTheWholeSection() throws Exception {
    var mapper = loader.mapper();
    var base = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(GOOD);
    var patch = mapper.readTree("""
        training: {batch_size: 32}
        model: {prior: {type: wide-prior}}
        """);
    ExperimentSpec merged = loader.fromTree(ConfigLoader.merge(base, patch), "merged");
    assertThat(merged.training().epochs()).isEqualTo(4);      // kept from the base
    assertThat(merged.training().batchSize()).isEqualTo(32);  // patched
    assertThat(merged.model().prior()).isEqualTo(new TestPlugins.WidePriorSpec(null)); // width not inherited
  }

  @Test
  void aCompareSectionIsValidated() {
    String withCompare = GOOD + """
        compare:
          seeds: [1, 2]
          variants:
            a: {}
            b: {training: {epochs: 1}}
        """;
    ExperimentSpec spec = loader.parse(withCompare, "cmp.yaml");
    assertThat(spec.compare().seeds()).containsExactly(1L, 2L);
    assertThat(spec.compare().variants()).containsOnlyKeys("a", "b");
    assertThatThrownBy(() -> loader.parse(GOOD + "compare: {variants: {}}\n", "cmp.yaml"))
        .hasMessageContaining("variants must name at least one variant");
    assertThatThrownBy(() -> loader.parse(GOOD + "compare: {variants: {'a/b': {}}}\n", "cmp.yaml"))
        .hasMessageContaining("variant name 'a/b'");
  }
}
