package io.vi4j.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.core.plugin.PluginException;
import io.vi4j.core.plugin.PluginJar;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.OutsidePlugins;
import io.vi4j.core.testing.PluginJarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run records the outside plugin jars its config uses, and reading it back checks them. */
class RunPluginsTest {
  private static final DataFingerprint DATA = new DataFingerprint(10, 5, 3, "ab".repeat(32));

  @TempDir static Path work;
  static PluginJarBuilder compiled;
  static Path jar;
  static PluginJar loaded;

  @BeforeAll
  static void buildTheJar() {
    compiled = OutsidePlugins.compile(work.resolve("build")).services(OutsidePlugins.GOOD);
    jar = compiled.copy().write(work.resolve("jars/outside-prior-1.0.jar"));
    loaded = registry(jar).jars().get(0);
  }

  private static PluginRegistry registry(Path... jars) {
    return PluginRegistry.load(List.of(jars), warning -> {});
  }

  private static Path finishedRun(Path root, List<RunRecord.PluginFile> plugins) throws Exception {
    try (RunDirectory run = RunDirectory.create(root)) {
      run.begin(root.getParent(), DATA, plugins);
      run.writeText(RunDirectory.CONFIG, "name: x\n");
      run.finish();
    }
    return root;
  }

  @Test
  void theRecordListsTheJarsAndKeepsThemThroughTheRunsLife(@TempDir Path dir) throws Exception {
    var file = new RunRecord.PluginFile(loaded.fileName(), loaded.sha256());
    Path root = finishedRun(dir.resolve("run"), List.of(file));
    assertThat(RunDirectory.open(root).record().orElseThrow().plugins()).containsExactly(file);
    assertThat(Files.readString(root.resolve(RunDirectory.RECORD)))
        .contains("\"plugins\"").contains("\"name\" : \"outside-prior-1.0.jar\"")
        .contains("\"sha256\" : \"" + loaded.sha256() + "\"");
  }

  @Test
  void aRunWithoutOutsideJarsWritesNoListAndOldRecordsReadAsUsingNone(@TempDir Path dir) throws Exception {
    Path root = finishedRun(dir.resolve("run"), List.of());
    assertThat(Files.readString(root.resolve(RunDirectory.RECORD))).doesNotContain("plugins");
    assertThat(RunDirectory.open(root).record().orElseThrow().plugins()).isEmpty();
    Files.writeString(root.resolve(RunDirectory.RECORD), """
        {"format": "vi4j-run", "version": 1, "state": "finished", "data_directory": "/data",
         "started": "2026-01-01T00:00:00Z", "ended": "2026-01-01T00:01:00Z"}
        """, StandardCharsets.UTF_8);
    RunDirectory old = RunDirectory.open(root);
    assertThat(old.record().orElseThrow().plugins()).isEmpty();
    RunChecks.checkSamePlugins(old, registry()); // nothing recorded: nothing to check
  }

  @Test
  void aRecordedJarMustBeLoadedAsTheSameBuild(@TempDir Path dir) throws Exception {
    RunDirectory run = RunDirectory.open(
        finishedRun(dir.resolve("run"), List.of(new RunRecord.PluginFile(loaded.fileName(), loaded.sha256()))));
    RunChecks.checkSamePlugins(run, registry(jar));

    assertThatThrownBy(() -> RunChecks.checkSamePlugins(run, registry()))
        .isInstanceOf(PluginException.class)
        .hasMessage(run.root() + ": trained with plugin jar outside-prior-1.0.jar (sha256 " + loaded.sha256()
            + "), which is not loaded; give it with --plugins PATH or VI4J_PLUGINS");

    Path otherBuild = compiled.copy().entry("NOTICE", "rebuilt".getBytes(StandardCharsets.UTF_8))
        .write(dir.resolve("other/outside-prior-1.0.jar"));
    PluginRegistry other = registry(otherBuild);
    assertThatThrownBy(() -> RunChecks.checkSamePlugins(run, other))
        .isInstanceOf(PluginException.class)
        .hasMessage(run.root() + ": trained with plugin jar outside-prior-1.0.jar (sha256 " + loaded.sha256()
            + "), but the loaded " + otherBuild + " is another build (sha256 " + other.jars().get(0).sha256()
            + "), which may compute other figures; load the jar the run was trained with, or train the run again"
            + " with this one");

    // The same bytes under another name are the same build.
    Path renamed = Files.copy(jar, dir.resolve("renamed.jar"));
    RunChecks.checkSamePlugins(run, registry(renamed));
  }

  @Test
  void severalMissingJarsAreNamedTogether(@TempDir Path dir) throws Exception {
    RunDirectory run = RunDirectory.open(finishedRun(dir.resolve("run"), List.of(
        new RunRecord.PluginFile("a.jar", "aa".repeat(32)), new RunRecord.PluginFile("b.jar", "bb".repeat(32)))));
    assertThatThrownBy(() -> RunChecks.checkSamePlugins(run, registry()))
        .hasMessage(run.root() + ": trained with plugin jars a.jar (sha256 " + "aa".repeat(32) + "), b.jar (sha256 "
            + "bb".repeat(32) + "), which are not loaded; give them with --plugins PATH or VI4J_PLUGINS");
  }
}
