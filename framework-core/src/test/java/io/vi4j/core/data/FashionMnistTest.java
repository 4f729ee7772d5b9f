package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST when Debian's dataset-fashion-mnist package is installed. */
class FashionMnistTest {

  @Test
  void readsTheInstalledDataset() throws IOException {
    assumeTrue(
        Files.isDirectory(IdxReader.FASHION_MNIST_DIR),
        IdxReader.FASHION_MNIST_DIR + " is missing (apt-get install dataset-fashion-mnist)");
    DataSplits splits = new FashionMnistDataFactory().create(FashionMnistDataSpec.defaults(), null).load();
    check(splits.train(), 60000);
    check(splits.test(), 10000);
    assertThat(splits.binarization()).isEqualTo(Binarization.NONE);
    assertThat(splits.train().name()).startsWith(IdxReader.FASHION_MNIST_DIR.toString()).contains("train-images");
  }

  @Test
  void limitsAndStaticBinarization() throws IOException {
    assumeTrue(Files.isDirectory(IdxReader.FASHION_MNIST_DIR));
    DataSplits splits =
        new FashionMnistDataFactory()
            .create(new FashionMnistDataSpec(null, "static", 1L, 1000, 100), null)
            .load();
    assertThat(splits.train().rows()).isEqualTo(1000);
    assertThat(splits.test().rows()).isEqualTo(100);
    for (float v : splits.train().values()) {
      assertThat(v).isIn(0f, 1f);
    }
  }

  private static void check(Dataset data, int rows) {
    assertThat(data.rows()).isEqualTo(rows);
    assertThat(data.columns()).isEqualTo(784);
    assertThat(data.itemShape()).containsExactly(28, 28);
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : data.values()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isEqualTo(0f);
    assertThat(max).isEqualTo(1f);
    int[] counts = new int[10];
    for (int label : data.labels()) {
      assertThat(label).isBetween(0, 9);
      counts[label]++;
    }
    assertThat(counts).containsOnly(rows / 10); // Fashion-MNIST is exactly balanced
  }
}
