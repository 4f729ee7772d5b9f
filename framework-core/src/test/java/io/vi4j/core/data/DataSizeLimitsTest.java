package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.plugin.BuildContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizes from a config that overflow an int or a float end in a message, not a raw exception. */
class DataSizeLimitsTest {

  @TempDir Path dir;

  @Test
  void spritesSizeBeyondOneFloatArrayIsRefusedNamingTheOption() {
    // 3,000,000 × 784 values overflow an int: before, a NegativeArraySizeException.
    assertThatThrownBy(() -> SpritesDataset.train(3_000_000, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("train_size: 3000000 images of 28×28 are more than the " + SpritesDataset.MAX_SIZE
            + " one Java float array can hold");
    assertThatThrownBy(() -> SpritesDataset.test(Integer.MAX_VALUE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("test_size: 2147483647 images of 28×28 are more than the");
    assertThat(SpritesDataset.MAX_SIZE).isEqualTo(2_739_137);
  }

  @Test
  void csvScaleOutsideTheFloatRangeOrOverflowingIsReported() throws IOException {
    Files.writeString(dir.resolve("tr.csv"), "1,3e38\n");
    Files.writeString(dir.resolve("te.csv"), "1,2\n");
    BuildContext context = new BuildContext(0, 0, null, dir);
    // 1e300 is a positive finite double but an infinite float: before, a message that named no option.
    CsvDataSpec huge = new CsvDataSpec("tr.csv", "te.csv", null, null, 1e300, null, null, null, null);
    assertThatThrownBy(() -> new CsvDataFactory().create(huge, context).load())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scale: 1.0E300 is outside the float range; use a positive divisor such as 255");
    CsvDataSpec tiny = new CsvDataSpec("tr.csv", "te.csv", null, null, 0.01, null, null, null, null);
    assertThatThrownBy(() -> new CsvDataFactory().create(tiny, context).load())
        .isInstanceOf(DataException.class)
        .hasMessage(dir.resolve("tr.csv") + ": value 3.0E38 (item 0, position 1) divided by scale 0.01 is"
            + " not a finite float");
  }
}
