package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vi4j.api.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDX headers that declare more than the file holds, or more than memory or a Java array can hold: each
 * ends in a {@link DataException} naming the file, never in an {@link OutOfMemoryError}, and nothing
 * is allocated for data that the file cannot deliver (a gzip file's values beyond sixteen times its size
 * grow as its data arrive).
 */
class IdxLimitsTest {

  @TempDir Path dir;

  private static byte[] gzip(byte[]... members) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] member : members) {
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(one)) {
        out.write(member);
      }
      bytes.write(one.toByteArray());
    }
    return bytes.toByteArray();
  }

  /** Overwrites the gzip trailer's ISIZE (uncompressed size mod 2^32), as a hostile file may. */
  private static byte[] withIsize(byte[] gz, int isize) {
    byte[] copy = gz.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(copy.length - 4, isize);
    return copy;
  }

  private static byte[] random(int count, long seed) {
    byte[] data = new byte[count];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      data[i] = (byte) random.nextInt(256);
    }
    return data;
  }

  @Test
  void gzipDeclaringMoreThanDeflateCanExpandToIsRefusedBeforeAllocating() throws IOException {
    // 2e9 declared bytes in a gzip file of ~130 bytes whose trailer claims 4 GiB: before, 8 GB of floats
    // were allocated (an OutOfMemoryError) because the trailer was taken as proof.
    byte[] content = IdxTestFiles.bytes(0x00000801, new int[] {2_000_000_000}, IdxTestFiles.pattern(100));
    Path file = dir.resolve("labels.gz");
    Files.write(file, withIsize(gzip(content), -1));
    long size = Files.size(file);
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": dims [2000000000] of unsigned byte need 2000000000 bytes of data, more than"
            + " a gzip file of " + size + " bytes can hold (deflate expands at most 1032-fold);"
            + " a corrupt header or a cut-off file");
  }

  @Test
  void gzipStreamShorterThanDeclaredEndsWithoutAllocatingTheDeclaredSize() throws IOException {
    // 2 MB of incompressible data: the size check lets 2e9 declared bytes through (2 MB × 1032 > 2e9),
    // so the values must grow with the data, not be allocated from the header (8 GB).
    byte[] content = IdxTestFiles.bytes(0x00000801, new int[] {2_000_000_000}, random(2_000_000, 1));
    Path file = dir.resolve("labels.gz");
    Files.write(file, withIsize(gzip(content), -1));
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(file + ": corrupt gzip stream after 2000008 bytes of content");

    Path honest = dir.resolve("honest.gz");
    Files.write(honest, gzip(content));
    assertThatThrownBy(() -> IdxReader.read(honest))
        .isInstanceOf(DataException.class)
        .hasMessage(honest + ": truncated: dims [2000000000] of unsigned byte need 2000000000 bytes of data,"
            + " found 2000000");
  }

  @Test
  void multiMemberGzipIsReadWhole() throws IOException {
    // The trailer of the last member tells only that member's size: it is no proof of truncation.
    byte[] pixels = IdxTestFiles.pattern(6 * 4 * 5);
    byte[] content = IdxTestFiles.bytes(0x00000803, new int[] {6, 4, 5}, pixels);
    Path file = dir.resolve("images.gz");
    Files.write(file, gzip(Arrays.copyOf(content, 50), Arrays.copyOfRange(content, 50, content.length)));
    IdxReader.IdxArray array = IdxReader.read(file);
    assertThat(array.dims()).containsExactly(6, 4, 5);
    for (int i = 0; i < pixels.length; i++) {
      assertThat(array.values()[i]).isEqualTo(pixels[i] & 0xff);
    }
  }

  @Test
  void aGzipFilesValuesAreAllocatedAtOnceUpToSixteenTimesItsSize() {
    // Fashion-MNIST's training images: 47,040,000 bytes in a 26,421,856-byte file, allocated once (no
    // doubling copies); MNIST's compress 4.7-fold, also within the bound.
    assertThat(IdxReader.firstGrowing(47_040_000, 1, 26_421_856)).isEqualTo(47_040_000);
    assertThat(IdxReader.firstGrowing(47_040_000, 1, 9_912_422)).isEqualTo(47_040_000);
    // A header claiming more than the file plausibly holds: 16 times its size, then growth with the data
    assertThat(IdxReader.firstGrowing(2_000_000_000, 1, 2_000_000)).isEqualTo(32_000_000);
    assertThat(IdxReader.firstGrowing(2_000_000_000, 4, 2_000_000)).isEqualTo(8_000_000);
    assertThat(IdxReader.firstGrowing(2_000_000_000, 1, 100)).isEqualTo(1 << 20); // the least first step
    assertThat(IdxReader.firstGrowing(10, 1, 100)).isEqualTo(10);
  }

  @Test
  void largeGzipIsReadAcrossGrowthSteps() throws IOException {
    // More values than the first allocation of a gzip read (1 << 20), so the values grow twice.
    int n = 3 * (1 << 20) + 5;
    byte[] pixels = IdxTestFiles.pattern(n);
    Path file = IdxTestFiles.write(dir.resolve("big.gz"), IdxTestFiles.bytes(0x00000801, new int[] {n}, pixels), true);
    IdxReader.IdxArray array = IdxReader.read(file);
    assertThat(array.values()).hasSize(n);
    assertThat(array.values()[n - 1]).isEqualTo(pixels[n - 1] & 0xff);
    assertThat(array.values()[1 << 20]).isEqualTo(pixels[1 << 20] & 0xff);
  }

  @Test
  void corruptDeflateDataNamesTheFile() throws IOException {
    byte[] content = IdxTestFiles.bytes(0x00000803, new int[] {100, 28, 28}, random(100 * 784, 2));
    byte[] gz = gzip(content);
    Path file = dir.resolve("images.gz");
    for (int at : new int[] {gz.length / 2, gz.length - 6}) {
      byte[] bad = gz.clone();
      bad[at] ^= 0x55;
      Files.write(file, bad);
      // Before, the stream's ZipException ("Corrupt GZIP trailer", "invalid ...") escaped without the file.
      assertThatThrownBy(() -> IdxReader.read(file))
          .isInstanceOf(DataException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining("gzip");
    }
  }

  @Test
  void itemDimsThatOverflowAreRefusedEvenWithZeroItems() throws IOException {
    // 0 items of 65536 × 65536: before, read() accepted it and itemSize() overflowed an int.
    Path file = IdxTestFiles.write(
        dir.resolve("zero"), IdxTestFiles.bytes(0x00000803, new int[] {0, 65536, 65536}, new byte[0]), false);
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": dims [0, 65536, 65536] hold more than 2147483639 values per item, the most a"
            + " Java float array can hold; a corrupt header, or data too large to load at once");
  }

  @Test
  void totalBeyondAJavaArrayIsRefusedWithTheLimit() throws IOException {
    Path file = IdxTestFiles.write(
        dir.resolve("huge"), IdxTestFiles.bytes(0x00000803, new int[] {65536, 256, 256}, new byte[0]), false);
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": dims [65536, 256, 256] hold 4294967296 values, more than the 2147483639 a"
            + " Java float array can hold; a corrupt header, or data too large to load at once");
  }

  @Test
  void rawFileLargerThanTheHeapFailsWithAClearMessage() throws IOException {
    long values = 2_000_000_000L;
    assumeTrue(Runtime.getRuntime().maxMemory() < 4 * values, "needs a heap smaller than 8 GB");
    // A sparse file: the header and 2e9 data bytes that read as zeros, taking no disk space.
    Path file = IdxTestFiles.write(
        dir.resolve("sparse"), IdxTestFiles.bytes(0x00000801, new int[] {(int) values}, new byte[0]), false);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(8 + values);
    }
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(file + ": needs 7630 MiB of memory for its 2000000000 values, more than the"
            + " Java heap can give (at most ")
        .hasMessageEndingWith(" MiB); give Java more memory with -Xmx (VI4J_JAVA_OPTS for ./vi4j)");
  }

  @Test
  void hugeLabelCountInARawFileIsTruncationNotAnAllocation() throws IOException {
    Path labels = IdxTestFiles.write(
        dir.resolve("lab"), IdxTestFiles.bytes(0x00000801, new int[] {Integer.MAX_VALUE - 8}, new byte[3]), false);
    assertThatThrownBy(() -> IdxReader.readLabels(labels))
        .isInstanceOf(DataException.class)
        .hasMessage(labels + ": truncated: dims [2147483639] of unsigned byte need 2147483639 bytes of data, found 3");
  }

  @Test
  void readDatasetStillScales() throws IOException {
    Path images = IdxTestFiles.images(dir.resolve("img"), 1, 1, 2, new byte[] {0, (byte) 255}, true);
    Dataset data = IdxReader.readDataset(images, null);
    assertThat(data.values()).containsExactly(0f, 1f);
  }
}
