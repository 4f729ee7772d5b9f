package io.vi4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.engine.Engines;
import org.junit.jupiter.api.Test;

class MinibatchesTest {

  @Test
  void hostRowsAreTheEnginesGatherOfTheSameIndicesAndStepsDoNotShareMemory() {
    int rows = 50;
    int columns = 7;
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f - 3f;
    }
    Dataset train = new Dataset("t", values, rows, columns, null, new int[] {columns});
    long[] order = new long[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = (i * 17L) % rows; // 17 is prime to 50: a permutation
    }
    try (NDManager manager = Engines.pytorch().newBaseManager();
        Minibatches host = Minibatches.fromHost(train);
        Minibatches device = Minibatches.onDevice(train, manager)) {
      // An array kept past its step (on the fit's manager) holds its own rows after later steps reuse the
      // host buffer.
      NDArray kept = host.rows(order, 0, 16, manager);
      float[] keptValues = kept.toFloatArray();
      for (int from = 0; from < rows; from += 16) {
        int to = Math.min(rows, from + 16);
        try (NDManager step = manager.newSubManager()) {
          NDArray fromHost = host.rows(order, from, to, step);
          NDArray gathered = device.rows(order, from, to, step);
          assertThat(fromHost.getShape()).isEqualTo(new Shape(to - from, columns));
          assertThat(fromHost.toFloatArray()).containsExactly(gathered.toFloatArray());
          assertThat(fromHost.toFloatArray()[0]).isEqualTo(values[(int) order[from] * columns]);
        }
      }
      assertThat(kept.toFloatArray()).containsExactly(keptValues);
    }
  }
}
