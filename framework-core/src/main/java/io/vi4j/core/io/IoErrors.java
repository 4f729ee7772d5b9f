package io.vi4j.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Turns the JDK's I/O exceptions into messages that name the file and say what went wrong: the JDK's own
 * messages are often a bare path ({@code /proc/self/run}), a bare reason ({@code No space left on
 * device}) or an encoder's generic line ({@code I/O error writing PNG file!}).
 */
public final class IoErrors {
  private IoErrors() {}

  /**
   * @return what went wrong, without the path: the operating system's reason where it gave one, else the
   *     innermost cause's message (an image encoder wraps the real failure)
   */
  public static String reason(Throwable e) {
    if (e instanceof FileSystemException f && f.getReason() != null && !f.getReason().isBlank()) {
      return f.getReason();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    if (e instanceof FileSystemException) {
      return e.getClass().getSimpleName().replace("Exception", "").toLowerCase(java.util.Locale.ROOT);
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      return reason(cause);
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /**
   * @param path the file or directory the operation was on
   * @param doing what was being done, such as {@code "cannot write"}
   * @return an exception whose message reads {@code PATH: DOING (REASON)}, with {@code e} as its cause
   */
  public static IOException named(Path path, String doing, IOException e) {
    String prefix = path + ": ";
    if (e.getMessage() != null && e.getMessage().startsWith(prefix) && !(e instanceof FileSystemException)) {
      return e; // already names the file
    }
    return new IOException(prefix + doing + " (" + reason(e) + ")", e);
  }
}
