package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.plugin.BuildContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No data source returns an empty split: it fails naming the file (or the dataset) instead. */
class EmptyDataTest {

  @TempDir Path dir;

  private BuildContext context() {
    return new BuildContext(0, 0, null, dir);
  }

  @Test
  void zeroImagesAreNotADataset() throws IOException {
    Path images = IdxTestFiles.images(dir.resolve("img"), 0, 2, 2, new byte[0], true);
    assertThat(IdxReader.read(images).count()).isZero(); // a valid IDX file
    assertThatThrownBy(() -> IdxReader.readDataset(images, null))
        .isInstanceOf(DataException.class)
        .hasMessage(images + ": holds 0 images; a data set needs at least 1 item");
    Path labels = IdxTestFiles.labels(dir.resolve("lab"), new byte[0], false);
    assertThatThrownBy(() -> IdxReader.readDataset(images, labels))
        .hasMessage(images + ": holds 0 images; a data set needs at least 1 item");
  }

  @Test
  void idxSourceWithAnEmptyTestFileFailsNamingIt() throws IOException {
    IdxTestFiles.images(dir.resolve("tr"), 2, 2, 2, IdxTestFiles.pattern(8), false);
    Path test = IdxTestFiles.images(dir.resolve("te.gz"), 0, 2, 2, new byte[0], true);
    IdxDataSpec spec = new IdxDataSpec("tr", null, "te.gz", null, null, null, null, null);
    // Before, the empty split was returned and training ended in "/ by zero" much later.
    assertThatThrownBy(() -> new IdxDataFactory().create(spec, context()).load())
        .isInstanceOf(DataException.class)
        .hasMessage(test + ": holds 0 images; a data set needs at least 1 item");
  }

  @Test
  void fashionMnistDirectoryWithAnEmptyFileFailsNamingIt() throws IOException {
    IdxTestFiles.images(dir.resolve("train-images-idx3-ubyte.gz"), 0, 2, 2, new byte[0], true);
    IdxTestFiles.labels(dir.resolve("train-labels-idx1-ubyte.gz"), new byte[0], true);
    IdxTestFiles.images(dir.resolve("t10k-images-idx3-ubyte.gz"), 1, 2, 2, IdxTestFiles.pattern(4), true);
    IdxTestFiles.labels(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1}, true);
    FashionMnistDataSpec spec = new FashionMnistDataSpec(dir.toString(), null, null, null, null);
    assertThatThrownBy(() -> new FashionMnistDataFactory().create(spec, context()).load())
        .isInstanceOf(DataException.class)
        .hasMessage(dir.resolve("train-images-idx3-ubyte.gz") + ": holds 0 images; a data set needs at least 1 item");
  }

  @Test
  void csvWithOnlyAHeaderFailsNamingIt() throws IOException {
    Files.writeString(dir.resolve("tr.csv"), "a,b\n1,2\n");
    Path test = Files.writeString(dir.resolve("te.csv"), "a,b\n\n");
    CsvDataSpec spec = new CsvDataSpec("tr.csv", "te.csv", null, null, null, null, null, null, null);
    assertThatThrownBy(() -> new CsvDataFactory().create(spec, context()).load())
        .isInstanceOf(DataException.class)
        .hasMessage(test + ": has a header (line 1) but no data rows");
  }

  @Test
  void finishRefusesAnEmptySplitFromAnySource() {
    Dataset some = new Dataset("some", new float[] {0.5f}, 1, 1, null, null);
    Dataset none = new Dataset("plugin data", new float[0], 0, 1, null, null);
    assertThatThrownBy(() -> Preprocessing.finish(some, none, Binarization.NONE, 0, null, null))
        .isInstanceOf(DataException.class)
        .hasMessage("plugin data: holds 0 items; a data set needs at least 1 item");
    assertThatThrownBy(() -> Preprocessing.finish(none, some, Binarization.STATIC, 0, 5, 5))
        .isInstanceOf(DataException.class)
        .hasMessage("plugin data: holds 0 items; a data set needs at least 1 item");
  }

  @Test
  void dataSplitsRefuseAnEmptySplit() {
    Dataset some = new Dataset("some", new float[] {0.5f}, 1, 1, null, null);
    Dataset none = new Dataset("nothing", new float[0], 0, 1, null, null);
    assertThatThrownBy(() -> new DataSplits(none, some, Binarization.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("train (nothing) holds 0 items; a data set needs at least 1 item");
    assertThatThrownBy(() -> new DataSplits(some, none, Binarization.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("test (nothing) holds 0 items; a data set needs at least 1 item");
  }
}
