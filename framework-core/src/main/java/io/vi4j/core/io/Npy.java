package io.vi4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes arrays in NumPy's {@code .npy} format (version 1.0: magic {@code \x93NUMPY}, a little-endian
 * header length, a Python-literal header padded so the data start at a multiple of 64 bytes, then the
 * data in C order), so that {@code numpy.load} reads them as they are.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private Npy() {}

  /**
   * Writes float32 values atomically.
   *
   * @param values row-major, length the product of {@code shape}
   * @param shape the array's shape, such as {@code {N, L}}
   */
  public static void writeFloats(Path file, float[] values, int... shape) throws IOException {
    checkLength(values.length, shape);
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    write(file, "<f4", shape, data.array());
  }

  /** Writes int32 values atomically (labels). */
  public static void writeInts(Path file, int[] values, int... shape) throws IOException {
    checkLength(values.length, shape);
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asIntBuffer().put(values);
    write(file, "<i4", shape, data.array());
  }

  private static void checkLength(int length, int[] shape) {
    long size = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    if (size != length) {
      throw new IllegalArgumentException(
          length + " values do not fill the shape " + Arrays.toString(shape));
    }
  }

  private static void write(Path file, String descr, int[] shape, byte[] data) throws IOException {
    String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    String tuple = shape.length == 1 ? "(" + dims + ",)" : "(" + dims + ")";
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
    int unpadded = MAGIC.length + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + headerBytes.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putShort((short) headerBytes.length).put(headerBytes).put(data);
    AtomicFiles.write(file, out.array());
  }
}
