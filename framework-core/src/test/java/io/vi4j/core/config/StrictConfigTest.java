package io.vi4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.data.CsvDataSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.TestPlugins;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How strictly configs are read: integers, quoted values, empty overrides, NaN and infinities, anchors,
 * aliases and tags, the size cap, encodings, run names, and messages that stay one printable line.
 */
class StrictConfigTest {
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

  private AbstractThrowableAssert<?, ? extends Throwable> refused(String text) {
    return assertThatThrownBy(() -> loader.parse(text, "bad.yaml")).isInstanceOf(ConfigException.class);
  }

  private Path write(Path dir, String text) throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void aFractionIsNotAnInteger(@TempDir Path dir) throws IOException {
    refused(GOOD.replace("latent_dim: 3", "latent_dim: 8.5"))
        .hasMessage("bad.yaml: model.latent_dim (line 4, column 3): expected an integer, got 8.5");
    refused(GOOD.replace("epochs: 4", "epochs: 1e3")).hasMessageContaining("expected an integer, got 1e3");
    refused(GOOD.replace("seed: 5", "seed: 5.0")).hasMessageContaining("seed (line 2, column 1): expected an integer");
    assertThatThrownBy(() -> loader.load(write(dir, GOOD), List.of("training.epochs=1.99")))
        .hasMessageEndingWith("training.epochs: expected an integer, got 1.99");
    assertThat(loader.parse(GOOD.replace("epochs: 4", "epochs: 4\n  learning_rate: 1"), "ok.yaml")
        .training().learningRate()).isEqualTo(1.0);
  }

  @Test
  void aQuotedValueIsAStringNotANumberOrABoolean() {
    refused(GOOD.replace("epochs: 4", "epochs: \"3\"")).hasMessage(
        "bad.yaml: training.epochs (line 16, column 3): expected an integer, got the string '3'; write numbers"
            + " without quotes");
    refused(GOOD.replace("epochs: 4", "epochs: 4\n  learning_rate: '0.1'"))
        .hasMessageContaining("training.learning_rate (line 17, column 3): expected a number, got the string '0.1'");
    String csv = GOOD.replace("seed: 5", "seed: 5\ndata: {type: csv, train: a.csv, test: b.csv, header: HEADER}");
    refused(csv.replace("HEADER", "'true'"))
        .hasMessageContaining("data.header")
        .hasMessageContaining("expected a boolean (true or false), got the string 'true'; write true or false");
    refused(csv.replace("HEADER", "1")).hasMessageContaining("data.header").hasMessageContaining("expected a boolean");
    // YAML 1.1's yes, no, on and off are strings, as in YAML 1.2: no silent 'false' for a name
    refused(csv.replace("HEADER", "yes")).hasMessageContaining("'yes' is not a valid boolean");
    assertThat(((CsvDataSpec) loader.parse(csv.replace("HEADER", "true"), "ok.yaml").data()).header()).isTrue();
    assertThat(loader.parse(GOOD.replace("name: t", "name: no"), "ok.yaml").name()).isEqualTo("no");
    refused(GOOD.replace("epochs: 4", "epochs: many"))
        .hasMessageContaining("training.epochs (line 16, column 3): 'many' is not a valid integer");
  }

