package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void roundTripsImagesAndLabels(boolean gzip) throws IOException {
    byte[] pixels = IdxTestFiles.pattern(5 * 3 * 4);
    // Names deliberately do not match the compression: detection is by magic bytes.
    Path images = IdxTestFiles.images(dir.resolve(gzip ? "images.idx" : "images.gz"), 5, 3, 4, pixels, gzip);
    Path labels = IdxTestFiles.labels(dir.resolve("labels"), new byte[] {0, 9, 3, (byte) 200, 7}, gzip);

    IdxReader.IdxArray raw = IdxReader.readImages(images);
    assertThat(raw.dims()).containsExactly(5, 3, 4);
    assertThat(raw.count()).isEqualTo(5);
    assertThat(raw.itemShape()).containsExactly(3, 4);
    assertThat(raw.itemSize()).isEqualTo(12);
    assertThat(raw.typeCode()).isEqualTo(IdxReader.TYPE_UNSIGNED_BYTE);
    for (int i = 0; i < pixels.length; i++) {
      assertThat(raw.values()[i]).isEqualTo(pixels[i] & 0xff);
    }
    assertThat(IdxReader.readLabels(labels)).containsExactly(0, 9, 3, 200, 7);

    Dataset data = IdxReader.readDataset(images, labels);
    assertThat(data.name()).isEqualTo(images.toString());
    assertThat(data.rows()).isEqualTo(5);
    assertThat(data.columns()).isEqualTo(12);
    assertThat(data.itemShape()).containsExactly(3, 4);
    assertThat(data.labels()).containsExactly(0, 9, 3, 200, 7);
    for (int i = 0; i < pixels.length; i++) {
      assertThat(data.values()[i]).isEqualTo((pixels[i] & 0xff) / 255f);
    }
    assertThat(IdxReader.readDataset(images, null).hasLabels()).isFalse();
  }

  @Test
  void readsWiderTypesBigEndian() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeFloat(1.5f);
    out.writeFloat(-2f);
    out.writeFloat(0.25f);
    out.writeFloat(3f);
    Path file = IdxTestFiles.write(dir.resolve("f"), IdxTestFiles.bytes(0x00000D02, new int[] {2, 2}, bytes.toByteArray()), false);
    IdxReader.IdxArray array = IdxReader.read(file);
    assertThat(array.values()).containsExactly(1.5f, -2f, 0.25f, 3f);
    Dataset data = IdxReader.readDataset(file, null);
    assertThat(data.values()).containsExactly(1.5f, -2f, 0.25f, 3f); // only unsigned bytes are scaled
    assertThat(data.itemShape()).containsExactly(2);

    Path shorts = IdxTestFiles.write(dir.resolve("s"), IdxTestFiles.bytes(0x00000B01, new int[] {2}, new byte[] {0x01, 0x02, (byte) 0xff, (byte) 0xfe}), true);
    assertThat(IdxReader.readLabels(shorts)).containsExactly(258, -2);
  }

  @Test
  void wrongMagicNumberSaysWhatWasFoundAndExpected() throws IOException {
    Path file = dir.resolve("not-idx.csv");
    Files.writeString(file, "a,b,c\n1,2,3\n");
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("wrong magic number 0x612C622C")
        .hasMessageContaining("expected 0x0000")
        .hasMessageContaining("0x00000803");
  }

  @Test
  void unsupportedTypeCode() throws IOException {
    Path file = IdxTestFiles.write(dir.resolve("t"), IdxTestFiles.bytes(0x00000A01, new int[] {2}, new byte[] {1, 2}), false);
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("unsupported data type code 0x0A")
        .hasMessageContaining("0x08 (unsigned byte)");
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void truncatedDataSaysExpectedAndFoundBytes(boolean gzip) throws IOException {
    byte[] content = IdxTestFiles.bytes(0x00000803, new int[] {3, 2, 2}, IdxTestFiles.pattern(7));
    Path file = IdxTestFiles.write(dir.resolve("short"), content, gzip);
    assertThatThrownBy(() -> IdxReader.readImages(file))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("need 12 bytes of data, found 7");
  }

  @Test
  void cutOffGzipStreamIsReportedAsTruncated() throws IOException {
    byte[] content = IdxTestFiles.bytes(0x00000803, new int[] {100, 28, 28}, IdxTestFiles.pattern(100 * 784));
    Path full = IdxTestFiles.write(dir.resolve("full.gz"), content, true);
    byte[] gz = Files.readAllBytes(full);
    Path cut = dir.resolve("cut.gz");
    Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
    assertThatThrownBy(() -> IdxReader.readImages(cut))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(cut.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("need 78400 bytes of data, found");
  }

  @Test
  void truncatedHeader() throws IOException {
    Path file = dir.resolve("tiny");
    Files.write(file, new byte[] {0, 0});
    assertThatThrownBy(() -> IdxReader.read(file))
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("truncated: expected a 4-byte IDX magic number, found 2");
    Path dims = IdxTestFiles.write(dir.resolve("dims"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1}, false);
    assertThatThrownBy(() -> IdxReader.read(dims))
        .hasMessageContaining("truncated: expected 12 bytes of header for 3 dimensions, found 4");
  }

  @Test
  void trailingBytesAreAnError() throws IOException {
    Path file = IdxTestFiles.write(dir.resolve("long"), IdxTestFiles.bytes(0x00000801, new int[] {2}, new byte[] {1, 2, 3}), false);
    assertThatThrownBy(() -> IdxReader.readLabels(file))
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("has bytes after the 2 bytes of data");
  }

  @Test
  void labelCountMismatchNamesBothFiles() throws IOException {
    Path images = IdxTestFiles.images(dir.resolve("img"), 4, 2, 2, IdxTestFiles.pattern(16), true);
    Path labels = IdxTestFiles.labels(dir.resolve("lab"), new byte[] {1, 2, 3}, true);
    assertThatThrownBy(() -> IdxReader.readDataset(images, labels))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(labels.toString())
        .hasMessageContaining("has 3 labels but " + images + " has 4 images");
  }

  @Test
  void swappedImageAndLabelFilesAreExplained() throws IOException {
    Path images = IdxTestFiles.images(dir.resolve("img"), 4, 2, 2, IdxTestFiles.pattern(16), false);
    Path labels = IdxTestFiles.labels(dir.resolve("lab"), new byte[] {1, 2, 3, 4}, false);
    assertThatThrownBy(() -> IdxReader.readDataset(labels, images))
        .hasMessageStartingWith(labels.toString())
        .hasMessageContaining("is this a label file?");
    assertThatThrownBy(() -> IdxReader.readLabels(images))
        .hasMessageStartingWith(images.toString())
        .hasMessageContaining("is this an image file?");
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("nope-idx3-ubyte.gz");
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": file not found");
    Path deep = dir.resolve("no/such/dir/f.gz");
    assertThatThrownBy(() -> IdxReader.read(deep))
        .hasMessageStartingWith(deep.toString())
        .hasMessageContaining("file not found")
        .hasMessageContaining("does not exist either");
    assertThatThrownBy(() -> IdxReader.read(dir)).hasMessageContaining("is a directory");
  }

  @Test
  void missingMnistDirectorySaysHowToInstall() {
    Path missing = dir.resolve("fashion-mnist");
    assertThatThrownBy(() -> IdxReader.locateMnistFiles(missing))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(missing.toString())
        .hasMessageContaining("directory not found")
        .hasMessageContaining("apt-get install dataset-fashion-mnist");
  }

  @Test
  void locatesGzipOrPlainNames() throws IOException {
    for (String name : IdxReader.MNIST_FILE_NAMES) {
      Files.write(dir.resolve(name.replace(".gz", "")), new byte[0]);
    }
    Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
    IdxReader.IdxFiles files = IdxReader.locateMnistFiles(dir);
    assertThat(files.trainImages()).isEqualTo(dir.resolve("train-images-idx3-ubyte.gz"));
    assertThat(files.trainLabels()).isEqualTo(dir.resolve("train-labels-idx1-ubyte"));
    assertThat(files.testImages()).isEqualTo(dir.resolve("t10k-images-idx3-ubyte"));
    assertThat(files.testLabels()).isEqualTo(dir.resolve("t10k-labels-idx1-ubyte"));

    Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
    assertThatThrownBy(() -> IdxReader.locateMnistFiles(dir))
        .hasMessageStartingWith(dir.toString())
        .hasMessageContaining("neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte");
  }
}
