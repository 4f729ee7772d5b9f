package io.vi4j.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes a file through a temporary sibling that is moved into place when complete (atomically where
 * the file system allows), so readers see the old file or the new one, never a part of either. The
 * temporary file is forced to the disk before the move and the directory after it, so a power cut leaves
 * the old file or the whole new one, never an empty file under the new name.
 *
 * <p>A process killed while writing leaves its temporary file ({@code .NAME.HEX.tmp}) behind;
 * {@link #deleteStale} removes such files.
 */
public final class AtomicFiles {
  /** The names of the temporary files {@link #write} makes: {@code .NAME.HEX.tmp}. */
  public static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]{1,16}\\.tmp");

  private AtomicFiles() {}

  /** Writes the content of an output stream. */
  @FunctionalInterface
  public interface Writer {
    /** Writes everything to {@code out}; it is closed by the caller. */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code bytes} to {@code target} atomically, creating parent directories. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /**
   * Writes what {@code writer} produces to {@code target} atomically, creating parent directories.
   *
   * @throws IOException naming {@code target} and the reason (a full disk, a missing permission, ...)
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw IoErrors.named(dir, "cannot create the directory", e);
    }
    Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
        writer.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } catch (IOException e) {
      throw IoErrors.named(target, "cannot write", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the failure that brought us here is the one to report
      }
    }
  }

  /** Forces a directory's entries to the disk; a no-op where the platform cannot open directories. */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not supported on every platform (Windows); the rename itself is still atomic.
    }
  }

  /**
   * Deletes the temporary files that killed writers left in {@code dir} (not in its subdirectories).
   *
   * @param olderThanMillis only files last modified at least this long ago (0 for all): a writer that is
   *     still running keeps its file
   * @return how many were deleted
   */
  public static int deleteStale(Path dir, long olderThanMillis) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long cutoff = System.currentTimeMillis() - olderThanMillis;
    int deleted = 0;
    try (var entries = Files.newDirectoryStream(dir, p -> TEMPORARY.matcher(p.getFileName().toString()).matches())) {
      for (Path p : entries) {
        if (Files.isRegularFile(p) && (olderThanMillis <= 0 || Files.getLastModifiedTime(p).toMillis() <= cutoff)) {
          deleted += Files.deleteIfExists(p) ? 1 : 0;
        }
      }
    }
    return deleted;
  }
}
