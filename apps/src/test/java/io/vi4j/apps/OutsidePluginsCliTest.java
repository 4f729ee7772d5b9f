package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vi4j.core.testing.OutsidePlugins;
import io.vi4j.core.testing.PluginJarBuilder;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --plugins}, {@code VI4J_PLUGINS} and {@code vi4j plugins} with real jars built in the test: the
 * example plugin's Laplace prior (compiled from plugins/example-plugin, which is not on this module's class
 * path) and broken jars; a run trained with an outside jar and read back without it, with it, and with
 * another build of it.
 */
class OutsidePluginsCliTest {
  private static final String LAPLACE_PLUGIN = "com.example.vi4j.laplace.LaplacePlugin";
  private static final Path EXAMPLE_PLUGIN = Path.of("../plugins/example-plugin/src/main");

  @TempDir static Path work;
  static PluginJarBuilder laplaceBuild;
  static Path laplace;
  static String laplaceSha;
  static PluginJarBuilder outside;

  record Result(int status, String out, String err) {}

  static Result execute(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Vi4jCommand.commandLine(environment);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  static Result execute(String... args) {
    return execute(Map.of(), args);
  }

  @BeforeAll
  static void buildJars() throws Exception {
    laplaceBuild = PluginJarBuilder.compileTree(work.resolve("build"), EXAMPLE_PLUGIN.resolve("java"),
        EXAMPLE_PLUGIN.resolve("resources"));
    laplace = laplaceBuild.copy().write(work.resolve("jars/laplace-prior-1.0.jar"));
    laplaceSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(laplace)));
    outside = OutsidePlugins.compile(work.resolve("build"));
  }

  @Test
  void theLaplacePluginIsNotOnTheClassPathAndCannotBeUsedWithoutItsJar(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Class.forName(LAPLACE_PLUGIN)).isInstanceOf(ClassNotFoundException.class);
    Result result = execute("train", laplaceConfig(dir).toString(), "--out", dir.resolve("run").toString());
    assertThat(result.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(result.err()).contains("unknown prior type 'laplace'").contains("--plugins");
  }

  @Test
  void pluginsListsBuiltInAndOutsidePluginsWithTheirNames() throws Exception {
    Result table = execute("plugins", "--plugins", laplace.toString());
    assertThat(table.status()).as(table.err()).isZero();
    assertThat(table.out()).containsPattern("io\\.vi4j\\.plugins\\.priors\\.PriorsPlugin +\\(built in\\)")
        .containsPattern(LAPLACE_PLUGIN.replace(".", "\\.") + " +" + java.util.regex.Pattern.quote(laplace.toString())
            + " \\(sha256 " + laplaceSha.substring(0, 12) + "\\)")
        .contains("    prior: laplace").contains("    prior: mixture, standard-normal, vamp").contains("    density: made")
        .contains("    variational family: deterministic-mlp, full-covariance-mlp, gaussian-mlp, per-item-gaussian,"
            + " planar-flow-mlp");

    Result json = execute("--plugins", laplace.toString(), "plugins", "--json"); // before the command, too
    assertThat(json.status()).as(json.err()).isZero();
    JsonNode plugins = new ObjectMapper().readTree(json.out()).get("plugins");
    JsonNode outsideEntry = find(plugins, LAPLACE_PLUGIN);
    assertThat(outsideEntry.get("built_in").asBoolean()).isFalse();
    assertThat(outsideEntry.get("jar").asText()).isEqualTo(laplace.toAbsolutePath().normalize().toString());
    assertThat(outsideEntry.get("sha256").asText()).isEqualTo(laplaceSha);
    assertThat(outsideEntry.get("components").get("prior").get(0).asText()).isEqualTo("laplace");
    assertThat(outsideEntry.get("components").get("variational_family")).isEmpty();
    JsonNode builtIn = find(plugins, "io.vi4j.plugins.priors.PriorsPlugin");
    assertThat(builtIn.get("built_in").asBoolean()).isTrue();
    assertThat(builtIn.get("jar").isNull()).isTrue();

    Result without = execute("plugins");
    assertThat(without.out()).doesNotContain(LAPLACE_PLUGIN).contains("(built in)");
  }

  private static JsonNode find(JsonNode plugins, String className) {
    for (JsonNode plugin : plugins) {
      if (plugin.get("class").asText().equals(className)) {
        return plugin;
      }
    }
    throw new AssertionError(className + " not listed: " + plugins);
  }

  @Test
  void theEnvironmentVariableAndFoldersLoadJarsAsTheOptionDoes(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(laplace, folder.resolve("laplace-prior-1.0.jar"));
    outside.copy().services(OutsidePlugins.SECOND).write(folder.resolve("second.jar"));
    // Empty entries are skipped; the folder's jar given again with --plugins loads once.
    String variable = File.pathSeparator + folder + File.pathSeparator;
    Result result = execute(Map.of(Vi4jCommand.PLUGINS_VARIABLE, variable), "plugins", "--json",
        "--plugins", folder.resolve("laplace-prior-1.0.jar").toString());
    assertThat(result.status()).as(result.err()).isZero();
    assertThat(result.err()).isEmpty();
    JsonNode plugins = new ObjectMapper().readTree(result.out()).get("plugins");
    assertThat(find(plugins, LAPLACE_PLUGIN).get("jar").asText()).endsWith("laplace-prior-1.0.jar");
    assertThat(find(plugins, OutsidePlugins.SECOND).get("components").get("prior").get(0).asText())
        .isEqualTo("second-prior");
  }

  @Test
  void aFolderWithoutJarsIsAWarning(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Result result = execute("plugins", "--plugins", empty.toString());
    assertThat(result.status()).isZero();
    assertThat(result.err()).isEqualTo("vi4j: warning: " + empty
        + ": no *.jar files in this plugin folder; no plugins loaded from it" + System.lineSeparator());
  }

  /** Asserts one error line that starts with the jar, and exit status 2. */
  private static void refused(Result result, String line) {
    assertThat(result.status()).as(result.err()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(result.err()).isEqualTo(line + System.lineSeparator());
  }

  @Test
  void everyBrokenJarIsOneErrorLineNamingTheJar(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.jar");
    refused(execute("plugins", "--plugins", missing.toString()),
        "vi4j: error: " + missing + ": no such plugin jar or folder (given by --plugins)");
    refused(execute(Map.of(Vi4jCommand.PLUGINS_VARIABLE, missing.toString()), "plugins"),
        "vi4j: error: " + missing + ": no such plugin jar or folder (given by VI4J_PLUGINS)");

    Path corrupt = Files.writeString(dir.resolve("corrupt.jar"), "not a zip");
    refused(execute("plugins", "--plugins", corrupt.toString()),
        "vi4j: error: " + corrupt + ": not a jar (zip) file (zip END header not found)");

    Path missingClass = outside.copy().services(OutsidePlugins.GOOD).without(OutsidePlugins.GOOD)
        .write(dir.resolve("missing-class.jar"));
    refused(execute("plugins", "--plugins", missingClass.toString()), "vi4j: error: " + missingClass + ": "
        + PluginJarBuilder.SERVICES + " names " + OutsidePlugins.GOOD + ", which is not in the jar");

    Path notAPlugin = outside.copy().services(OutsidePlugins.NOT_A_PLUGIN).write(dir.resolve("not-a-plugin.jar"));
    refused(execute("plugins", "--plugins", notAPlugin.toString()), "vi4j: error: " + notAPlugin + ": "
        + OutsidePlugins.NOT_A_PLUGIN + " is not a vi4j plugin (it does not extend io.vi4j.api.plugin.Vi4jPlugin)");

    Path constructor = outside.copy().services(OutsidePlugins.THROWING_CONSTRUCTOR).write(dir.resolve("ctor.jar"));
    refused(execute("plugins", "--plugins", constructor.toString()), "vi4j: error: " + constructor
        + ": the constructor of " + OutsidePlugins.THROWING_CONSTRUCTOR
        + " failed: java.lang.IllegalStateException: no licence found");

    Path configure = outside.copy().services(OutsidePlugins.THROWING_CONFIGURE).write(dir.resolve("configure.jar"));
    refused(execute("plugins", "--plugins", configure.toString()), "vi4j: error: " + configure + ": plugin "
        + OutsidePlugins.THROWING_CONFIGURE + " could not be wired: its configure() threw"
        + " java.lang.IllegalStateException: bad wiring");

    Path oldApi = outside.copy().services(OutsidePlugins.OLD_API).write(dir.resolve("old-api.jar"));
    refused(execute("plugins", "--plugins", oldApi.toString()), "vi4j: error: " + oldApi
        + ": built against another vi4j API (java.lang.NoClassDefFoundError: io/vi4j/api/plugin/GoneInThisVersion)");

    Path rival = outside.copy().services(OutsidePlugins.RIVAL).write(dir.resolve("rival.jar"));
    Path good = outside.copy().services(OutsidePlugins.GOOD).write(dir.resolve("good.jar"));
    refused(execute("plugins", "--plugins", good.toString(), "--plugins", rival.toString()),
        "vi4j: error: two plugins register the prior 'outside-prior': " + OutsidePlugins.GOOD + " (" + good + ") and "
            + OutsidePlugins.RIVAL + " (" + rival + "); remove one of the jars or rename one component");

    // Every command loads the plugins: a broken jar stops a train as it stops plugins.
    refused(execute("train", laplaceConfig(dir).toString(), "--plugins", corrupt.toString()),
        "vi4j: error: " + corrupt + ": not a jar (zip) file (zip END header not found)");
  }

  private static Path laplaceConfig(Path dir) throws Exception {
    Path config = dir.resolve("laplace.yaml");
    Files.writeString(config, Files.readString(Path.of("../examples/quickstart.yaml"))
        .replace("type: standard-normal", "type: laplace\n    scale: 0.8"));
    return config;
  }

  @Test
  void aRunRecordsItsOutsideJarAndIsReadBackOnlyWithThatBuild(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    List<String> train = new ArrayList<>(List.of("train", laplaceConfig(dir).toString(), "--out", run.toString(),
        "--set", "data.train_size=300", "--set", "data.test_size=60", "--set", "training.epochs=1",
        "--set", "evaluation.iwae_k=5", "--set", "evaluation.iwae_items=20", "--no-progress",
        "--plugins", laplace.toString()));
    Result trained = execute(train.toArray(String[]::new));
    assertThat(trained.status()).as(trained.err()).isZero();
    JsonNode record = new ObjectMapper().readTree(run.resolve("run.json").toFile());
    assertThat(record.get("plugins")).hasSize(1);
    assertThat(record.get("plugins").get(0).get("name").asText()).isEqualTo("laplace-prior-1.0.jar");
    assertThat(record.get("plugins").get(0).get("sha256").asText()).isEqualTo(laplaceSha);

    String notLoaded = "vi4j: error: " + run + ": trained with plugin jar laplace-prior-1.0.jar (sha256 " + laplaceSha
        + "), which is not loaded; give it with --plugins PATH or VI4J_PLUGINS";
    refused(execute("evaluate", run.toString()), notLoaded);
    refused(execute("sample", run.toString(), "--count", "4"), notLoaded);
    refused(execute("score", run.toString()), notLoaded);

    Result evaluated = execute(Map.of(Vi4jCommand.PLUGINS_VARIABLE, laplace.toString()), "evaluate", run.toString());
    assertThat(evaluated.status()).as(evaluated.err()).isZero();
    assertThat(run.resolve("evaluation.json")).isRegularFile();

    Path otherBuild = laplaceBuild.copy().entry("NOTICE", "rebuilt".getBytes(StandardCharsets.UTF_8))
        .write(dir.resolve("other/laplace-prior-1.0.jar"));
    String otherSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(otherBuild)));
    refused(execute("evaluate", run.toString(), "--plugins", otherBuild.toString()),
        "vi4j: error: " + run + ": trained with plugin jar laplace-prior-1.0.jar (sha256 " + laplaceSha
            + "), but the loaded " + otherBuild + " is another build (sha256 " + otherSha + "), which may compute other"
            + " figures; load the jar the run was trained with, or train the run again with this one");

    // A killed run (run.json says training) is not resumed without its jar either.
    Path killed = dir.resolve("killed");
    Files.createDirectories(killed);
    for (String file : List.of("config.yaml", "run.json")) {
      Files.copy(run.resolve(file), killed.resolve(file));
    }
    Files.writeString(killed.resolve("run.json"),
        Files.readString(killed.resolve("run.json")).replace("\"finished\"", "\"training\""));
    refused(execute("train", "--resume", killed.toString()), notLoaded.replace(run.toString(), killed.toString()));
  }
}
