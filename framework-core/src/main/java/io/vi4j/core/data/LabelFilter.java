package io.vi4j.core.data;

import io.vi4j.api.data.Dataset;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Removes the items of some labels from a dataset: the {@code exclude_train_labels} option of an
 * experiment (train without a class, then score it as an outlier).
 */
public final class LabelFilter {

  /** Distinct labels listed in a message before the rest is summarised. */
  private static final int LISTED_LABELS = 10;

  private LabelFilter() {}

  /**
   * Keeps the items whose label is not excluded, in their order.
   *
   * @param data labelled items: {@code rows × columns} values, {@code rows} labels
   * @param excluded the labels to remove (the config's {@code exclude_train_labels})
   * @return the kept items, {@code kept × columns} values and {@code kept} labels, with the item shape of
   *     {@code data}, named {@code NAME without labels [..]}; sharing nothing with {@code data}
   * @throws IllegalArgumentException when {@code data} has no labels ({@code NAME has no labels, so
   *     exclude_train_labels [3] cannot be applied}), or when no item would remain ({@code
   *     exclude_train_labels [..] removes every item of NAME, whose labels are [..]; keep at least one
   *     of them})
   */
  public static Dataset withoutLabels(Dataset data, List<Integer> excluded) {
    if (!data.hasLabels()) {
      throw new IllegalArgumentException(
          data.name() + " has no labels, so exclude_train_labels " + excluded + " cannot be applied");
    }
    Set<Integer> removed = Set.copyOf(excluded);
    int[] labels = data.labels();
    int kept = 0;
    for (int label : labels) {
      kept += removed.contains(label) ? 0 : 1;
    }
    if (kept == 0) {
      throw new IllegalArgumentException(
          "exclude_train_labels " + excluded + " removes every item of " + data.name()
              + ", whose labels are " + distinct(labels) + "; keep at least one of them");
    }
    int d = data.columns();
    float[] keptValues = new float[kept * d];
    int[] keptLabels = new int[kept];
    String[] keptIds = data.ids() == null ? null : new String[kept];
    int j = 0;
    for (int i = 0; i < data.rows(); i++) {
      if (!removed.contains(labels[i])) {
        System.arraycopy(data.values(), i * d, keptValues, j * d, d);
        if (keptIds != null) {
          keptIds[j] = data.ids()[i];
        }
        keptLabels[j++] = labels[i];
      }
    }
    return new Dataset(data.name() + " without labels " + excluded, keptValues, kept, d, keptLabels,
        data.itemShape(), data.table(), keptIds);
  }

  /** @return the distinct labels in order, the first {@link #LISTED_LABELS}, then how many there are */
  private static String distinct(int[] labels) {
    TreeSet<Integer> sorted = new TreeSet<>();
    for (int label : labels) {
      sorted.add(label);
    }
    StringJoiner list = new StringJoiner(", ", "[", "]");
    sorted.stream().limit(LISTED_LABELS).forEach(label -> list.add(String.valueOf(label)));
    if (sorted.size() > LISTED_LABELS) {
      list.add("... (" + sorted.size() + " distinct)");
    }
    return list.toString();
  }
}
