package io.vi4j.core.run;

import io.vi4j.core.io.Directories;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vi4j.core.io.AtomicFiles;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The files of one run: {@code config.yaml} (the resolved config, every default written out),
 * {@code metrics.jsonl} (one JSON object per epoch), {@code summary.json}, {@code parameters.bin},
 * {@code checkpoints/} while training, and PNG pictures. Files are written atomically (a temporary file, then a move), so an interrupted run
 * never leaves a half-written file behind.
 */
public final class RunDirectory implements AutoCloseable {
  /** The resolved config. */
  public static final String CONFIG = "config.yaml";
  /** Per-epoch metrics, JSON lines. */
  public static final String METRICS = "metrics.jsonl";
  /** Final figures. */
  public static final String SUMMARY = "summary.json";
  /** Trained parameters. */
  public static final String PARAMETERS = "parameters.bin";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSON_LINE = new ObjectMapper();

  /** The checkpoints of a training run (see {@code io.vi4j.core.checkpoint.CheckpointStore}). */
  public static final String CHECKPOINTS = io.vi4j.core.checkpoint.CheckpointStore.DIRECTORY;

  /** The lock file a training process holds while it writes into the directory. */
  public static final String LOCK = ".vi4j.lock";

  private final Path root;
  private final java.nio.channels.FileChannel lockChannel;
  private final boolean createdHere;

  private RunDirectory(Path root, java.nio.channels.FileChannel lockChannel, boolean createdHere) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.createdHere = createdHere;
  }

  /**
   * Claims a directory for a new run and locks it against other vi4j processes until {@link #close()}.
   * A run that fails before training (bad data, an impossible model) leaves no files behind.
   *
   * @throws IOException when {@code root} already holds a run (never overwritten), is a file, or is
   *     locked by another process
   */
  public static RunDirectory create(Path root) throws IOException {
    return create(root, false);
  }

  /**
   * As {@link #create(Path)}; with {@code force}, a finished or killed run in {@code root} is replaced
   * (its metrics are started afresh; other files are overwritten atomically as they are written).
   */
  public static RunDirectory create(Path root, boolean force) throws IOException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IOException(root + " is a file, not a directory; choose another --out");
    }
    boolean holdsRun = Files.exists(root.resolve(CONFIG)) || Files.exists(root.resolve(SUMMARY));
    if (holdsRun && !force) {
      throw new IOException(root + " already holds a run (" + CONFIG + "); choose another --out, or --force"
          + " to replace it");
    }
    boolean created = !Files.exists(root);
    Files.createDirectories(root);
    java.nio.channels.FileChannel channel = lock(root);
    if (holdsRun) {
      Files.deleteIfExists(root.resolve(METRICS));
      Directories.deleteRecursively(root.resolve(CHECKPOINTS)); // a replaced run's checkpoints must never be resumed
    }
    return new RunDirectory(root, channel, created);
  }

  /**
   * Claims a killed run's directory to continue training in it, locked as by {@link #create}.
   *
   * @throws IOException when {@code root} is not a run directory, has finished ({@code summary.json}
   *     exists), or is locked by another process
   */
  public static RunDirectory resume(Path root) throws IOException {
    open(root);
    if (Files.exists(root.resolve(SUMMARY))) {
      throw new IOException(root + " holds a finished run (" + SUMMARY + " exists); there is nothing to resume");
    }
    return new RunDirectory(root, lock(root), false);
  }

  private static java.nio.channels.FileChannel lock(Path root) throws IOException {
    java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(root.resolve(LOCK),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
    java.nio.channels.FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(root + " is being written by another vi4j process (" + LOCK + " is locked)");
    }
    return channel;
  }


  /** Releases the lock; a directory this run created and never wrote into is removed again. */
  @Override
  public void close() throws IOException {
    if (lockChannel == null) {
      return;
    }
    lockChannel.close();
    Files.deleteIfExists(root.resolve(LOCK));
    if (createdHere) {
      try (var entries = Files.list(root)) {
        if (entries.findAny().isEmpty()) {
          Files.delete(root);
        }
      }
    }
  }

  /**
   * Opens an existing run directory.
   *
   * @throws IOException when it has no {@code config.yaml}
   */
  public static RunDirectory open(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException(root + ": no such run directory");
    }
    if (!Files.isRegularFile(root.resolve(CONFIG))) {
      throw new IOException(root + ": not a run directory (no " + CONFIG + ")");
    }
    return new RunDirectory(root, null, false);
  }

  /** @return the directory. */
  public Path root() {
    return root;
  }

  /** @return a file in the directory. */
  public Path file(String name) {
    return root.resolve(name);
  }

  /** Writes text atomically. */
  public void writeText(String name, String text) throws IOException {
    writeAtomically(file(name), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a JSON document atomically. */
  public void writeJson(String name, Object value) throws IOException {
    writeAtomically(file(name), JSON.writeValueAsBytes(value));
  }

  /** Appends one JSON object as a line of {@code metrics.jsonl}, flushed at once. */
  public void appendMetrics(Map<String, ?> record) throws IOException {
    Files.createDirectories(root);
    try (BufferedWriter out = Files.newBufferedWriter(
        file(METRICS), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write(JSON_LINE.writeValueAsString(record));
      out.newLine();
    }
  }

  /** Replaces {@code metrics.jsonl} atomically with these records (a resumed run's metrics so far). */
  public void rewriteMetrics(java.util.List<? extends Map<String, ?>> records) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Map<String, ?> record : records) {
      text.append(JSON_LINE.writeValueAsString(record)).append('\n');
    }
    writeAtomically(file(METRICS), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes bytes to a temporary file beside {@code target}, then moves it into place. */
  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.write(target, bytes);
  }
}
