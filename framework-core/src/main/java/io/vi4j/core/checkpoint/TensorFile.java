package io.vi4j.core.checkpoint;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * vi4j's file of named arrays ({@code tensors.bin} in a checkpoint). Layout, all integers little-endian:
 *
 * <pre>
 *   8 bytes   magic "VI4JTNSR"
 *   int32     format version (1)
 *   int32     number of entries
 *   per entry:
 *     int32   name length in bytes, then the name (UTF-8)
 *     int32   element type: 0 float32, 1 float64, 2 int32, 3 int64
 *     int32   rank r (0 to 8), then r × int64 dimensions
 *     int64   data length in bytes (= product of dimensions × element size), then the data
 * </pre>
 *
 * Reading checks every length against what is left of the file before allocating, so a corrupt or
 * hostile file is refused with its offset, never decoded into garbage or a huge allocation.
 */
public final class TensorFile {
  /** The first eight bytes. */
  public static final byte[] MAGIC = "VI4JTNSR".getBytes(StandardCharsets.US_ASCII);
  /** The version this class writes and reads. */
  public static final int VERSION = 1;
  private static final int MAX_RANK = 8;
  private static final int MAX_NAME_BYTES = 1024;
  private static final DataType[] TYPES = {DataType.FLOAT32, DataType.FLOAT64, DataType.INT32, DataType.INT64};

  private TensorFile() {}

