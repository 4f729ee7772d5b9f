package io.vi4j.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.kit.math.RowNoise;
import io.vi4j.core.engine.Engines;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Per-row noise: a row's draws depend on its seed and the draw's index only, not on the rows beside it. */
class RowNoiseTest {

  @Test
  void aRowsDrawsDoNotDependOnTheRowsBesideIt() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      long[] seeds = {RowNoise.rowSeed(7, 0), RowNoise.rowSeed(7, 1), RowNoise.rowSeed(7, 2)};
      float[] all;
      float[] last;
      try (RowNoise.Scope scope = RowNoise.perRow(seeds)) {
        all = RowNoise.normal(manager, new Shape(2, 3, 4), DataType.FLOAT32).toFloatArray();
      }
      try (RowNoise.Scope scope = RowNoise.perRow(new long[] {seeds[2]})) {
        last = RowNoise.normal(manager, new Shape(2, 1, 4), DataType.FLOAT32).toFloatArray();
      }
      // row 2 of each of the two outer draws: (o * 3 + 2) * 4
      assertThat(Arrays.copyOfRange(all, 8, 12)).containsExactly(Arrays.copyOfRange(last, 0, 4));
      assertThat(Arrays.copyOfRange(all, 20, 24)).containsExactly(Arrays.copyOfRange(last, 4, 8));
    }
  }

  /**
   * The values come from the thread's reused buffer: an array drawn earlier keeps its values after later
   * draws (the engine holds its own copy), draws of other sizes and types work, and the second draw of a
   * scope differs from the first.
   */
  @Test
  void drawsOwnTheirValuesAndFollowTheScopesCount() {
    try (NDManager manager = Engines.pytorch().newBaseManager();
        RowNoise.Scope scope = RowNoise.perRow(new long[] {1, 2})) {
      NDArray first = RowNoise.normal(manager, new Shape(2, 3), DataType.FLOAT32);
      float[] before = first.toFloatArray();
      NDArray wide = RowNoise.uniform(manager, new Shape(5000, 2, 3));
      NDArray second = RowNoise.normal(manager, new Shape(2, 3), DataType.FLOAT64);
      assertThat(first.toFloatArray()).containsExactly(before);
      assertThat(wide.getShape()).isEqualTo(new Shape(5000, 2, 3));
      float[] uniform = wide.toFloatArray();
      for (float u : uniform) {
        assertThat(u).isBetween(0f, 1f);
      }
      assertThat(second.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(second.toType(DataType.FLOAT32, false).toFloatArray()).isNotEqualTo(before);
      assertThatThrownBy(() -> RowNoise.normal(manager, new Shape(3, 2), DataType.FLOAT32))
          .hasMessageContaining("the second-to-last axis must be the rows");
    }
  }
}
