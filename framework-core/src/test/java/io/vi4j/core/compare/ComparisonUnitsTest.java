package io.vi4j.core.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.api.density.DataKind;
import io.vi4j.core.run.RunSummary;
import org.junit.jupiter.api.Test;

/**
 * A table's mixed likelihood (masses on its discrete columns) is never ranked beside densities of the same
 * table's codes, although both are evaluated as they are.
 */
class ComparisonUnitsTest {
  private static RunSummary summary(String protocol, DataKind kind) {
    return RunSummary.builder().name("r").protocol(protocol).likelihoodKind(kind).build();
  }

  @Test
  void mixedLikelihoodsGetATableOfTheirOwn() {
    assertThat(Comparison.unitsOf(summary("raw", DataKind.MIXED))).isEqualTo("raw-mixed");
    assertThat(Comparison.unitsOf(summary("raw", DataKind.CONTINUOUS))).isEqualTo("raw");
    assertThat(Comparison.unitsOf(summary("binarized", DataKind.BINARY))).isEqualTo("binarized");
    // A summary written before the kind was recorded stays in its protocol's table.
    assertThat(Comparison.unitsOf(summary("dequantized-8bit", null))).isEqualTo("dequantized-8bit");
  }
}
