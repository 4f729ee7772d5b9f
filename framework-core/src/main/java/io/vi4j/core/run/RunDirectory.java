package io.vi4j.core.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vi4j.core.io.AtomicFiles;
import io.vi4j.core.io.Directories;
import io.vi4j.core.io.IoErrors;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of one run: {@code run.json} (the {@link RunRecord}: whether the run has finished, where its
 * data paths resolve), {@code config.yaml} (the resolved config, every default written out),
 * {@code metrics.jsonl} (one JSON object per epoch), {@code summary.json}, {@code parameters.bin},
 * {@code checkpoints/} and PNG pictures. Files are written atomically and forced to the disk (a
 * temporary file, then a move), so an interrupted run never leaves a half-written file behind.
 *
 * <p>The directory's life: {@link #create} claims it (refusing a directory that holds anything but a vi4j
 * run, and a run unless told to replace it) and locks it against other vi4j processes; nothing is written
 * until {@link #begin}, which comes after every check of the config and data has passed, so a rejected
 * run leaves nothing behind. {@code begin} removes a replaced run's outputs and records the run as
 * training; {@link #finish} or {@link #diverged} record how it ended. A run killed at any point says
 * {@code training}, and {@code vi4j train --resume} continues it.
 */
public final class RunDirectory implements AutoCloseable {
  /** The run record. */
  public static final String RECORD = "run.json";
  /** The resolved config. */
  public static final String CONFIG = "config.yaml";
  /** Per-epoch metrics, JSON lines. */
  public static final String METRICS = "metrics.jsonl";
  /** Final figures. */
  public static final String SUMMARY = "summary.json";
  /** Trained parameters. */
  public static final String PARAMETERS = "parameters.bin";
  /** The checkpoints of a training run (see {@code io.vi4j.core.checkpoint.CheckpointStore}). */
  public static final String CHECKPOINTS = io.vi4j.core.checkpoint.CheckpointStore.DIRECTORY;
  /** The lock file a training process holds while it writes into the directory. */
  public static final String LOCK = ".vi4j.lock";

  /**
   * Everything vi4j writes into a run directory (by training and by the commands that read a run); a
   * replaced run loses exactly these, and any other file in the directory is kept.
   */
  public static final List<String> OUTPUTS = List.of(RECORD, CONFIG, METRICS, SUMMARY, PARAMETERS, CHECKPOINTS,
      "samples.png", "reconstructions.png", "evaluation.json", "amortization-gap.json",
      "samples", "scores", "embedding", "imputation", "grad-variance");

  /** Temporary files older than this are left by killed writers, whoever holds the lock. */
  private static final long STALE_MILLIS = 10 * 60 * 1000L;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSON_LINE = new ObjectMapper();
  private static final ObjectMapper RECORDS = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path root;
  private final FileChannel lockChannel;
  private final boolean createdHere;
  private final boolean replacing;
  private RunRecord record;

  private RunDirectory(Path root, FileChannel lockChannel, boolean createdHere, boolean replacing, RunRecord record) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.createdHere = createdHere;
    this.replacing = replacing;
    this.record = record;
  }

  /**
   * Claims a directory for a new run and locks it against other vi4j processes until {@link #close()}.
   *
   * @throws IOException when {@code root} already holds a run (never overwritten), is a file, is not empty,
   *     cannot be created, or is locked by another process
   */
  public static RunDirectory create(Path root) throws IOException {
    return create(root, false);
  }

  /**
   * As {@link #create(Path)}; with {@code force}, a run vi4j recorded in {@code root} (one with
   * {@code run.json}) is replaced: its outputs are removed by {@link #begin}, before the new run writes
   * anything. A directory holding anything else is never replaced: vi4j deletes only what it wrote.
   */
  public static RunDirectory create(Path root, boolean force) throws IOException {
    if (root.toString().isEmpty()) {
      throw new IOException("an empty path names no run directory; give a directory such as runs/NAME");
    }
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IOException(root + " is a file, not a directory; choose another --out");
    }
    boolean replacing = false;
    if (Files.isDirectory(root)) {
      List<String> entries = entries(root);
      if (entries.contains(RECORD)) {
        if (!force) {
          throw new IOException(root + " already holds a run (" + RECORD + "); choose another --out, or --force to"
              + " replace it");
        }
        readRecord(root); // a damaged record is reported, not replaced blindly
        replacing = true;
      } else if (entries.contains(CONFIG) && (entries.contains(SUMMARY) || entries.contains(PARAMETERS))) {
        throw new IOException(root + " holds a run without " + RECORD + " (written by a vi4j before 2026-12),"
            + " which --force does not replace; delete it yourself, or choose another --out");
      } else if (!entries.stream().allMatch(e -> e.equals(LOCK))) {
        throw new IOException(root + " is not empty and holds no vi4j run (it has " + describe(entries)
            + "); a run needs a new or empty directory: choose another --out");
      }
    }
    boolean created = !Files.exists(root);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw IoErrors.named(root, "cannot create the run directory", e);
    }
    FileChannel channel = lock(root);
    AtomicFiles.deleteStale(root, 0);
    return new RunDirectory(root, channel, created, replacing, null);
  }

  private static List<String> entries(Path root) throws IOException {
    try (var list = Files.list(root)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw IoErrors.named(root, "cannot list the directory", e);
    }
  }

  private static String describe(List<String> entries) {
    List<String> shown = entries.stream().filter(e -> !e.equals(LOCK)).limit(3).toList();
    int more = (int) entries.stream().filter(e -> !e.equals(LOCK)).count() - shown.size();
    return String.join(", ", shown.stream().map(n -> io.vi4j.core.io.Printable.quote(n)).toList())
        + (more > 0 ? " and " + more + " more" : "");
  }

  /**
   * Claims a killed run's directory to continue training in it, locked as by {@link #create}.
   *
   * @throws IOException when {@code root} is not a run directory, has finished or diverged, or is locked
   *     by another process
   */
  public static RunDirectory resume(Path root) throws IOException {
    RunDirectory opened = open(root);
    Optional<RunRecord> record = opened.record();
    if (record.isPresent() && record.get().state() == RunRecord.State.FINISHED
        || record.isEmpty() && Files.exists(root.resolve(SUMMARY))) {
      throw new IOException(root + " holds a finished run (" + (record.isPresent() ? RECORD + " says finished"
          : SUMMARY + " exists") + "); there is nothing to resume");
    }
    if (record.isPresent() && record.get().state() == RunRecord.State.DIVERGED) {
      throw new IOException(root + ": training diverged (" + record.get().divergence() + "); resuming would"
          + " diverge again at the same step; change the config (training.learning_rate,"
          + " training.clip_gradient) and train again with --force");
    }
    FileChannel channel = lock(root);
    AtomicFiles.deleteStale(root, 0);
    return new RunDirectory(root, channel, false, false, record.orElse(null));
  }

  private static FileChannel lock(Path root) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw IoErrors.named(root, "cannot write into the run directory", e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(root + " is being written by another vi4j process (" + LOCK + " is locked)");
    }
    return channel;
  }

  /** Releases the lock; a directory this run created and never began writing into is removed again. */
  @Override
  public void close() throws IOException {
    if (lockChannel == null) {
      return;
    }
    lockChannel.close();
    Files.deleteIfExists(root.resolve(LOCK));
    if (createdHere && record == null) {
      try (var entries = Files.list(root)) {
        if (entries.findAny().isEmpty()) {
          Files.delete(root);
        }
      }
    }
  }

  /**
   * Opens an existing run directory to read it. Temporary files that killed writers left more than ten
   * minutes ago are removed.
   *
   * @throws IOException when it has no {@code config.yaml}, or its {@code run.json} is damaged
   */
  public static RunDirectory open(Path root) throws IOException {
    if (root.toString().isEmpty() || !Files.isDirectory(root)) {
      throw new IOException((root.toString().isEmpty() ? "''" : root) + ": no such run directory");
    }
    if (!Files.isRegularFile(root.resolve(CONFIG))) {
      throw new IOException(root + ": not a run directory (no " + CONFIG + ")");
    }
    RunRecord record = Files.exists(root.resolve(RECORD)) ? readRecord(root) : null;
    try {
      AtomicFiles.deleteStale(root, STALE_MILLIS);
    } catch (IOException e) {
      // reading a run must not fail because an old temporary file cannot be removed (a read-only copy)
    }
    return new RunDirectory(root, null, false, false, record);
  }

  private static RunRecord readRecord(Path root) throws IOException {
    Path file = root.resolve(RECORD);
    RunRecord record;
    try {
      if (Files.size(file) > 1 << 20) {
        throw new IOException(file + ": " + Files.size(file) + " bytes; not a run record");
      }
      record = RECORDS.readValue(file.toFile(), RunRecord.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + ": not a vi4j run record ("
          + io.vi4j.core.io.JsonProblems.describe(e) + ")", e);
    } catch (IOException e) {
      throw IoErrors.named(file, "cannot be read", e);
    }
    if (record == null || !RunRecord.FORMAT.equals(record.format()) || record.state() == null) {
      throw new IOException(file + ": not a vi4j run record (no format '" + RunRecord.FORMAT + "' and state)");
    }
    if (record.version() != RunRecord.VERSION) {
      throw new IOException(file + ": run record version " + record.version() + "; this vi4j reads "
          + RunRecord.VERSION);
    }
    return record;
  }

  /** @return the run's record; empty for a run written before records existed. */
  public Optional<RunRecord> record() {
    return Optional.ofNullable(record);
  }

  /**
   * @return what relative data paths in {@code config.yaml} resolve against: the directory recorded when
   *     the run started, or {@code fallback} for a run written before records existed
   */
  public Path dataDirectory(Path fallback) {
    return record == null || record.dataDirectory() == null ? fallback : Path.of(record.dataDirectory());
  }

  /**
   * Fails, saying where the run stands, unless it finished: a command that reports a model's figures
   * must never use a model that is still training, was killed, or diverged.
   *
   * @param what what the caller needs, for the message (such as {@code "a trained model"})
   */
  public void requireFinished(String what) throws IOException {
    if (record == null) {
      if (!Files.exists(file(SUMMARY))) {
        throw new IOException(root + ": no " + SUMMARY + "; the run has not finished (killed or still training),"
            + " so it holds no " + what + "; continue it with vi4j train --resume " + root);
      }
      return;
    }
    switch (record.state()) {
      case FINISHED -> {
        return;
      }
      case TRAINING -> throw new IOException(root + ": the run has not finished (" + RECORD + " says training: it"
          + " is still running or was killed), so it holds no " + what + "; continue it with vi4j train --resume "
          + root);
      case DIVERGED -> throw new IOException(root + ": training diverged (" + record.divergence() + "), so it"
          + " holds no " + what + "; change training.learning_rate or training.clip_gradient and train again");
      default -> throw new IllegalStateException("unknown state " + record.state());
    }
  }

  /**
   * Starts writing: removes the outputs of the run this one replaces (when created with {@code force}),
   * then records the run as training. Call after every check of the config and data has passed.
   *
   * @param dataDirectory what relative data paths in the config resolve against
   * @param data the data's fingerprint, or null
   */
  public void begin(Path dataDirectory, DataFingerprint data) throws IOException {
    begin(dataDirectory, data, List.of());
  }

  /**
   * As {@link #begin(Path, DataFingerprint)}, recording the outside plugin jars the run's config uses.
   *
   * @param plugins the jars, by file name and SHA-256
   */
  public void begin(Path dataDirectory, DataFingerprint data, List<RunRecord.PluginFile> plugins) throws IOException {
    requireLocked();
    RunRecord started = RunRecord.started(dataDirectory.toAbsolutePath().normalize().toString(), data, plugins);
    if (replacing) {
      // The record first: from here on the directory says "training", whatever point a kill stops at.
      writeRecord(started);
      for (String output : OUTPUTS) {
        if (!output.equals(RECORD)) {
          Directories.deleteRecursively(file(output));
        }
      }
    } else {
      writeRecord(started);
    }
  }

  /**
   * Continues a killed run: records it as training again (a run from before records existed gets its
   * record now, with {@code dataDirectory}).
   */
  public void beginResumed(Path dataDirectory, DataFingerprint data) throws IOException {
    beginResumed(dataDirectory, data, List.of());
  }

  /**
   * As {@link #beginResumed(Path, DataFingerprint)}; a record written now lists {@code plugins} (a run
   * that has a record keeps the jars it recorded when it started).
   */
  public void beginResumed(Path dataDirectory, DataFingerprint data, List<RunRecord.PluginFile> plugins)
      throws IOException {
    requireLocked();
    if (record == null) {
      writeRecord(RunRecord.started(dataDirectory.toAbsolutePath().normalize().toString(), data, plugins));
    }
  }

  /** Records that the run finished: {@code parameters.bin} and {@code summary.json} are final. */
  public void finish() throws IOException {
    requireBegun();
    writeRecord(record.finished());
  }

  /** Records that training diverged, and why. */
  public void diverged(String reason) throws IOException {
    requireBegun();
    writeRecord(record.diverged(reason));
  }

  private void requireLocked() {
    if (lockChannel == null) {
      throw new IllegalStateException(root + " was opened to read, not claimed to write");
    }
  }

  private void requireBegun() {
    requireLocked();
    if (record == null) {
      throw new IllegalStateException(root + ": begin() was not called");
    }
  }

  private void writeRecord(RunRecord next) throws IOException {
    AtomicFiles.write(file(RECORD), RECORDS.writeValueAsBytes(next));
    record = next;
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

  /** Writes {@code summary.json}: the run's figures, written once when it finishes. */
  public void writeSummary(RunSummary summary) throws IOException {
    summary.write(file(SUMMARY));
  }

  /** Appends one JSON object as a line of {@code metrics.jsonl}, flushed at once. */
  public void appendMetrics(Map<String, ?> record) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(
        file(METRICS), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write(JSON_LINE.writeValueAsString(record));
      out.newLine();
    } catch (IOException e) {
      throw IoErrors.named(file(METRICS), "cannot append", e);
    }
  }

  /** Replaces {@code metrics.jsonl} atomically with these records (a resumed run's metrics so far). */
  public void rewriteMetrics(List<? extends Map<String, ?>> records) throws IOException {
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
