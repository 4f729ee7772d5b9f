package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelFilterTest {

  private static final Dataset DATA = new Dataset(
      "d.csv", new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2, new int[] {3, 1, 3, 2}, new int[] {1, 2});

  @Test
  void removesTheItemsOfTheExcludedLabels() {
    Dataset kept = LabelFilter.withoutLabels(DATA, List.of(3));
    assertThat(kept.name()).isEqualTo("d.csv without labels [3]");
    assertThat(kept.rows()).isEqualTo(2);
    assertThat(kept.values()).containsExactly(2, 3, 6, 7);
    assertThat(kept.labels()).containsExactly(1, 2);
    assertThat(kept.itemShape()).containsExactly(1, 2);
    assertThat(LabelFilter.withoutLabels(DATA, List.of(9)).rows()).isEqualTo(4);
  }

  @Test
  void removingEveryItemIsRefusedNamingTheLabelsThatOccur() {
    assertThatThrownBy(() -> LabelFilter.withoutLabels(DATA, List.of(1, 2, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("exclude_train_labels [1, 2, 3] removes every item of d.csv, whose labels are [1, 2, 3];"
            + " keep at least one of them");
  }

  @Test
  void manyDistinctLabelsAreListedBriefly() {
    int n = 50;
    int[] labels = new int[n];
    Integer[] all = new Integer[n];
    for (int i = 0; i < n; i++) {
      labels[i] = n - i;
      all[i] = i + 1;
    }
    Dataset data = new Dataset("many", new float[n], n, 1, labels, null);
    assertThatThrownBy(() -> LabelFilter.withoutLabels(data, List.of(all)))
        .hasMessageContaining("whose labels are [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... (50 distinct)]");
  }

  @Test
  void unlabelledDataIsRefused() {
    Dataset data = new Dataset("sprites", new float[] {1}, 1, 1, null, null);
    assertThatThrownBy(() -> LabelFilter.withoutLabels(data, List.of(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sprites has no labels, so exclude_train_labels [3] cannot be applied");
  }
}
