package io.vi4j.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vi4j.core.train.EpochMetrics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A checkpoint of step {@code step} whose parameter holds {@code value}. */
  static Checkpoint checkpoint(long step, float value) {
    List<EpochMetrics> metrics = List.of(
        new EpochMetrics(1, 101.5, 90.25, 11.25, 99.0, 88.0, 11.0, 1.5, 1000.0, 0.25),
        // An epoch without an evaluation: its test figures are NaN, and must come back NaN.
        new EpochMetrics(2, 95.0, 85.0, 10.0, Double.NaN, Double.NaN, Double.NaN, 1.25,
            Double.POSITIVE_INFINITY, 0.0),
        // With every schedule's figure, stopped early.
        new EpochMetrics(3, 93.0, 84.0, 9.0, 92.0, 83.5, 8.5, 1.0, 900.0, 0.5, 5e-4, 0.75, 94.5, 85.25, 9.25, true));
    TrainerState trainer = new TrainerState(step, 3, (int) step % 10, 10, 160, 16, step,
        new double[] {1234.5, -0.0}, "0123abcd", metrics, 2);
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    tensors.put(Checkpoint.PARAMETER + "encoder.weight", new HostTensor(DataType.FLOAT32, new long[] {2, 2},
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).putFloat(-value).putFloat(Float.MIN_VALUE)
            .putFloat(0.5f).array()));
    tensors.put(Checkpoint.ADAM_FIRST + "encoder.weight", new HostTensor(DataType.FLOAT32, new long[] {2, 2},
        new byte[16]));
    tensors.put(Checkpoint.ESTIMATOR_STATE + "baseline", new HostTensor(DataType.FLOAT64, new long[] {},
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(Math.E).array()));
    tensors.put(Checkpoint.DATA_ORDER, HostTensor.ofLongs(new long[] {3, 0, 2, 1}));
    return new Checkpoint(trainer, tensors);
  }

  private static void assertSame(Checkpoint actual, Checkpoint expected) {
    assertThat(actual.tensors()).containsExactlyEntriesOf(expected.tensors());
    // Double.compare: exact, and NaN equals NaN (the default comparison has a tolerance and NaN != NaN).
    assertThat(actual.trainer()).usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(expected.trainer());
  }

  /** Rewrites the manifest's size and checksum of {@code name} to fit the file as it is now. */
  static void fixUpManifest(Path checkpointDirectory, String name) throws Exception {
    Path manifest = checkpointDirectory.resolve(CheckpointStore.MANIFEST);
    ObjectNode tree = (ObjectNode) JSON.readTree(manifest.toFile());
    byte[] bytes = Files.readAllBytes(checkpointDirectory.resolve(name));
    for (var entry : (ArrayNode) tree.get("files")) {
      if (name.equals(entry.get("name").asText())) {
        ((ObjectNode) entry).put("bytes", bytes.length).put("sha256", CheckpointStore.sha256(bytes));
      }
    }
    Files.write(manifest, JSON.writeValueAsBytes(tree));
  }

  @Test
  void aSavedCheckpointReadsBackEqualIncludingNaNMetrics(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve(CheckpointStore.DIRECTORY), 3);
    Checkpoint saved = checkpoint(7, 1.25f);
    Path at = store.save(saved);
    assertThat(at).isEqualTo(dir.resolve("checkpoints/step-000000000007"));
    try (var files = Files.list(at)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(CheckpointStore.TENSORS, CheckpointStore.TRAINER, CheckpointStore.MANIFEST);
    }
    String trainerJson = Files.readString(at.resolve(CheckpointStore.TRAINER));
    assertThat(trainerJson).contains("\"global_step\"").contains("NaN");

    Checkpoint read = CheckpointStore.read(at);
    assertSame(read, saved);
    EpochMetrics second = read.trainer().metrics().get(1);
    assertThat(second.testNegElbo()).isNaN();
    assertThat(second.testKl()).isNaN();
    assertThat(second.samplesPerSecond()).isInfinite();
    assertThat(Double.doubleToRawLongBits(read.trainer().epochSums()[1])).isEqualTo(Double.doubleToRawLongBits(-0.0));

    ObjectNode manifest = (ObjectNode) JSON.readTree(at.resolve(CheckpointStore.MANIFEST).toFile());
    assertThat(manifest.get("format").asText()).isEqualTo(CheckpointStore.FORMAT);
    assertThat(manifest.get("version").asInt()).isEqualTo(CheckpointStore.VERSION);
    assertThat(manifest.get("global_step").asLong()).isEqualTo(7);
    byte[] tensors = Files.readAllBytes(at.resolve(CheckpointStore.TENSORS));
    assertThat(manifest.get("files").get(0).get("sha256").asText()).isEqualTo(CheckpointStore.sha256(tensors));

    Optional<CheckpointStore.Loaded> latest = store.latest();
    assertThat(latest).isPresent();
    assertThat(latest.get().directory()).isEqualTo(at);
    assertThat(latest.get().refused()).isEmpty();
    assertSame(latest.get().checkpoint(), saved);
  }

  /** A checkpoint written before the schedules existed: its epochs lack their figures, which come back unknown. */
  @Test
  void metricsWithoutTheScheduleFiguresReadWithThemUnknownAndAnUnknownFieldIsStillRefused(@TempDir Path dir)
      throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve(CheckpointStore.DIRECTORY), 3);
    Path at = store.save(checkpoint(7, 1.25f));
    ObjectNode trainer = (ObjectNode) JSON.readTree(at.resolve(CheckpointStore.TRAINER).toFile());
    for (var metrics : trainer.get("metrics")) {
      ((ObjectNode) metrics).remove(List.of("learning_rate", "kl_weight", "validation_neg_elbo",
          "validation_reconstruction", "validation_kl", "stopped_early"));
    }
    Files.write(at.resolve(CheckpointStore.TRAINER), JSON.writeValueAsBytes(trainer));
    fixUpManifest(at, CheckpointStore.TRAINER);
    List<EpochMetrics> read = CheckpointStore.read(at).trainer().metrics();
    EpochMetrics third = read.get(2);
    assertThat(new double[] {third.epoch(), third.trainNegElbo(), third.testKl(), third.evalSeconds()})
        .containsExactly(3, 93.0, 8.5, 0.5);
    assertThat(new double[] {third.learningRate(), third.klWeight(), third.validationNegElbo(),
        third.validationReconstruction(), third.validationKl()}).containsOnly(Double.NaN);
    assertThat(third.stoppedEarly()).isFalse();
    ((ObjectNode) trainer.get("metrics").get(0)).put("learning_rates", 1.0);
    Files.write(at.resolve(CheckpointStore.TRAINER), JSON.writeValueAsBytes(trainer));
    fixUpManifest(at, CheckpointStore.TRAINER);
    assertThatThrownBy(() -> CheckpointStore.read(at)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("trainer.json: cannot be read").hasMessageContaining("learning_rates");
  }

  /** A checkpoint written before the slice count was recorded reads with it unknown; the field round-trips. */
  @Test
  void aTrainerFileWithoutTheSliceCountReadsWithItUnknown(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve(CheckpointStore.DIRECTORY), 3);
    Path at = store.save(checkpoint(7, 1.25f));
    ObjectNode trainer = (ObjectNode) JSON.readTree(at.resolve(CheckpointStore.TRAINER).toFile());
    assertThat(trainer.get("slices").asInt()).isEqualTo(2);
    assertThat(CheckpointStore.read(at).trainer().slices()).isEqualTo(2);
    trainer.remove("slices");
    Files.write(at.resolve(CheckpointStore.TRAINER), JSON.writeValueAsBytes(trainer));
    fixUpManifest(at, CheckpointStore.TRAINER);
    assertThat(CheckpointStore.read(at).trainer().slices()).isNull();
  }

  @Test
  void keepPrunesToTheNewestK(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 2);
    for (long step : new long[] {5, 10, 15, 1_000, 20}) {
      store.save(checkpoint(step, step));
    }
    // 1,000 sorts after 20 as a number, and its twelve-digit name sorts the same way.
    assertThat(store.list()).extracting(p -> p.getFileName().toString())
        .containsExactly("step-000000000020", "step-000000001000");
    assertThat(store.latest().orElseThrow().checkpoint().trainer().globalStep()).isEqualTo(1_000);
    assertThatThrownBy(() -> new CheckpointStore(dir, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLeftoverPartialDirectoryIsIgnoredAndRemovedByTheNextSave(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 5);
    Path good = store.save(checkpoint(4, 4f));
    // A write killed before its rename: complete-looking content, newer step, but never read.
    Path newer = store.save(checkpoint(8, 8f));
    Path partial = dir.resolve(".partial-step-000000000008-1f2e3d");
    Files.createDirectory(partial);
    for (String name : List.of(CheckpointStore.TENSORS, CheckpointStore.TRAINER, CheckpointStore.MANIFEST)) {
      Files.copy(newer.resolve(name), partial.resolve(name));
    }
    Files.writeString(partial.resolve("junk"), "half written");
    CheckpointStore.read(partial); // readable on its own, which is not enough to be used
    // Remove step 8 so that the partial one is the newest thing on disk.
    for (String name : List.of(CheckpointStore.TENSORS, CheckpointStore.TRAINER, CheckpointStore.MANIFEST)) {
      Files.delete(newer.resolve(name));
    }
    Files.delete(newer);

    assertThat(store.list()).containsExactly(good);
    CheckpointStore.Loaded latest = store.latest().orElseThrow();
    assertThat(latest.directory()).isEqualTo(good);
    assertThat(latest.refused()).isEmpty();

    store.save(checkpoint(9, 9f));
    assertThat(partial).doesNotExist();
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("step-000000000004", "step-000000000009");
    }
  }

  @Test
  void aFlippedByteInTheNewestFallsBackToThePreviousOne(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 3);
    Checkpoint older = checkpoint(10, 1f);
    store.save(older);
    Path newest = store.save(checkpoint(20, 2f));
    Path tensors = newest.resolve(CheckpointStore.TENSORS);
    byte[] bytes = Files.readAllBytes(tensors);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(tensors, bytes);

    CheckpointStore.Loaded latest = store.latest().orElseThrow();
    assertThat(latest.directory()).isEqualTo(dir.resolve("step-000000000010"));
    assertSame(latest.checkpoint(), older);
    assertThat(latest.refused()).singleElement().asString()
        .startsWith(tensors.toString())
        .contains("checksum mismatch");
  }

  @Test
  void aCheckpointHoldingNonFiniteValuesIsRefusedAndTheOlderOneUsed(@TempDir Path dir) throws Exception {
    // Its checksums are intact: the values were written that way (a run whose Adam moments overflowed).
    CheckpointStore store = new CheckpointStore(dir, 3);
    Checkpoint older = checkpoint(10, 1f);
    store.save(older);
    Checkpoint diverged = checkpoint(20, Float.POSITIVE_INFINITY);
    store.save(diverged);

    CheckpointStore.Loaded latest = store.latest().orElseThrow();
    assertThat(latest.directory()).isEqualTo(dir.resolve("step-000000000010"));
    assertThat(latest.refused()).singleElement().asString()
        .startsWith(dir.resolve("step-000000000020").resolve(CheckpointStore.TENSORS).toString())
        .contains("'parameter/encoder.weight' holds 2 non-finite values");
  }

  @Test
  void aTruncatedTrainerFileIsRefusedBySizeAndThenByContent(@TempDir Path dir) throws Exception {
    Path at = new CheckpointStore(dir, 3).save(checkpoint(3, 3f));
    Path trainer = at.resolve(CheckpointStore.TRAINER);
    byte[] bytes = Files.readAllBytes(trainer);
    Files.write(trainer, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> CheckpointStore.read(at))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(trainer.toString())
        .hasMessageContaining(bytes.length / 2 + " bytes where the manifest says " + bytes.length)
        .hasMessageContaining("truncated");
    // With the manifest made to agree, the JSON itself is found wanting.
    fixUpManifest(at, CheckpointStore.TRAINER);
    assertThatThrownBy(() -> CheckpointStore.read(at))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(trainer + ": cannot be read");
  }

  @Test
  void aMissingManifestOrOneOfAnotherVersionIsRefused(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 3);
    Path at = store.save(checkpoint(3, 3f));
    Path manifest = at.resolve(CheckpointStore.MANIFEST);
    String text = Files.readString(manifest);

    Files.writeString(manifest, text.replace("\"version\" : 1", "\"version\" : 2"));
    assertThatThrownBy(() -> CheckpointStore.read(at))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(manifest + ": format 'vi4j-checkpoint' version 2; this vi4j reads 'vi4j-checkpoint' version 1");

    Files.writeString(manifest, text.replace("vi4j-checkpoint", "other-format"));
    assertThatThrownBy(() -> CheckpointStore.read(at)).hasMessageContaining("format 'other-format' version 1");

    Files.delete(manifest);
    assertThatThrownBy(() -> CheckpointStore.read(at))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(manifest + ": missing");
    Files.delete(at.resolve(CheckpointStore.TENSORS));
    Files.writeString(manifest, text);
    assertThatThrownBy(() -> CheckpointStore.read(at))
        .hasMessage(at.resolve(CheckpointStore.TENSORS) + ": missing");
  }

  @Test
  void malformedManifestsAndTrainerFilesAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path at = new CheckpointStore(dir, 3).save(checkpoint(3, 3f));
    Path manifest = at.resolve(CheckpointStore.MANIFEST);
    Path trainer = at.resolve(CheckpointStore.TRAINER);
    String manifestText = Files.readString(manifest);
    String trainerText = Files.readString(trainer);
    Map<String, String> manifests = new LinkedHashMap<>();
    manifests.put("null", "not a checkpoint manifest");
    manifests.put("", "not a checkpoint manifest");
    manifests.put("[1, 2]", "not a checkpoint manifest");
    manifests.put(manifestText + " {}", "not a checkpoint manifest"); // trailing content
    manifests.put(manifestText.replace("\"global_step\"", "\"extra\" : 1, \"global_step\""), "extra");
    manifests.put(manifestText.replaceAll("\"files\" : \\[[^]]*]", "\"files\" : null"), "lists no tensors.bin");
    manifests.put(manifestText.replace("\"global_step\" : 3", "\"global_step\" : 4"), "the manifest says 4");
    manifests.put(manifestText.replace("\"version\" : 1", "\"version\" : 1e400"), "manifest.json: ");
    manifests.put(manifestText.replace("\"version\" : 1", "\"version\" : \"one\""), "not a checkpoint manifest");
    for (Map.Entry<String, String> bad : manifests.entrySet()) {
      Files.writeString(manifest, bad.getKey());
      try {
        CheckpointStore.read(at);
        throw new AssertionError("accepted the manifest " + bad.getKey());
      } catch (CheckpointException e) {
        assertThat(e.getMessage()).as(bad.getKey()).contains(at.toString()).contains(bad.getValue());
      }
    }
    // A null among the files is skipped, not a NullPointerException.
    Files.writeString(manifest, manifestText.replace("\"files\" : [", "\"files\" : [ null,"));
    assertThat(CheckpointStore.read(at).trainer().globalStep()).isEqualTo(3);
    Files.writeString(manifest, manifestText);

    Map<String, String> trainers = new LinkedHashMap<>();
    trainers.put("null", "missing or null everything");
    trainers.put(trainerText.replaceAll("\"metrics\" : \\[(?s).*]", "\"metrics\" : null"), "missing or null metrics");
    trainers.put(trainerText.replaceAll("\"metrics\" : \\[(?s).*]", "\"metrics\" : [ null ]"), "missing or null metrics");
    trainers.put(trainerText.replace("\"config_digest\" : \"0123abcd\"", "\"config_digest\" : null"), "config_digest");
    trainers.put(trainerText.replace("\"global_step\" : 3", "\"global_step\" : \"x\""), "cannot be read");
    trainers.put(trainerText.replace("\"global_step\" : 3", "\"global_step\" : 1" + "0".repeat(30)), "cannot be read");
    trainers.put(trainerText.replace("\"epoch\" : 3", "\"epoch\" : null"), "cannot be read");
    for (Map.Entry<String, String> bad : trainers.entrySet()) {
      assertThat(bad.getKey()).isNotEqualTo(trainerText);
      Files.writeString(trainer, bad.getKey());
      fixUpManifest(at, CheckpointStore.TRAINER);
      try {
        CheckpointStore.read(at);
        throw new AssertionError("accepted the trainer file " + bad.getKey());
      } catch (CheckpointException e) {
        assertThat(e.getMessage()).as(bad.getKey()).startsWith(trainer.toString()).contains(bad.getValue());
      }
    }
  }

  @Test
  void aCheckpointWhoseContentDisagreesWithItsDirectoryNameIsRefused(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 3);
    Path at = store.save(checkpoint(3, 3f));
    Path moved = dir.resolve("step-000000000005");
    Files.move(at, moved);
    assertThatThrownBy(() -> CheckpointStore.read(moved))
        .isInstanceOf(CheckpointException.class)
        .hasMessage(moved + ": holds step 3, not the step its name says");
  }

  @Test
  void whenEveryCheckpointIsCorruptLatestFailsListingEach(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 3);
    Path first = store.save(checkpoint(1, 1f));
    Path second = store.save(checkpoint(2, 2f));
    Files.delete(first.resolve(CheckpointStore.MANIFEST));
    Files.write(second.resolve(CheckpointStore.TENSORS), new byte[] {1, 2, 3});
    assertThatThrownBy(store::latest)
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith("no usable checkpoint in " + dir)
        .hasMessageContaining(first.resolve(CheckpointStore.MANIFEST) + ": missing")
        .hasMessageContaining(second.resolve(CheckpointStore.TENSORS) + ": 3 bytes where the manifest says");
  }

  @Test
  void noDirectoryOrAnEmptyOneHasNoCheckpoint(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve("never-created"), 1);
    assertThat(store.latest()).isEmpty();
    assertThat(store.list()).isEmpty();
    assertThat(dir.resolve("never-created")).doesNotExist();
    Files.createDirectory(dir.resolve("empty"));
    Files.writeString(dir.resolve("empty/step-000000000001"), "a file, not a checkpoint directory");
    Files.createDirectory(dir.resolve("empty/step-1"));
    assertThat(new CheckpointStore(dir.resolve("empty"), 1).latest()).isEmpty();
  }

  @Test
  void savingTheSameStepTwiceReplacesIt(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 3);
    store.save(checkpoint(6, 1f));
    Checkpoint replacement = checkpoint(6, 2f);
    Path at = store.save(replacement);
    assertThat(store.list()).containsExactly(at);
    assertSame(CheckpointStore.read(at), replacement);
    try (var entries = Files.list(dir)) {
      assertThat(entries).hasSize(1);
    }
    assertThatThrownBy(() -> store.save(checkpoint(-1, 1f))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.save(checkpoint(1_000_000_000_000L, 1f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twelve digits");
    assertThat(store.list()).containsExactly(at);
    assertThat(new String(Files.readAllBytes(at.resolve(CheckpointStore.MANIFEST)), StandardCharsets.UTF_8))
        .contains("\"global_step\" : 6");
  }
}
