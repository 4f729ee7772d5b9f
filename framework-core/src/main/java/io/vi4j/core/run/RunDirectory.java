package io.vi4j.core.run;

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
 * {@code metrics.jsonl} (one JSON object per epoch), {@code summary.json}, {@code parameters.bin}, and
 * PNG pictures. Files are written atomically (a temporary file, then a move), so an interrupted run
 * never leaves a half-written file behind.
 */
public final class RunDirectory {
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

  private final Path root;

  private RunDirectory(Path root) {
    this.root = root;
  }

  /**
   * Claims a directory for a new run. Nothing is created until the first file is written, so a run that
   * fails before training (bad data, an impossible model) leaves nothing behind.
   *
   * @throws IOException when {@code root} already holds a run (it is never overwritten) or is a file
   */
  public static RunDirectory create(Path root) throws IOException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IOException(root + " is a file, not a directory; choose another --out");
    }
    if (Files.exists(root.resolve(CONFIG)) || Files.exists(root.resolve(SUMMARY))) {
      throw new IOException(root + " already holds a run (" + CONFIG + "); choose another --out");
    }
    return new RunDirectory(root);
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
    return new RunDirectory(root);
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

  /** Writes bytes to a temporary file beside {@code target}, then moves it into place. */
  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.write(target, bytes);
  }
}
