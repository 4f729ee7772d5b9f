package io.vi4j.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tensor file's round trip, and a clear {@link CheckpointException} for every kind of damage. */
class TensorFileTest {
  private static final String SOURCE = "/runs/x/checkpoints/step-000000000007/tensors.bin";

  // Entry 0 is "w" (name length 1), so its fields lie at fixed offsets.
  private static final int NAME_LENGTH_AT = 16;
  private static final int NAME_AT = 20;
  private static final int TYPE_AT = 21;
  private static final int RANK_AT = 25;
  private static final int DIM0_AT = 29;

  private static Map<String, HostTensor> sample() {
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    tensors.put("w", tensor(DataType.FLOAT32, new long[] {2, 3},
        le(6 * 4).putFloat(1f).putFloat(-2f).putFloat(Float.NaN).putFloat(Float.MIN_VALUE)
            .putFloat(Float.NEGATIVE_INFINITY).putFloat(-0f)));
    tensors.put("parameter/encoder.bias", tensor(DataType.FLOAT64, new long[] {2},
        le(16).putDouble(Math.PI).putDouble(-1e-300)));
    tensors.put("scalar", tensor(DataType.FLOAT32, new long[] {}, le(4).putFloat(42.5f)));
    tensors.put("estimator.state/baseline ü∑", tensor(DataType.INT32, new long[] {1, 2},
        le(8).putInt(Integer.MIN_VALUE).putInt(Integer.MAX_VALUE)));
    tensors.put("empty", tensor(DataType.FLOAT64, new long[] {3, 0, 2}, le(0)));
    tensors.put(Checkpoint.DATA_ORDER, HostTensor.ofLongs(new long[] {4, Long.MIN_VALUE, Long.MAX_VALUE, 0}));
    return tensors;
  }

