package io.vi4j.core.data;

import io.vi4j.core.io.Printable;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opening data files: existence checks with clear messages, and gzip detection by magic bytes.
 *
 * <p>Only regular files (or symbolic links to them) are read. Devices ({@code /dev/zero},
 * {@code /dev/stdin}), FIFOs and sockets are refused before they are opened: they may never end, and
 * opening a FIFO without a writer blocks; the readers also open a file more than once (to detect gzip,
 * to check sizes), which a pipe does not allow.
 */
final class DataFiles {
  private DataFiles() {}

  /**
   * Fails with a {@link DataException} unless {@code file} is an existing, readable regular file.
   *
   * @throws DataException {@code FILE: is a directory, expected a file}, {@code FILE: file not found},
   *     {@code FILE: not a regular file (...)} or {@code FILE: file is not readable}
   */
  static void requireFile(Path file) throws DataException {
    if (Files.isDirectory(file)) {
      throw new DataException(file, "is a directory, expected a file");
    }
    if (!Files.exists(file)) {
      Path parent = file.toAbsolutePath().getParent();
      String where =
          parent != null && !Files.isDirectory(parent)
              ? " (its directory " + parent + " does not exist either)"
              : "";
      throw new DataException(file, "file not found" + where);
    }
    if (!Files.isRegularFile(file)) {
      throw new DataException(
          file, "not a regular file (a device, a pipe or a socket); give the path of a data file");
    }
    if (!Files.isReadable(file)) {
      throw new DataException(file, "file is not readable");
    }
  }

  /** @return whether the file starts with the gzip magic bytes {@code 1f 8b} */
  static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  /**
   * Opens a file for reading, decompressing it when it starts with the gzip magic bytes (whatever
   * its name).
   */
  static InputStream open(Path file) throws IOException {
    requireFile(file);
    boolean gzip = isGzip(file);
    InputStream raw;
    try {
      raw = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new DataException(file, "file not found", e);
    }
    try {
      return gzip
          ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
          : new BufferedInputStream(raw, 1 << 16);
    } catch (IOException e) {
      raw.close();
      throw new DataException(file, "not a valid gzip file: " + Printable.escape(String.valueOf(e.getMessage()), 200), e);
    }
  }
}
