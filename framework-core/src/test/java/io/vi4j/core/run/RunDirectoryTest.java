package io.vi4j.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  private static final DataFingerprint DATA = new DataFingerprint(10, 5, 3, "ab".repeat(32));

  @Test
  void oneWriterAtATimeAndNothingLeftBehindByARunThatNeverBegan(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("run");
    try (RunDirectory first = RunDirectory.create(root)) {
      assertThatThrownBy(() -> RunDirectory.create(root))
          .hasMessageContaining("being written by another vi4j process");
    }
    assertThat(root).doesNotExist(); // created by the claim, never begun: removed again
    try (RunDirectory run = RunDirectory.create(root)) {
      run.begin(dir, DATA);
      run.writeText(RunDirectory.CONFIG, "name: x\n");
    }
    assertThat(root.resolve(RunDirectory.RECORD)).exists();
    assertThat(root.resolve(RunDirectory.LOCK)).doesNotExist();
    assertThatThrownBy(() -> RunDirectory.create(root)).hasMessageContaining("already holds a run (run.json)");
    Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> RunDirectory.create(dir.resolve("file"))).hasMessageContaining("is a file");
    assertThatThrownBy(() -> RunDirectory.create(Path.of(""))).hasMessageContaining("empty path");
  }

  @Test
  void theRecordSaysWhereTheRunStandsAndReadersRefuseUnfinishedRuns(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("run");
    try (RunDirectory run = RunDirectory.create(root)) {
      run.begin(dir.resolve("configs"), DATA);
      run.writeText(RunDirectory.CONFIG, "name: x\n");
      RunDirectory reader = RunDirectory.open(root);
      assertThat(reader.record().orElseThrow().state()).isEqualTo(RunRecord.State.TRAINING);
      assertThatThrownBy(() -> reader.requireFinished("trained model"))
          .hasMessageStartingWith(root + ": the run has not finished")
          .hasMessageContaining("vi4j train --resume " + root);
      run.finish();
    }
    RunDirectory finished = RunDirectory.open(root);
    assertThat(finished.record().orElseThrow().state()).isEqualTo(RunRecord.State.FINISHED);
    assertThat(finished.record().orElseThrow().data()).isEqualTo(DATA);
    assertThat(finished.dataDirectory(Path.of("elsewhere"))).isEqualTo(dir.resolve("configs").toAbsolutePath());
    finished.requireFinished("trained model");
    assertThatThrownBy(() -> RunDirectory.resume(root)).hasMessageContaining("holds a finished run");

    Path diverged = dir.resolve("diverged");
    try (RunDirectory run = RunDirectory.create(diverged)) {
      run.begin(dir, DATA);
      run.writeText(RunDirectory.CONFIG, "name: x\n");
      run.diverged("epoch 1, step 2: the loss is NaN");
    }
    assertThatThrownBy(() -> RunDirectory.open(diverged).requireFinished("trained model"))
        .hasMessageContaining("training diverged (epoch 1, step 2: the loss is NaN)");
    assertThatThrownBy(() -> RunDirectory.resume(diverged)).hasMessageContaining("would diverge again");
  }

  @Test
  void forceReplacesOnlyWhatVi4jWroteAndTheDirectorySaysTrainingFromTheStart(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("run");
    try (RunDirectory run = RunDirectory.create(root)) {
      run.begin(dir, DATA);
      for (String output : new String[] {RunDirectory.CONFIG, RunDirectory.SUMMARY, RunDirectory.PARAMETERS,
          RunDirectory.METRICS, "samples.png", "evaluation.json"}) {
        run.writeText(output, "old");
      }
      run.writeText("checkpoints/step-000000000001/manifest.json", "old");
      run.writeText("scores/scores.csv", "old");
      run.finish();
    }
    Files.writeString(root.resolve("notes.txt"), "the user's own file");
    Files.createDirectories(root.resolve("mine"));
    Files.writeString(root.resolve("mine/model.pt"), "the user's own file");

    try (RunDirectory replaced = RunDirectory.create(root, true)) {
      assertThat(root.resolve(RunDirectory.SUMMARY)).exists(); // nothing removed before the checks pass
      replaced.begin(dir, DATA);
      assertThat(Files.readString(root.resolve(RunDirectory.RECORD))).contains("\"state\" : \"training\"");
    }
    try (var entries = Files.list(root)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(RunDirectory.RECORD, "notes.txt", "mine");
    }
    assertThat(root.resolve("mine/model.pt")).hasContent("the user's own file");
  }

  @Test
  void directoriesThatAreNotVi4jRunsAreNeverClaimedNorCleared(@TempDir Path dir) throws Exception {
    Path users = dir.resolve("users");
    Files.createDirectories(users.resolve("checkpoints"));
    Files.writeString(users.resolve("config.yaml"), "someone else's config");
    Files.writeString(users.resolve("checkpoints/model.pt"), "weights");
    for (boolean force : new boolean[] {false, true}) {
      assertThatThrownBy(() -> RunDirectory.create(users, force))
          .hasMessageStartingWith(users + " is not empty and holds no vi4j run")
          .hasMessageContaining("'checkpoints', 'config.yaml'");
    }
    assertThat(users.resolve("checkpoints/model.pt")).hasContent("weights");

    Path legacy = dir.resolve("legacy");
    Files.createDirectories(legacy);
    Files.writeString(legacy.resolve("config.yaml"), "name: x\n");
    Files.writeString(legacy.resolve("summary.json"), "{}");
    assertThatThrownBy(() -> RunDirectory.create(legacy, true)).hasMessageContaining("without run.json");
    RunDirectory.open(legacy).requireFinished("trained model"); // readers still accept it

    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("config.yaml"), "name: x\n");
    Files.writeString(broken.resolve("run.json"), "{\"format\": \"vi4j-run\", \"version\": \"x\"}");
    assertThatThrownBy(() -> RunDirectory.open(broken)).hasMessageStartingWith(broken.resolve("run.json")
        + ": not a vi4j run record (field version: expected an integer");
  }

  @Test
  void temporaryFilesOfKilledWritersAreRemoved(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("run");
    try (RunDirectory run = RunDirectory.create(root)) {
      run.begin(dir, DATA);
      run.writeText(RunDirectory.CONFIG, "name: x\n");
    }
    Path fresh = Files.writeString(root.resolve(".evaluation.json.1f2e.tmp"), "being written");
    Path old = Files.writeString(root.resolve(".parameters.bin.7a7a7a7a.tmp"), "left by a kill");
    Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    RunDirectory.open(root); // a reader removes only files no writer can still be writing
    assertThat(old).doesNotExist();
    assertThat(fresh).exists();
    try (RunDirectory resumed = RunDirectory.resume(root)) {
      assertThat(fresh).doesNotExist(); // the lock holder is the only writer
    }
  }
}
