package io.vi4j.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @Test
  void oneWriterAtATimeAndNothingLeftBehindByARunThatWroteNothing(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("run");
    try (RunDirectory first = RunDirectory.create(root)) {
      assertThatThrownBy(() -> RunDirectory.create(root))
          .hasMessageContaining("being written by another vi4j process");
    }
    assertThat(root).doesNotExist(); // created by the claim, never written: removed again
    try (RunDirectory run = RunDirectory.create(root)) {
      run.begin(dir, null); // a run is one with run.json
      run.writeText(RunDirectory.CONFIG, "name: x\n");
    }
    assertThat(root.resolve(RunDirectory.CONFIG)).exists();
    assertThat(root.resolve(RunDirectory.LOCK)).doesNotExist();
    assertThatThrownBy(() -> RunDirectory.create(root)).hasMessageContaining("already holds a run");
    try (RunDirectory replaced = RunDirectory.create(root, true)) {
      assertThat(replaced.root()).isEqualTo(root);
    }
    Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> RunDirectory.create(dir.resolve("file"))).hasMessageContaining("is a file");
  }
}
