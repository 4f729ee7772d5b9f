package io.vi4j.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks an {@code .npy} file the way numpy's format module reads it. */
public final class NpyHeaders {
  private NpyHeaders() {}

  /**
   * Asserts magic, version 1.0, a header ending the 64-byte-aligned preamble with a newline, and the
   * data length.
   *
   * @return the header text, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}
   */
  public static String header(Path file, int expectedDataBytes) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes[0] & 0xff).isEqualTo(0x93);
    assertThat(new String(bytes, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
    assertThat(bytes[6]).isEqualTo((byte) 1);
    assertThat(bytes[7]).isEqualTo((byte) 0);
    int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
    assertThat((10 + headerLength) % 64).isZero();
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertThat(header).endsWith("\n");
    assertThat(bytes.length - 10 - headerLength).isEqualTo(expectedDataBytes);
    return header;
  }
}