  /**
   * @return the file's bytes for {@code tensors}, in their iteration order
   * @throws IllegalArgumentException for what {@link #decode} would refuse: an empty name, one of more than
   *     1024 UTF-8 bytes or not encodable as UTF-8 (an unpaired surrogate), or a rank above 8
   */
  public static byte[] encode(Map<String, HostTensor> tensors) {
    // Sized first and written into one array: a growing stream held about three times the checkpoint in
    // garbage (its doublings and the final copy), which grew the Java heap at the first checkpoint.
    long size = MAGIC.length + 8L;
    Map<String, byte[]> names = new LinkedHashMap<>();
    for (Map.Entry<String, HostTensor> entry : tensors.entrySet()) {
      byte[] name = nameBytes(entry.getKey());
      HostTensor t = entry.getValue();
      if (t.shape().length > MAX_RANK) {
        throw new IllegalArgumentException("array '" + entry.getKey() + "' has rank " + t.shape().length
            + "; a tensor file holds ranks 0 to " + MAX_RANK);
      }
      names.put(entry.getKey(), name);
      size += 4L + name.length + 4 + 4 + 8L * t.shape().length + 8 + t.data().length;
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the arrays need " + size + " bytes; a tensor file is encoded in one"
          + " Java array, at most " + (Integer.MAX_VALUE - 8) + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putInt(VERSION).putInt(tensors.size());
    for (Map.Entry<String, HostTensor> entry : tensors.entrySet()) {
      byte[] name = names.get(entry.getKey());
      HostTensor t = entry.getValue();
      out.putInt(name.length).put(name).putInt(typeCode(t.dataType())).putInt(t.shape().length);
      for (long d : t.shape()) {
        out.putLong(d);
      }
      out.putLong(t.data().length).put(t.data());
    }
    return out.array();
  }

  /** Reads a file written by {@link #encode}. */
  public static Map<String, HostTensor> read(Path file) throws IOException {
    return decode(Files.readAllBytes(file), file.toString());
  }

  /**
   * @param bytes a whole file
   * @param source names the file in errors
   * @throws CheckpointException naming the source, the entry and the byte offset of what is wrong
   */
  public static Map<String, HostTensor> decode(byte[] bytes, String source) throws CheckpointException {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    String where = "header";
    try {
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new CheckpointException(source + ": not a vi4j tensor file (no VI4JTNSR header at offset 0)");
      }
      int version = in.getInt();
      if (version != VERSION) {
        throw new CheckpointException(source + ": tensor file version " + version + " at offset 8; this vi4j reads "
            + VERSION);
      }
      int count = in.getInt();
      if (count < 0 || count > in.remaining() / 20) {
        throw new CheckpointException(source + ": entry count " + count + " at offset 12 does not fit the file's "
            + bytes.length + " bytes");
      }
      Map<String, HostTensor> tensors = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        where = "entry " + i;
        int offset = in.position();
        int nameLength = in.getInt();
        if (nameLength <= 0 || nameLength > MAX_NAME_BYTES || nameLength > in.remaining()) {
          throw bad(source, where, offset, "name length " + nameLength);
        }
        byte[] nameBytes = new byte[nameLength];
        in.get(nameBytes);
        String name = utf8(nameBytes, source, where, offset);
        where = "entry " + i + " ('" + name + "')";
        int typeOffset = in.position();
        int code = in.getInt();
        if (code < 0 || code >= TYPES.length) {
          throw bad(source, where, typeOffset, "element type code " + code + " (0 to " + (TYPES.length - 1) + ")");
        }
        int rankOffset = in.position();
        int rank = in.getInt();
        if (rank < 0 || rank > MAX_RANK) {
          throw bad(source, where, rankOffset, "rank " + rank + " (0 to " + MAX_RANK + ")");
        }
        long[] shape = new long[rank];
        long elements = 1;
        for (int k = 0; k < rank; k++) {
          int dimOffset = in.position();
          shape[k] = in.getLong();
          if (shape[k] < 0 || shape[k] > bytes.length) {
            throw bad(source, where, dimOffset, "dimension " + k + " is " + shape[k]);
          }
          elements = Math.multiplyExact(elements, shape[k]);
        }
        int lengthOffset = in.position();
        long length = in.getLong();
        long expected = Math.multiplyExact(elements, TYPES[code].getNumOfBytes());
        if (length != expected) {
          throw bad(source, where, lengthOffset, "data length " + length + " where shape "
              + java.util.Arrays.toString(shape) + " of " + TYPES[code] + " needs " + expected);
        }
        if (length > in.remaining()) {
          throw bad(source, where, lengthOffset, "data of " + length + " bytes, but only " + in.remaining()
              + " are left (truncated file)");
        }
        byte[] data = new byte[(int) length];
        in.get(data);
        if (tensors.put(name, new HostTensor(TYPES[code], shape, data)) != null) {
          throw new CheckpointException(source + ": " + where + " at offset " + offset + ": the name appears twice");
        }
      }
      if (in.hasRemaining()) {
        throw new CheckpointException(source + ": " + in.remaining() + " unexpected bytes after the last entry at offset "
            + in.position());
      }
      return tensors;
    } catch (BufferUnderflowException e) {
      throw new CheckpointException(source + ": truncated tensor file (" + where + " at offset " + in.position()
          + " ends past the file's " + bytes.length + " bytes)");
    } catch (ArithmeticException e) {
      throw new CheckpointException(source + ": " + where + " at offset " + in.position()
          + ": the shape's size overflows");
    }
  }

  private static byte[] nameBytes(String name) {
    byte[] bytes;
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(java.nio.CharBuffer.wrap(name));
      bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("array name '" + name + "' is not encodable as UTF-8", e);
    }
    if (bytes.length == 0 || bytes.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("array name '" + name + "' has " + bytes.length
          + " UTF-8 bytes; a tensor file holds names of 1 to " + MAX_NAME_BYTES);
    }
    return bytes;
  }

  private static CheckpointException bad(String source, String where, int offset, String what) {
    return new CheckpointException(source + ": " + where + " at offset " + offset + ": invalid " + what);
  }

  private static String utf8(byte[] bytes, String source, String where, int offset) throws CheckpointException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad(source, where, offset, "name (not UTF-8)");
    }
  }

  private static int typeCode(DataType type) {
    for (int i = 0; i < TYPES.length; i++) {
      if (TYPES[i] == type) {
        return i;
      }
    }
    throw new IllegalArgumentException("no tensor-file code for " + type);
  }
}
