package io.vi4j.core.engine;

import java.util.Locale;

/** Recognises what the native engine's exceptions mean, so that callers can report them in the user's terms. */
public final class NativeErrors {
  private NativeErrors() {}

  /**
   * @return whether {@code e} (or a cause) is an allocation the engine could not make: PyTorch's CPU
   *     allocator ("DefaultCPUAllocator: not enough memory", "can't allocate memory") or CUDA's ("CUDA out
   *     of memory")
   */
  public static boolean isOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("not enough memory") || m.contains("can't allocate memory") || m.contains("out of memory")
          || m.contains("cannot allocate memory") || m.contains("bad_alloc")) {
        return true;
      }
    }
    return false;
  }

  /** @return the first line of the exception's message (the engine appends C++ stack traces). */
  public static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = m.indexOf('\n');
    String line = newline < 0 ? m : m.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
