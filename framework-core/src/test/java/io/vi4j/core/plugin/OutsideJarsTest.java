package io.vi4j.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.testing.OutsidePlugins;
import io.vi4j.core.testing.PluginJarBuilder;
import io.vi4j.core.testing.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins from jars outside the class path: real jars, compiled and packed in the test. */
class OutsideJarsTest {
  @TempDir static Path work;
  static PluginJarBuilder compiled;
  static Path good;

  @BeforeAll
  static void compileOnce() {
    compiled = OutsidePlugins.compile(work.resolve("build"));
    good = compiled.copy().services(OutsidePlugins.GOOD).write(work.resolve("jars/outside-prior-1.0.jar"));
  }

  private static PluginRegistry load(Path... paths) {
    return PluginRegistry.load(List.of(paths), warning -> {
      throw new AssertionError("unexpected warning: " + warning);
    });
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void aPluginLoadsFromAJarAloneInItsOwnClassLoader() throws Exception {
    // The class is on no class path: only the jar has it.
    assertThatThrownBy(() -> Class.forName(OutsidePlugins.GOOD)).isInstanceOf(ClassNotFoundException.class);
    PluginRegistry registry = load(good);
    assertThat(registry.names(ComponentKind.PRIOR)).contains(OutsidePlugins.PRIOR_NAME);
    assertThat(registry.names(ComponentKind.DATA)).contains("sprites"); // the built-in ones stay
    LoadedPlugin outside = registry.loaded().get(registry.loaded().size() - 1);
    assertThat(outside.plugin().getClass().getName()).isEqualTo(OutsidePlugins.GOOD);
    assertThat(outside.builtIn()).isFalse();
    assertThat(outside.jar().path()).isEqualTo(good);
    assertThat(outside.jar().fileName()).isEqualTo("outside-prior-1.0.jar");
    assertThat(outside.jar().sha256()).isEqualTo(sha256(good));
    assertThat(outside.components().get(ComponentKind.PRIOR)).containsExactly(OutsidePlugins.PRIOR_NAME);
    assertThat(outside.components().get(ComponentKind.DATA)).isEmpty();
    assertThat(registry.jars()).containsExactly(outside.jar());
    ClassLoader loader = outside.plugin().getClass().getClassLoader();
    assertThat(loader).isInstanceOf(PluginClassLoader.class);
    assertThat(loader.getParent()).isSameAs(PluginRegistry.class.getClassLoader());
    assertThat(registry.loaded()).filteredOn(p -> p.plugin() instanceof CoreDataPlugin)
        .singleElement().satisfies(p -> assertThat(p.source()).isEqualTo("built in"));
  }

  @Test
  void aFolderGivesItsJarsSortedByNameNotThoseOfSubfoldersAndAJarNamedTwiceLoadsOnce() throws Exception {
    Path folder = Files.createDirectories(work.resolve("folder"));
    compiled.copy().services(OutsidePlugins.GOOD).write(folder.resolve("b-outside.jar"));
    compiled.copy().services(OutsidePlugins.SECOND).write(folder.resolve("a-second.jar"));
    compiled.copy().services(OutsidePlugins.RIVAL).write(folder.resolve("sub/c-rival.jar")); // would clash
    Files.writeString(folder.resolve("notes.txt"), "not a jar");
    compiled.copy().services(OutsidePlugins.RIVAL).write(folder.resolve("d-rival.jar.bak")); // would clash
    PluginRegistry registry = load(folder, folder.resolve("b-outside.jar"));
    assertThat(registry.jars()).extracting(PluginJar::fileName).containsExactly("a-second.jar", "b-outside.jar");
    assertThat(registry.names(ComponentKind.PRIOR)).contains("second-prior", OutsidePlugins.PRIOR_NAME);
  }

  @Test
  void aFolderWithoutJarsIsAWarningNotAnError() throws Exception {
    Path empty = Files.createDirectories(work.resolve("empty"));
    List<String> warnings = new ArrayList<>();
    PluginRegistry registry = PluginRegistry.load(List.of(empty), warnings::add);
    assertThat(registry.jars()).isEmpty();
    assertThat(warnings).containsExactly(empty + ": no *.jar files in this plugin folder; no plugins loaded from it");
  }

  private static AbstractThrowableAssert<?, ?> refused(Path jar) {
    return assertThatThrownBy(() -> load(jar)).isInstanceOf(PluginException.class)
        .hasMessageStartingWith(jar + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void everyBrokenJarIsNamedWithWhatIsWrong() throws Exception {
    Path dir = Files.createDirectories(work.resolve("broken"));
    refused(dir.resolve("missing.jar")).hasMessage(dir.resolve("missing.jar") + ": no such plugin jar or folder");

    Path corrupt = Files.writeString(dir.resolve("corrupt.jar"), "this is not a zip file");
    refused(corrupt).hasMessageContaining("not a jar (zip) file (");

    Path cut = dir.resolve("cut.jar");
    byte[] whole = Files.readAllBytes(good);
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    refused(cut).hasMessageContaining("not a jar (zip) file");

    Path noServices = compiled.copy().write(dir.resolve("no-services.jar"));
    refused(noServices).hasMessage(noServices + ": not a vi4j plugin jar: it has no " + PluginJarBuilder.SERVICES);

    Path emptyServices = compiled.copy().services("# nothing here").write(dir.resolve("empty-services.jar"));
    refused(emptyServices).hasMessage(emptyServices + ": " + PluginJarBuilder.SERVICES + " names no plugin class");

    Path badLine = compiled.copy().services("not a class!").write(dir.resolve("bad-line.jar"));
    refused(badLine).hasMessage(badLine + ": " + PluginJarBuilder.SERVICES + " line 1: 'not a class!' is not a class name");

    Path missingClass = compiled.copy().services(OutsidePlugins.GOOD).without(OutsidePlugins.GOOD)
        .write(dir.resolve("missing-class.jar"));
    refused(missingClass).hasMessage(missingClass + ": " + PluginJarBuilder.SERVICES + " names "
        + OutsidePlugins.GOOD + ", which is not in the jar");

    Path notAPlugin = compiled.copy().services(OutsidePlugins.NOT_A_PLUGIN).write(dir.resolve("not-a-plugin.jar"));
    refused(notAPlugin).hasMessage(notAPlugin + ": " + OutsidePlugins.NOT_A_PLUGIN
        + " is not a vi4j plugin (it does not extend io.vi4j.api.plugin.Vi4jPlugin)");

    Path constructor = compiled.copy().services(OutsidePlugins.THROWING_CONSTRUCTOR).write(dir.resolve("ctor.jar"));
    refused(constructor).hasMessage(constructor + ": the constructor of " + OutsidePlugins.THROWING_CONSTRUCTOR
        + " failed: java.lang.IllegalStateException: no licence found");

    Path configure = compiled.copy().services(OutsidePlugins.THROWING_CONFIGURE).write(dir.resolve("configure.jar"));
    refused(configure).hasMessage(configure + ": plugin " + OutsidePlugins.THROWING_CONFIGURE
        + " could not be wired: its configure() threw java.lang.IllegalStateException: bad wiring");

    Path oldApi = compiled.copy().services(OutsidePlugins.OLD_API).write(dir.resolve("old-api.jar"));
    refused(oldApi).hasMessage(oldApi + ": built against another vi4j API (java.lang.NoClassDefFoundError:"
        + " io/vi4j/api/plugin/GoneInThisVersion)");

    Path unshaded = compiled.copy().services(OutsidePlugins.MISSING_DEPENDENCY).write(dir.resolve("unshaded.jar"));
    refused(unshaded).hasMessage(unshaded + ": needs class " + OutsidePlugins.LIBRARY + ", which is neither in the"
        + " jar nor in vi4j; shade the plugin's dependencies into its jar (java.lang.NoClassDefFoundError:"
        + " com/acme/lib/Helper)");

    String goodClass = OutsidePlugins.GOOD.replace('.', '/') + ".class";
    Path newerJava = compiled.copy().services(OutsidePlugins.GOOD)
        .entry(goodClass, OutsidePlugins.fromNewerJava(compiled.entry(goodClass))).write(dir.resolve("newer.jar"));
    refused(newerJava).hasMessageContaining(": compiled for a newer Java than this one (Java ")
        .hasMessageContaining("UnsupportedClassVersionError");
  }

  @Test
  void twoJarsRegisteringOneNameFailNamingBothJars() throws Exception {
    Path rival = compiled.copy().services(OutsidePlugins.RIVAL).write(work.resolve("clash/rival.jar"));
    assertThatThrownBy(() -> load(good, rival)).isInstanceOf(PluginException.class)
        .hasMessage("two plugins register the prior '" + OutsidePlugins.PRIOR_NAME + "': " + OutsidePlugins.GOOD
            + " (" + good + ") and " + OutsidePlugins.RIVAL + " (" + rival + "); remove one of the jars or rename"
            + " one component");
    Path sprites = compiled.copy().services(OutsidePlugins.BUILT_IN_CLASH).write(work.resolve("clash/sprites.jar"));
    assertThatThrownBy(() -> load(sprites)).isInstanceOf(PluginException.class)
        .hasMessage("two plugins register the data 'sprites': " + CoreDataPlugin.class.getName() + " (built in) and "
            + OutsidePlugins.BUILT_IN_CLASH + " (" + sprites + "); remove one of the jars or rename one component");
  }

  @Test
  void theJarsAConfigUsesAreThoseOfItsSpecs() throws Exception {
    PluginRegistry registry = load(good);
    Class<?> specType = registry.namedSpecTypes().stream()
        .filter(t -> OutsidePlugins.PRIOR_NAME.equals(t.getName())).findFirst().orElseThrow().getType();
    Object spec = specType.getConstructor(Double.class).newInstance(0.5);
    record Config(String name, List<Object> parts) {}
    assertThat(registry.jarsUsedBy(new Config("x", List.of(new TestPlugins.WidePriorSpec(3), spec))))
        .containsExactly(registry.jars().get(0));
    assertThat(registry.jarsUsedBy(new Config("x", List.of(new TestPlugins.WidePriorSpec(3))))).isEmpty();
  }
}