  @Test
  void anEmptySetValueIsRefusedAndNullMeansTheDefault(@TempDir Path dir) throws IOException {
    Path file = write(dir, GOOD);
    assertThatThrownBy(() -> loader.load(file, List.of("training.epochs=")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--set training.epochs=: no value given; to use the default, leave the --set out (or write"
            + " training.epochs=null)");
    assertThatThrownBy(() -> loader.load(file, List.of("training.epochs=  ")))
        .hasMessageContaining("no value given");
    assertThatThrownBy(() -> loader.load(file, List.of("training.epochs=# nothing")))
        .hasMessageContaining("no value given");
    assertThat(loader.load(file, List.of("training.epochs=null")).training().epochs()).isEqualTo(10);
    for (String path : List.of(".=3", "a..b=3", "training.=3", ".training.epochs=3")) {
      assertThatThrownBy(() -> loader.load(file, List.of(path)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("has an empty key; expected path.to.key=value");
    }
  }

  @Test
  void nanAndInfinitiesAreReadAsNumbersAndRefusedByTheFieldsRangeChecks(@TempDir Path dir) throws IOException {
    refused(GOOD.replace("epochs: 4", "epochs: 4\n  learning_rate: .nan"))
        .hasMessage("bad.yaml: training (line 15, column 1): learning_rate must be a positive finite number, got NaN");
    List<String> fields = List.of("learning_rate", "beta1", "beta2", "epsilon", "clip_gradient");
    for (String field : fields) {
      for (String value : List.of(".nan", ".NaN", ".inf", "-.inf", "+.INF")) {
        refused(GOOD.replace("epochs: 4", "epochs: 4\n  " + field + ": " + value))
            .as("%s: %s", field, value)
            .hasMessageStartingWith("bad.yaml: training (line 15, column 1): " + field + " must be ")
            .hasMessageMatching(".*got (NaN|-?Infinity)$");
      }
    }
    String csv = GOOD.replace("seed: 5", "seed: 5\ndata: {type: csv, train: a.csv, test: b.csv, scale: .inf}");
    refused(csv).hasMessageContaining("data").hasMessageContaining("scale: Infinity is not accepted");
    refused(GOOD.replace("width: 7", "width: .nan")).hasMessageContaining("model.prior.width")
        .hasMessageContaining("expected an integer, got .nan");
    assertThatThrownBy(() -> loader.load(write(dir, GOOD), List.of("training.beta2=.inf")))
        .hasMessageEndingWith("training: beta2 must be in [0.0, 1.0), got Infinity");
    refused(GOOD + "device: .nan\n").hasMessageContaining("device must be one of auto, cpu, gpu; got '.nan'");
  }

  @Test
  void anchorsAliasesAndTagsAreRefusedWithTheirLine(@TempDir Path dir) throws IOException {
    refused(GOOD.replace("width: 7", "width: &w 7").replace("depth: 2", "depth: *w"))
        .hasMessage("bad.yaml: model.prior.width (line 7, column 12): YAML anchors and aliases (&w, *w) are not"
            + " supported; write the value out");
    refused(GOOD.replace("training:\n  epochs: 4", "training: &t\n  epochs: 4\nx: *t"))
        .hasMessageContaining("bad.yaml: training (line 15, column 11): YAML anchors and aliases (&t, *t)");
    refused("base: &b {seed: 1}\n<<: *b\n").hasMessageContaining("line 1").hasMessageContaining("&b, *b");
    refused(GOOD.replace("depth: 2", "depth: *nowhere"))
        .hasMessageContaining("model.encoder.depth (line 10, column 12): YAML anchors and aliases (&nowhere, *nowhere)");
    refused(GOOD.replace("epochs: 4", "epochs: !!str 4"))
        .hasMessage("bad.yaml: training.epochs (line 16, column 11): YAML tags ('!!str') are not supported; write"
            + " the value without its tag (in quotes for a string)");
    refused(GOOD.replace("  prior:\n    type: wide-prior", "  prior: !wide-prior\n    type: wide-prior"))
        .hasMessageContaining("YAML tags ('!wide-prior') are not supported");
    refused(GOOD.replace("name: t", "name: !!binary aGk")).hasMessageContaining("name (line 1, column 7): YAML tags"
        + " ('!!binary') are not supported");
    assertThatThrownBy(() -> loader.load(write(dir, GOOD), List.of("name=&a x")))
        .hasMessage("--set name=&a x: line 1, column 1: YAML anchors and aliases (&a, *a) are not supported;"
            + " write the value out");
  }

  @Test
  void aConfigFileOverTheCapIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.yaml");
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(100L << 20); // sparse: 100 MB of zeros, never read
    }
    assertThatThrownBy(() -> loader.load(big, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(big + ": 104857600 bytes; a config is at most " + ConfigLoader.MAX_CONFIG_BYTES + " bytes");
    Path justOver = dir.resolve("over.yaml");
    Files.writeString(justOver, GOOD + "#".repeat(ConfigLoader.MAX_CONFIG_BYTES - GOOD.length() + 1));
    assertThatThrownBy(() -> loader.load(justOver, List.of())).hasMessageContaining("a config is at most");
    Path atCap = dir.resolve("cap.yaml");
    Files.writeString(atCap, GOOD + "#".repeat(ConfigLoader.MAX_CONFIG_BYTES - GOOD.length()));
    assertThat(loader.load(atCap, List.of()).training().epochs()).isEqualTo(4);
    assertThatThrownBy(() -> loader.load(dir, List.of()))
        .hasMessage(dir + ": is a directory, not a config file");
  }

  @Test
  @Timeout(30)
  void aDeviceIsReadThroughABoundedStream() {
    Path zero = Path.of("/dev/zero");
    assumeThat(Files.exists(zero)).isTrue();
    assertThatThrownBy(() -> loader.load(zero, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("/dev/zero: more than " + ConfigLoader.MAX_CONFIG_BYTES + " bytes; a config is at most "
            + ConfigLoader.MAX_CONFIG_BYTES + " bytes");
  }

  @Test
  void commandLineTextHasACapToo(@TempDir Path dir) throws IOException {
    String huge = "x".repeat(ConfigLoader.MAX_INLINE_CHARS + 1);
    assertThatThrownBy(() -> loader.load(write(dir, GOOD), List.of("name=" + huge)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a --set is at most " + ConfigLoader.MAX_INLINE_CHARS + " characters");
    assertThatThrownBy(() -> loader.parseSection("{type: wide-prior, x: '" + huge + "'}",
        io.vi4j.api.plugin.PriorSpec.class, "--prior"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--prior: ")
        .hasMessageContaining("a section on the command line is at most " + ConfigLoader.MAX_INLINE_CHARS);
    assertThatThrownBy(() -> loader.parseSection("[1, 2]", io.vi4j.api.plugin.PriorSpec.class, "--prior"))
        .hasMessage("--prior: expected a section such as {type: NAME, key: value}");
  }

  @Test
  void aFileNotInUtf8IsNamedWithItsFirstBadByte(@TempDir Path dir) throws IOException {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, ("name: t\nseed: 5\n# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> loader.load(latin1, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(latin1 + ": not UTF-8 text (byte 0xE9 at offset 21, line 3); save the config as UTF-8");
    Path utf16 = dir.resolve("utf16.yaml");
    Files.write(utf16, GOOD.getBytes(StandardCharsets.UTF_16));
    assertThatThrownBy(() -> loader.load(utf16, List.of())).hasMessageContaining("UTF-16 text");
    Path bom = dir.resolve("bom.yaml");
    Files.write(bom, ("\ufeff" + GOOD).getBytes(StandardCharsets.UTF_8));
    assertThat(loader.load(bom, List.of()).name()).isEqualTo("t");
  }

  @Test
  void aSectionWithoutFieldsSaysSoInsteadOfAnEmptyList() {
    refused(GOOD.replace("    type: plain-decoder", "    type: plain-decoder\n    foo: 1"))
        .hasMessage("bad.yaml: unknown field 'foo' in model.decoder (line 13, column 5); this section has no"
            + " fields besides 'type'");
  }

  @Test
  void aKindWithoutRegisteredTypesSaysSoInsteadOfAnEmptyList() {
    refused("baseline: {type: gmm}\n").hasMessage("bad.yaml: baseline (line 1, column 1): unknown baseline type"
        + " 'gmm'; no baseline types are registered (is the plugin's jar loaded? give it with --plugins JAR)");
  }

  @Test
  void theNameMustBeUsableInADirectoryName() {
    for (String bad : List.of("../../../x", "a/b", ".hidden", "-rf", "", "a b", "x".repeat(101), "caf\u00e9")) {
      refused(GOOD.replace("name: t", "name: '" + bad + "'"))
          .as(bad)
          .hasMessageContaining("name: '")
          .hasMessageContaining("is not accepted: a name is used in the run directory's name; use letters,"
              + " digits, '.', '_' and '-'");
    }
    refused(GOOD.replace("name: t", "name: ../../x"))
        .hasMessageStartingWith("bad.yaml: (top level): name: '../../x' is not accepted");
    for (String good : List.of("t", "vae-fashion-mnist", "run_1.2", "_x", "x".repeat(100))) {
      assertThat(loader.parse(GOOD.replace("name: t", "name: " + good), "ok.yaml").name()).isEqualTo(good);
    }
    assertThat(loader.parse(GOOD.replace("name: t\n", ""), "ok.yaml").name()).isEqualTo("experiment");
  }

  @Test
  void textFromTheFileIsEscapedAndEveryMessageIsOneLine() {
    String escape = GOOD.replace("depth: 2", "\"dep\\e[31mth\\u202e\": 2");
    refused(escape).hasMessage("bad.yaml: unknown field 'dep\\x1B[31mth\\u202E' in model.encoder (line 10, column 5);"
        + " accepted fields: depth");
    refused(GOOD.replace("type: plain-decoder", "type: \"x\\ny\\u0007\""))
        .hasMessageContaining("unknown likelihood type 'x\\ny\\x07'");
    refused(GOOD.replace("type: plain-decoder", "type: " + "z".repeat(5000)))
        .hasMessageContaining("unknown likelihood type '" + "z".repeat(80) + "...' (5000 characters)");
    refused("name:\tt\n\tx: 1\n").hasMessageStartingWith("bad.yaml: not valid YAML or JSON: found character")
        .hasMessageContaining("(line 1, column 6)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\t").doesNotContain("^"));
    refused("model: [unclosed\n").hasMessage("bad.yaml: not valid YAML or JSON: expected ',' or ']', but got"
        + " <stream end> (line 2, column 1), while parsing a flow sequence from line 1, column 8");
    refused("name: \u001b[31mred\n").hasMessage("bad.yaml: character U+001B is not allowed in YAML (line 1,"
        + " column 7); inside double quotes, write it as the escape \\x1B");
    refused("seed: 1\nseed: 2\n").hasMessageStartingWith("bad.yaml: not valid YAML or JSON: key 'seed' is given"
        + " twice (line 2, ");
    refused(GOOD + "---\nname: u\n").hasMessageContaining("more than one YAML document");
    refused("? [a]\n: 1\n").hasMessageContaining("a key must be a single value");
  }

  @Test
  @Timeout(60)
  void aDeeplyNestedOrRepetitiveConfigEndsInAConfigError() {
    refused("model: " + "[".repeat(100_000)).hasMessageStartingWith("bad.yaml: ");
    refused("model: " + "{a: ".repeat(20_000)).hasMessageStartingWith("bad.yaml: ");
    refused("seed: 1" + "0".repeat(5000) + "\n").hasMessageStartingWith("bad.yaml: ");
    refused("x: " + "[".repeat(2000) + "]".repeat(2000)).hasMessage("bad.yaml: not valid YAML or JSON: too large:"
        + " Document nesting depth (1001) exceeds the maximum allowed (1000)");
  }
}
