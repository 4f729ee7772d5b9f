package io.vi4j.core.data;

import java.util.Arrays;

/**
 * Allocation of the readers' value arrays within what Java can hold: at most {@link #MAX_VALUES}
 * elements per array, and a {@link DataException} naming the file, not an {@link OutOfMemoryError},
 * when the heap cannot give the memory.
 */
final class HeapArrays {

  /** The most elements a Java array can safely hold: 2,147,483,639 ({@code Integer.MAX_VALUE - 8}). */
  static final int MAX_VALUES = Integer.MAX_VALUE - 8;

  private static final long MIB = 1L << 20;

  private HeapArrays() {}

  /**
   * @param source the file the values come from, for the message
   * @param length the number of values, at most {@link #MAX_VALUES}
   * @param what what the values are, for the message ({@code "its 60000 values"})
   * @return a new {@code float[length]}
   * @throws DataException when the heap cannot give the memory
   */
  static float[] floats(String source, int length, String what) throws DataException {
    try {
      return new float[length];
    } catch (OutOfMemoryError e) {
      throw tooLarge(source, 4L * length, what);
    }
  }

  /**
   * @return a copy of {@code values} of length {@code length} (padded with zeros)
   * @throws DataException when the heap cannot give the memory
   */
  static float[] grow(String source, float[] values, int length, String what) throws DataException {
    try {
      return Arrays.copyOf(values, length);
    } catch (OutOfMemoryError e) {
      throw tooLarge(source, 4L * length, what);
    }
  }

  /**
   * @return a copy of {@code values} of length {@code length} (padded with zeros)
   * @throws DataException when the heap cannot give the memory
   */
  static int[] grow(String source, int[] values, int length, String what) throws DataException {
    try {
      return Arrays.copyOf(values, length);
    } catch (OutOfMemoryError e) {
      throw tooLarge(source, 4L * length, what);
    }
  }

  /** @return the next capacity of a growing array: twice {@code current}, within [{@code needed}, {@code max}] */
  static int nextCapacity(int current, long needed, long max) {
    return (int) Math.min(max, Math.max(needed, 2L * current));
  }

  private static DataException tooLarge(String source, long bytes, String what) {
    long maxMib = Runtime.getRuntime().maxMemory() / MIB;
    return new DataException(
        source,
        "needs " + ceilMib(bytes) + " MiB of memory for " + what + ", more than the Java heap can give (at most "
            + maxMib + " MiB); give Java more memory with -Xmx (VI4J_JAVA_OPTS for ./vi4j)");
  }

  private static long ceilMib(long bytes) {
    return (bytes + MIB - 1) / MIB;
  }
}
