package io.vi4j.core.checkpoint;

import io.vi4j.core.io.Directories;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's checkpoints: one directory {@code step-NNNNNNNNNNNN} per checkpoint holding
 * {@code tensors.bin} ({@link TensorFile}), {@code trainer.json} ({@link TrainerState}) and
 * {@code manifest.json} (the byte count and SHA-256 of each of the two).
 *
 * <p>Writing: the files go into a hidden {@code .partial-…} directory, each is forced to the disk
 * ({@code fsync}), the manifest is written last, and the directory is renamed into place (an atomic
 * rename), after which the parent directory is forced too. A process killed at any instant leaves
 * either a complete checkpoint or a partial directory that is never read and is removed by the next
 * write. The newest {@code keep} checkpoints are kept.
 *
 * <p>Reading: the newest checkpoint whose manifest, sizes and checksums all match is used; each newer one
 * that does not is refused with the reason, which the caller reports.
 */
public final class CheckpointStore {
  /** The checkpoints directory's name inside a run directory. */
  public static final String DIRECTORY = "checkpoints";
  /** The arrays. */
  public static final String TENSORS = "tensors.bin";
  /** The trainer's position, as JSON. */
  public static final String TRAINER = "trainer.json";
  /** Sizes and checksums of the other two files. */
  public static final String MANIFEST = "manifest.json";
  /** The manifest's {@code format} value. */
  public static final String FORMAT = "vi4j-checkpoint";
  /** The manifest's {@code version} this class writes and reads. */
  public static final int VERSION = 1;

  private static final Pattern STEP_DIRECTORY = Pattern.compile("step-(\\d{12})");
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** Step numbers have twelve digits in directory names. */
  private static final long MAX_STEP = 999_999_999_999L;

  /** One file's entry in the manifest. */
  public record FileEntry(String name, long bytes, String sha256) {}

  /** {@code manifest.json}. */
  public record Manifest(String format, int version, long globalStep, List<FileEntry> files) {}

  /**
   * A checkpoint read back.
   *
   * @param checkpoint its content
   * @param directory where it lies
   * @param refused the newer checkpoints that were refused, each with its reason
   */
  public record Loaded(Checkpoint checkpoint, Path directory, List<String> refused) {}

  private final Path directory;
  private final int keep;

