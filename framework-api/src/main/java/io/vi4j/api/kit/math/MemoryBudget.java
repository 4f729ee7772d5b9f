package io.vi4j.api.kit.math;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Checks, before anything is allocated, that a size a user asked for fits this machine, so that a width,
 * a sample count or an item count too large ends in an error naming the setting rather than in a native
 * allocation failure, an integer overflow or an {@link OutOfMemoryError} deep inside the engine.
 *
 * <p>The checks are estimates of the largest single allocation a setting causes (float32 values), held
 * against the machine's physical memory (native arrays) or a Java array's limit (values handed to Java);
 * they refuse what cannot work, not what might be slow.
 */
public final class MemoryBudget {
  /** The most elements a Java array holds. */
  public static final long JAVA_ARRAY_LIMIT = Integer.MAX_VALUE - 8;

  private MemoryBudget() {}

  /** @return the machine's physical memory in bytes (8 GiB where the platform does not say). */
  public static long physicalBytes() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      long total = sun.getTotalMemorySize();
      if (total > 0) {
        return total;
      }
    }
    return 8L << 30;
  }

  /**
   * Fails unless {@code factors} float32 values fit in the machine's memory.
   *
   * @param setting the setting at fault, as the user wrote it ({@code "estimator.samples"}, {@code "--k"})
   * @param formula what the factors are, in words ({@code "128 items × 5 samples × 784 values"})
   * @param factors the sizes whose product is the number of values
   * @throws IllegalArgumentException naming the setting, the product and the memory available
   */
  public static void checkNative(String setting, String formula, long... factors) {
    String problem = nativeProblem(formula, factors);
    if (problem != null) {
      throw new IllegalArgumentException(setting + ": " + problem + "; lower " + setting);
    }
  }

  /**
   * @return null when {@code factors} float32 values fit in the machine's memory, else the problem in
   *     words, starting with {@code formula}
   */
  public static String nativeProblem(String formula, long... factors) {
    long values = product(factors);
    long limit = physicalBytes() / Float.BYTES;
    if (values >= 0 && values <= limit) {
      return null;
    }
    return formula + " = " + count(values) + " values (" + bytes(values) + ") at once, more than this machine's "
        + bytes(limit) + " of memory";
  }

  /**
   * Fails unless {@code factors} values fit in one Java array (and the Java heap).
   *
   * @throws IllegalArgumentException naming the setting and the limit
   */
  public static void checkJava(String setting, String formula, long... factors) {
    long values = product(factors);
    long heap = Runtime.getRuntime().maxMemory() / Float.BYTES;
    if (values < 0 || values > JAVA_ARRAY_LIMIT || values > heap) {
      throw new IllegalArgumentException(setting + ": " + formula + " = " + count(values) + " values ("
          + bytes(values) + "), more than " + (values > heap && heap < JAVA_ARRAY_LIMIT
              ? "the Java heap of " + bytes(heap) + " holds (VI4J_JAVA_OPTS=-Xmx... raises it)"
              : "one Java array holds (" + count(JAVA_ARRAY_LIMIT) + ")") + "; lower " + setting);
    }
  }

  /** @return the product, or −1 when it overflows a long. */
  private static long product(long... factors) {
    long n = 1;
    for (long f : factors) {
      if (f < 0) {
        return -1;
      }
      try {
        n = Math.multiplyExact(n, f);
      } catch (ArithmeticException e) {
        return -1;
      }
    }
    return n;
  }

  private static String count(long values) {
    return values < 0 ? "more than 9.2e18" : String.format(Locale.ROOT, "%,d", values);
  }

  /** @return {@code values} float32 values in binary units. */
  private static String bytes(long values) {
    if (values < 0) {
      return "beyond any machine";
    }
    double b = values * (double) Float.BYTES;
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }
}
