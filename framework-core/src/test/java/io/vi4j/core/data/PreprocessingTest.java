package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

  private static Dataset grey(String name, int rows, float value) {
    float[] values = new float[rows * 10];
    Arrays.fill(values, value);
    int[] labels = new int[rows];
    return new Dataset(name, values, rows, 10, labels, null);
  }

  @Test
  void staticBinarizationGivesOnlyZerosAndOnesAndIsSeeded() throws DataException {
    DataSplits a = Preprocessing.finish(grey("tr", 1000, 0.3f), grey("te", 100, 0.3f), Binarization.STATIC, 7, null, null);
    DataSplits b = Preprocessing.finish(grey("tr", 1000, 0.3f), grey("te", 100, 0.3f), Binarization.STATIC, 7, null, null);
    DataSplits c = Preprocessing.finish(grey("tr", 1000, 0.3f), grey("te", 100, 0.3f), Binarization.STATIC, 8, null, null);
    assertThat(a.binarization()).isEqualTo(Binarization.STATIC);
    for (float v : a.train().values()) {
      assertThat(v).isIn(0f, 1f);
    }
    for (float v : a.test().values()) {
      assertThat(v).isIn(0f, 1f);
    }
    double mean = 0;
    for (float v : a.train().values()) {
      mean += v / 10000.0;
    }
    assertThat(mean).isCloseTo(0.3, within(0.03));
    assertThat(a.train().values()).isEqualTo(b.train().values());
    assertThat(a.test().values()).isEqualTo(b.test().values());
    assertThat(a.train().values()).isNotEqualTo(c.train().values());
    assertThat(Arrays.copyOf(a.train().values(), 1000)).isNotEqualTo(Arrays.copyOf(a.test().values(), 1000));
  }

  @Test
  void drawsDoNotDependOnTheLimit() throws DataException {
    DataSplits all = Preprocessing.finish(grey("tr", 100, 0.5f), grey("te", 50, 0.5f), Binarization.STATIC, 3, null, null);
    DataSplits some = Preprocessing.finish(grey("tr", 100, 0.5f), grey("te", 50, 0.5f), Binarization.STATIC, 3, 10, 5);
    assertThat(some.train().rows()).isEqualTo(10);
    assertThat(some.test().rows()).isEqualTo(5);
    assertThat(some.train().labels()).hasSize(10);
    assertThat(some.train().values()).isEqualTo(Arrays.copyOf(all.train().values(), 100));
    assertThat(some.test().values()).isEqualTo(Arrays.copyOf(all.test().values(), 50));
  }

  @Test
  void dynamicKeepsTrainingValuesAndDrawsTestOnce() throws DataException {
    DataSplits splits = Preprocessing.finish(grey("tr", 10, 0.4f), grey("te", 10, 0.4f), Binarization.DYNAMIC, 0, null, null);
    assertThat(splits.binarization()).isEqualTo(Binarization.DYNAMIC);
    for (float v : splits.train().values()) {
      assertThat(v).isEqualTo(0.4f);
    }
    for (float v : splits.test().values()) {
      assertThat(v).isIn(0f, 1f);
    }
  }

  @Test
  void noneKeepsEverythingAndLimitsAboveTheSizeKeepAll() throws DataException {
    Dataset train = grey("tr", 10, 7f);
    DataSplits splits = Preprocessing.finish(train, grey("te", 10, 7f), Binarization.NONE, 0, 100, null);
    assertThat(splits.train()).isSameAs(train);
    assertThat(splits.train().values()[0]).isEqualTo(7f);
  }

  @Test
  void binarizingValuesOutsideTheUnitIntervalFails() {
    assertThatThrownBy(() -> Preprocessing.finish(grey("train.csv", 3, 2f), grey("t", 3, 0f), Binarization.STATIC, 0, null, null))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith("train.csv: value 2.0 (item 0, position 0) is outside [0, 1], which binarize: static needs");
  }

  @Test
  void scalesAndParses() {
    float[] values = {0f, 51f, 255f};
    Preprocessing.scale(values, 255f);
    assertThat(values).containsExactly(0f, 0.2f, 1f);
    assertThat(Preprocessing.parseBinarization(null)).isEqualTo(Binarization.NONE);
    assertThat(Preprocessing.parseBinarization("Static")).isEqualTo(Binarization.STATIC);
    assertThat(Preprocessing.binarizationName(Binarization.DYNAMIC)).isEqualTo("dynamic");
    assertThatThrownBy(() -> Preprocessing.parseBinarization("threshold"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("binarize: 'threshold' is not accepted; use one of none, static, dynamic");
  }
}