  /**
   * @param directory the checkpoints directory (created on the first write)
   * @param keep how many of the newest checkpoints to keep, at least 1
   */
  public CheckpointStore(Path directory, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, got " + keep);
    }
    this.directory = directory;
    this.keep = keep;
  }

  /** @return the checkpoints directory. */
  public Path directory() {
    return directory;
  }

  /**
   * Writes a checkpoint atomically, then removes all but the newest {@code keep} and any partial
   * directory a killed write left.
   *
   * @return the checkpoint's directory
   */
  public Path save(Checkpoint checkpoint) throws IOException {
    long step = checkpoint.trainer().globalStep();
    if (step < 0 || step > MAX_STEP) {
      throw new IllegalArgumentException("step " + step + " does not fit a checkpoint directory's twelve digits");
    }
    Files.createDirectories(directory);
    String name = String.format("step-%012d", checkpoint.trainer().globalStep());
    Path target = directory.resolve(name);
    Path partial = directory.resolve(".partial-" + name + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
    Files.createDirectory(partial);
    try {
      byte[] tensors = TensorFile.encode(checkpoint.tensors());
      byte[] trainer = JSON.writeValueAsBytes(checkpoint.trainer());
      writeSynced(partial.resolve(TENSORS), tensors);
      writeSynced(partial.resolve(TRAINER), trainer);
      Manifest manifest = new Manifest(FORMAT, VERSION, checkpoint.trainer().globalStep(), List.of(
          new FileEntry(TENSORS, tensors.length, sha256(tensors)),
          new FileEntry(TRAINER, trainer.length, sha256(trainer))));
      writeSynced(partial.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
      io.vi4j.core.io.AtomicFiles.syncDirectory(partial);
      if (Files.exists(target)) {
        // The same step written before: by a run resumed from an older checkpoint after this one was
        // refused. The older content is replaced.
        Directories.deleteRecursively(target);
      }
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, target);
      }
      io.vi4j.core.io.AtomicFiles.syncDirectory(directory);
    } finally {
      if (Files.exists(partial)) {
        Directories.deleteRecursively(partial);
      }
    }
    prune();
    return target;
  }

  /** @return the checkpoint directories, oldest first. */
  public List<Path> list() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (STEP_DIRECTORY.matcher(entry.getFileName().toString()).matches() && Files.isDirectory(entry)) {
          found.add(entry);
        }
      }
    }
    found.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return found;
  }

  /**
   * Reads the newest usable checkpoint.
   *
   * @return empty when there is no checkpoint at all
   * @throws CheckpointException when there are checkpoints but none is usable, listing why each was refused
   */
  public Optional<Loaded> latest() throws IOException {
    List<Path> all = list();
    List<String> refused = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        return Optional.of(new Loaded(read(all.get(i)), all.get(i), List.copyOf(refused)));
      } catch (CheckpointException e) {
        refused.add(e.getMessage());
      }
    }
    if (!refused.isEmpty()) {
      throw new CheckpointException("no usable checkpoint in " + directory + ": " + String.join("; ", refused));
    }
    return Optional.empty();
  }

  /**
   * Reads and verifies one checkpoint directory.
   *
   * @throws CheckpointException naming the file and what is wrong: a missing file, a size or checksum
   *     that does not match the manifest, or content that cannot be decoded
   */
  public static Checkpoint read(Path checkpointDirectory) throws CheckpointException {
    Path manifestFile = checkpointDirectory.resolve(MANIFEST);
    Manifest manifest;
    try {
      manifest = JSON.readValue(readAll(manifestFile), Manifest.class);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(manifestFile + ": not a checkpoint manifest (" + io.vi4j.core.io.JsonProblems.describe(e) + ")", e);
    } catch (CheckpointException e) {
      throw e; // missing or unreadable, already named
    } catch (IOException e) {
      throw new CheckpointException(manifestFile + ": cannot be read (" + e.getMessage() + ")", e);
    }
    if (manifest == null) {
      throw new CheckpointException(manifestFile + ": not a checkpoint manifest (null)");
    }
    if (!FORMAT.equals(manifest.format()) || manifest.version() != VERSION) {
      throw new CheckpointException(manifestFile + ": format '" + manifest.format() + "' version "
          + manifest.version() + "; this vi4j reads '" + FORMAT + "' version " + VERSION);
    }
    byte[] tensors = verified(checkpointDirectory, manifest, TENSORS);
    byte[] trainerBytes = verified(checkpointDirectory, manifest, TRAINER);
    Map<String, HostTensor> arrays = TensorFile.decode(tensors, checkpointDirectory.resolve(TENSORS).toString());
    for (Map.Entry<String, HostTensor> entry : arrays.entrySet()) {
      long bad = entry.getValue().nonFiniteCount();
      if (bad > 0) {
        throw new CheckpointException(checkpointDirectory.resolve(TENSORS) + ": '" + entry.getKey() + "' holds " + bad
            + " non-finite values (NaN or infinite); a diverged state is never resumed");
      }
    }
    TrainerState trainer;
    try {
      trainer = JSON.readValue(trainerBytes, TrainerState.class);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(checkpointDirectory.resolve(TRAINER) + ": cannot be read (" + io.vi4j.core.io.JsonProblems.describe(e) + ")", e);
    } catch (IOException e) {
      throw new CheckpointException(checkpointDirectory.resolve(TRAINER) + ": cannot be read (" + e.getMessage() + ")", e);
    }
    String missing = trainer == null ? "everything"
        : trainer.epochSums() == null ? "epoch_sums"
        : trainer.configDigest() == null ? "config_digest"
        : trainer.metrics() == null || trainer.metrics().contains(null) ? "metrics"
        : null;
    if (missing != null) {
      throw new CheckpointException(checkpointDirectory.resolve(TRAINER) + ": missing or null " + missing);
    }
    if (trainer.globalStep() != manifest.globalStep()) {
      throw new CheckpointException(checkpointDirectory.resolve(TRAINER) + ": step " + trainer.globalStep()
          + " where the manifest says " + manifest.globalStep());
    }
    Matcher m = STEP_DIRECTORY.matcher(checkpointDirectory.getFileName().toString());
    if (m.matches() && Long.parseLong(m.group(1)) != trainer.globalStep()) {
      throw new CheckpointException(checkpointDirectory + ": holds step " + trainer.globalStep()
          + ", not the step its name says");
    }
    return new Checkpoint(trainer, arrays);
  }

  private static byte[] verified(Path checkpointDirectory, Manifest manifest, String name) throws CheckpointException {
    Path file = checkpointDirectory.resolve(name);
    FileEntry entry = manifest.files() == null ? null
        : manifest.files().stream().filter(f -> f != null && name.equals(f.name())).findFirst().orElse(null);
    if (entry == null) {
      throw new CheckpointException(checkpointDirectory.resolve(MANIFEST) + ": lists no " + name);
    }
    byte[] bytes = readAll(file);
    if (bytes.length != entry.bytes()) {
      throw new CheckpointException(file + ": " + bytes.length + " bytes where the manifest says " + entry.bytes()
          + " (truncated or overwritten)");
    }
    String actual = sha256(bytes);
    if (!actual.equalsIgnoreCase(String.valueOf(entry.sha256()))) {
      throw new CheckpointException(file + ": checksum mismatch (SHA-256 " + actual + ", the manifest says "
          + entry.sha256() + "); the file is corrupt");
    }
    return bytes;
  }

  private static byte[] readAll(Path file) throws CheckpointException {
    try {
      long size = Files.size(file);
      if (size > Integer.MAX_VALUE - 16) {
        throw new CheckpointException(file + ": " + size + " bytes, too large for a checkpoint file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": missing");
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }

  private void prune() throws IOException {
    List<Path> all = list();
    for (int i = 0; i < all.size() - keep; i++) {
      Directories.deleteRecursively(all.get(i));
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, ".partial-*")) {
      for (Path entry : entries) {
        Directories.deleteRecursively(entry);
      }
    }
  }

  /** @return the lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void writeSynced(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }


}