  private static ByteBuffer le(int capacity) {
    return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static HostTensor tensor(DataType type, long[] shape, ByteBuffer data) {
    return new HostTensor(type, shape, data.array());
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> refused(byte[] bytes) {
    return assertThatThrownBy(() -> TensorFile.decode(bytes, SOURCE))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith(SOURCE + ": ");
  }

  private static byte[] patchInt(byte[] bytes, int offset, int value) {
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    return copy;
  }

  private static byte[] patchLong(byte[] bytes, int offset, long value) {
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
    return copy;
  }

  @Test
  void roundTripsEveryTypeScalarsAndEmptyDimensionsInOrder(@TempDir Path dir) throws Exception {
    Map<String, HostTensor> tensors = sample();
    byte[] bytes = TensorFile.encode(tensors);
    assertThat(Arrays.copyOf(bytes, 8)).isEqualTo("VI4JTNSR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Map<String, HostTensor> back = TensorFile.decode(bytes, SOURCE);
    assertThat(back).containsExactlyEntriesOf(tensors);
    assertThat(back.get("scalar").shape()).isEmpty();
    assertThat(back.get("empty").shape()).containsExactly(3, 0, 2);
    assertThat(back.get(Checkpoint.DATA_ORDER).toLongs()).containsExactly(4, Long.MIN_VALUE, Long.MAX_VALUE, 0);
    ByteBuffer w = ByteBuffer.wrap(back.get("w").data()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(Float.isNaN(w.getFloat(8))).isTrue();
    assertThat(Float.floatToRawIntBits(w.getFloat(20))).isEqualTo(Float.floatToRawIntBits(-0f));
    // Encoding is deterministic, and the file API reads what encode wrote.
    assertThat(TensorFile.encode(back)).isEqualTo(bytes);
    Path file = dir.resolve("tensors.bin");
    Files.write(file, bytes);
    assertThat(TensorFile.read(file)).containsExactlyEntriesOf(tensors);
    // No arrays at all is a valid file of 16 bytes.
    assertThat(TensorFile.decode(TensorFile.encode(Map.of()), SOURCE)).isEmpty();
    assertThat(TensorFile.encode(Map.of())).hasSize(16);
  }

  @Test
  void aBadMagicOrAnotherVersionIsRefusedWithItsOffset() {
    byte[] bytes = TensorFile.encode(sample());
    byte[] magic = bytes.clone();
    magic[3] = 'X';
    refused(magic).hasMessageContaining("not a vi4j tensor file").hasMessageContaining("offset 0");
    refused(patchInt(bytes, 8, 2)).hasMessageContaining("version 2 at offset 8").hasMessageContaining("reads 1");
    refused(patchInt(bytes, 8, -1)).hasMessageContaining("version -1 at offset 8");
  }

  @Test
  void everyPrefixOfAValidFileIsRefusedAsACheckpointException() {
    byte[] bytes = TensorFile.encode(sample());
    for (int length = 0; length < bytes.length; length++) {
      byte[] prefix = Arrays.copyOf(bytes, length);
      try {
        TensorFile.decode(prefix, SOURCE);
        throw new AssertionError("a prefix of " + length + " of " + bytes.length + " bytes was accepted");
      } catch (CheckpointException e) {
        assertThat(e.getMessage()).as("prefix of %d bytes", length).startsWith(SOURCE + ": ").contains("offset");
      } catch (RuntimeException e) {
        throw new AssertionError("a prefix of " + length + " bytes ended in " + e, e);
      }
    }
    // A prefix that ends inside the header is reported as truncated, not as a bad field.
    refused(Arrays.copyOf(bytes, 14)).hasMessageContaining("truncated").hasMessageContaining("header");
    refused(Arrays.copyOf(bytes, bytes.length - 1)).hasMessageContaining("truncated");
  }

  @Test
  void aCountThatCannotFitTheFileIsRefusedBeforeAnythingIsAllocated() {
    byte[] bytes = TensorFile.encode(sample());
    refused(patchInt(bytes, 12, Integer.MAX_VALUE))
        .hasMessageContaining("entry count " + Integer.MAX_VALUE + " at offset 12");
    refused(patchInt(bytes, 12, -5)).hasMessageContaining("entry count -5 at offset 12");
    // One entry more than written: the count still fits, and the missing entry is reported as truncated.
    refused(patchInt(bytes, 12, sample().size() + 1)).hasMessageContaining("entry " + sample().size())
        .hasMessageContaining("truncated");
    // One fewer: the last entry is left over.
    refused(patchInt(bytes, 12, sample().size() - 1)).hasMessageContaining("unexpected bytes after the last entry");
  }

  @Test
  void badNamesTypesRanksAndDimensionsAreRefusedWithEntryAndOffset() {
    byte[] bytes = TensorFile.encode(sample());
    refused(patchInt(bytes, NAME_LENGTH_AT, 0))
        .hasMessageContaining("entry 0 at offset 16: invalid name length 0");
    refused(patchInt(bytes, NAME_LENGTH_AT, -7)).hasMessageContaining("entry 0 at offset 16: invalid name length -7");
    refused(patchInt(bytes, NAME_LENGTH_AT, 1 << 30)).hasMessageContaining("invalid name length 1073741824");
    refused(patchInt(bytes, TYPE_AT, 4))
        .hasMessageContaining("entry 0 ('w') at offset 21: invalid element type code 4");
    refused(patchInt(bytes, TYPE_AT, -1)).hasMessageContaining("element type code -1");
    refused(patchInt(bytes, RANK_AT, 9)).hasMessageContaining("entry 0 ('w') at offset 25: invalid rank 9");
    refused(patchInt(bytes, RANK_AT, -1)).hasMessageContaining("invalid rank -1");
    refused(patchLong(bytes, DIM0_AT, -2))
        .hasMessageContaining("entry 0 ('w') at offset 29: invalid dimension 0 is -2");
    refused(patchLong(bytes, DIM0_AT, Long.MAX_VALUE)).hasMessageContaining("invalid dimension 0 is " + Long.MAX_VALUE);
    refused(patchLong(bytes, DIM0_AT + 8, Long.MIN_VALUE)).hasMessageContaining("dimension 1 is " + Long.MIN_VALUE);
    // A rank-3 entry that reads its data length from the first data bytes.
    refused(patchInt(bytes, RANK_AT, 3)).hasMessageContaining("entry 0 ('w') at offset 53: invalid data length");
  }

  @Test
  void aShapeWhoseSizeOverflowsIsRefused() {
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    tensors.put("w", tensor(DataType.FLOAT32, new long[] {1, 1, 1, 1, 1, 1, 1, 1}, le(4).putFloat(1f)));
    tensors.put("big", tensor(DataType.INT64, new long[] {300}, le(2400)));
    byte[] bytes = TensorFile.encode(tensors);
    for (int k = 0; k < 8; k++) {
      bytes = patchLong(bytes, DIM0_AT + 8 * k, 2000); // 2000^8 overflows a long; each fits the file's size
    }
    refused(bytes).hasMessageContaining("entry 0 ('w')").hasMessageContaining("overflows")
        .hasMessageContaining("offset");
  }

  @Test
  void aDataLengthThatDisagreesWithTheShapeIsRefused() {
    byte[] bytes = TensorFile.encode(sample());
    int lengthAt = DIM0_AT + 16; // "w" has rank 2
    refused(patchLong(bytes, lengthAt, 25))
        .hasMessageContaining("entry 0 ('w') at offset " + lengthAt + ": invalid data length 25 where shape [2, 3]")
        .hasMessageContaining("needs 24");
    refused(patchLong(bytes, lengthAt, -1)).hasMessageContaining("invalid data length -1");
    // A shape and length that agree with each other but not with what is left of the file.
    long rows = bytes.length; // the largest dimension the reader lets through
    byte[] longer = patchLong(patchLong(bytes, DIM0_AT, rows), lengthAt, rows * 3 * 4);
    refused(longer).hasMessageContaining("data of " + rows * 12 + " bytes, but only").hasMessageContaining("truncated");
  }

  @Test
  void aDuplicateNameIsRefused() {
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    tensors.put("a1", HostTensor.ofLongs(new long[] {1}));
    tensors.put("a2", HostTensor.ofLongs(new long[] {2}));
    byte[] bytes = TensorFile.encode(tensors);
    int second = 16 + 4 + 2 + 4 + 4 + 8 + 8 + 8; // entry 0: length, name, type, rank, one dimension, length, data
    assertThat(bytes[second + 4 + 1]).isEqualTo((byte) '2');
    bytes[second + 4 + 1] = '1';
    refused(bytes).hasMessageContaining("entry 1 ('a1') at offset " + second + ": the name appears twice");
  }

  @Test
  void trailingBytesAreRefusedWithTheirCountAndOffset() {
    byte[] bytes = TensorFile.encode(sample());
    refused(Arrays.copyOf(bytes, bytes.length + 3))
        .hasMessageContaining("3 unexpected bytes after the last entry at offset " + bytes.length);
  }

  @Test
  void aNameThatIsNotUtf8IsRefused() {
    byte[] bytes = TensorFile.encode(sample());
    for (byte bad : List.of((byte) 0xff, (byte) 0xc3, (byte) 0x80)) { // invalid, a lone lead byte, a lone continuation
      byte[] copy = bytes.clone();
      copy[NAME_AT] = bad;
      refused(copy).hasMessageContaining("entry 0 at offset 16: invalid name (not UTF-8)");
    }
  }

  @Test
  void encodeRefusesWhatDecodeWouldRefuse() throws Exception {
    HostTensor one = HostTensor.ofLongs(new long[] {1});
    assertThatThrownBy(() -> TensorFile.encode(Map.of("", one)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names of 1 to 1024");
    assertThatThrownBy(() -> TensorFile.encode(Map.of("x".repeat(1025), one)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1025 UTF-8 bytes");
    assertThatThrownBy(() -> TensorFile.encode(Map.of("bad \uD800 surrogate", one)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not encodable as UTF-8");
    HostTensor rank9 = new HostTensor(DataType.INT32, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, new byte[4]);
    assertThatThrownBy(() -> TensorFile.encode(Map.of("r", rank9)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 9");
    // The longest name allowed round-trips.
    Map<String, HostTensor> longest = Map.of("y".repeat(1024), one);
    assertThat(TensorFile.decode(TensorFile.encode(longest), SOURCE)).isEqualTo(longest);
  }
}
