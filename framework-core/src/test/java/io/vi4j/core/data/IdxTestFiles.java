package io.vi4j.core.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxTestFiles {
  private IdxTestFiles() {}

  /** @return the header and data bytes of an IDX file */
  static byte[] bytes(int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    out.flush();
    return bytes.toByteArray();
  }

  /** Writes the bytes, gzip-compressed or raw. */
  static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    if (gzip) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(content);
      }
    } else {
      Files.write(file, content);
    }
    return file;
  }

  /** Writes an unsigned-byte image file of {@code n} items of {@code h × w}. */
  static Path images(Path file, int n, int h, int w, byte[] data, boolean gzip) throws IOException {
    return write(file, bytes(0x00000803, new int[] {n, h, w}, data), gzip);
  }

  /** Writes an unsigned-byte label file. */
  static Path labels(Path file, byte[] labels, boolean gzip) throws IOException {
    return write(file, bytes(0x00000801, new int[] {labels.length}, labels), gzip);
  }

  /** @return {@code n·size} deterministic bytes covering 0..255 */
  static byte[] pattern(int count) {
    byte[] data = new byte[count];
    for (int i = 0; i < count; i++) {
      data[i] = (byte) ((i * 37 + 11) & 0xff);
    }
    return data;
  }
}
