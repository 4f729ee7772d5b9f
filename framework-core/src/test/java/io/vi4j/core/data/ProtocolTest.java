package io.vi4j.core.data;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableSchema;
import io.vi4j.api.density.DataKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolTest {
  private static Dataset grey(float... values) {
    return new Dataset("grey", values, 1, values.length, null, null);
  }

  @Test
  void dequantizationPutsEachLevelInItsOwnBinOfWidthOneOver256() {
    float[] levels = {0f, 1f / 255, 128f / 255, 1f};
    DataSplits data = new DataSplits(grey(levels), grey(levels), Binarization.NONE);
    DataSplits once = Protocol.DEQUANTIZED_8BIT.prepare(data, 7);
    DataSplits again = Protocol.DEQUANTIZED_8BIT.prepare(data, 7);
    int[] k = {0, 1, 128, 255};
    for (int i = 0; i < k.length; i++) {
      float v = once.train().values()[i];
      assertThat((double) v).isBetween(k[i] / 256.0, (k[i] + 1) / 256.0);
    }
    assertThat(again.train().values()).containsExactly(once.train().values());
    assertThat(once.train().values()).isNotEqualTo(once.test().values()); // independent noise per split
  }

  @Test
  void bitsPerDimensionFollowTheProtocol() {
    // A uniform density on [0,1]^D has log p = 0: exactly 8 bits per 8-bit dimension.
    assertThat(Protocol.DEQUANTIZED_8BIT.bitsPerDimension(0, 784)).isCloseTo(8.0, within(1e-12));
    // A fair coin per binary pixel: 1 bit per dimension.
    assertThat(Protocol.BINARIZED.bitsPerDimension(-784 * Math.log(2), 784)).isCloseTo(1.0, within(1e-12));
    assertThat(Protocol.RAW.bitsPerDimension(-100, 784)).isNaN();
  }

  @Test
  void autoChoosesByTheModelAndTheDataAndWrongPairsAreRefused() {
    assertThat(Protocol.choose(DataKind.CONTINUOUS, Binarization.NONE)).isEqualTo(Protocol.DEQUANTIZED_8BIT);
    assertThat(Protocol.choose(DataKind.BINARY, Binarization.STATIC)).isEqualTo(Protocol.BINARIZED);
    assertThat(Protocol.choose(DataKind.BINARY, Binarization.NONE)).isEqualTo(Protocol.RAW);
    // A table is evaluated as it is, whatever the model: a Gaussian baseline of its codes too.
    TableSchema columns = new TableSchema(List.of(new TableColumn("x", TableColumn.Kind.CONTINUOUS, null, 0, 1),
        new TableColumn("c", TableColumn.Kind.COUNT, null, 0, 1)), null, null, null);
    Dataset rows = new Dataset("table", new float[] {0.5f, 1f}, 1, 2, null, null, columns, null);
    assertThat(Protocol.choose(DataKind.CONTINUOUS, new DataSplits(rows, rows, Binarization.NONE)))
        .isEqualTo(Protocol.RAW);
    assertThat(Protocol.choose(DataKind.CONTINUOUS, new DataSplits(grey(0f, 1f), grey(1f, 0f), Binarization.NONE)))
        .isEqualTo(Protocol.DEQUANTIZED_8BIT);
    DataSplits binary = new DataSplits(grey(0f, 1f), grey(1f, 0f), Binarization.STATIC);
    assertThatThrownBy(() -> Protocol.DEQUANTIZED_8BIT.prepare(binary, 1))
        .hasMessageContaining("needs grey levels");
    DataSplits greyData = new DataSplits(grey(0.5f), grey(0.5f), Binarization.NONE);
    assertThatThrownBy(() -> Protocol.BINARIZED.prepare(greyData, 1))
        .hasMessageContaining("set data.binarize to static or dynamic");
    DataSplits outside = new DataSplits(grey(2f), grey(0.5f), Binarization.NONE);
    assertThatThrownBy(() -> Protocol.DEQUANTIZED_8BIT.prepare(outside, 1))
        .hasMessageContaining("has value 2.0");
    assertThat(Protocol.parse("auto")).isNull();
    assertThatThrownBy(() -> Protocol.parse("exact")).hasMessageContaining("auto, dequantized-8bit, binarized, raw");
  }
}
