package io.vi4j.core.train.schedule;

import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.config.ValidationSpec;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The training split divided into the items trained on and a held-out validation set: the
 * {@link ValidationSpec#heldOut} items that come first in a shuffle seeded by {@code validation.seed}
 * (Fisher–Yates over {@code SplittableRandom(seed)}), so the same seed and data always give the same split,
 * and the two parts are disjoint and together the whole training split. The trained items keep their
 * places in the training split (the trainer maps its shuffled order through {@link #rows}), so nothing is
 * copied but the held-out items. Under dynamic binarization the held-out items are drawn as Bernoulli
 * values once, as the test split is.
 */
public final class ValidationSplit {
  private final int[] trained;
  private final int[] heldOut;
  private final Dataset validation;

  private ValidationSplit(int[] trained, int[] heldOut, Dataset validation) {
    this.trained = trained;
    this.heldOut = heldOut;
    this.validation = validation;
  }

  /**
   * @param train the training split as loaded and prepared
   * @param spec {@code training.validation}, or null for no validation split (every item is trained on)
   * @param binarization how the data are binarized; {@code DYNAMIC} draws the held-out items once
   * @throws IllegalArgumentException naming the setting when it leaves no item to validate or to train on
   */
  public static ValidationSplit carve(Dataset train, ValidationSpec spec, Binarization binarization) {
    int n = train.rows();
    if (spec == null) {
      return new ValidationSplit(null, new int[0], null);
    }
    int count = spec.heldOut(n);
    SplittableRandom random = new SplittableRandom(spec.seed());
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] heldOut = Arrays.copyOf(order, count);
    Arrays.sort(heldOut);
    boolean[] held = new boolean[n];
    for (int i : heldOut) {
      held[i] = true;
    }
    int[] trained = new int[n - count];
    for (int i = 0, k = 0; i < n; i++) {
      if (!held[i]) {
        trained[k++] = i;
      }
    }
    return new ValidationSplit(trained, heldOut,
        rows(train, heldOut, binarization == Binarization.DYNAMIC ? random.split() : null));
  }

  /** The held-out rows as a data set of their own, drawn as Bernoulli values when {@code draws} is given. */
  private static Dataset rows(Dataset train, int[] items, SplittableRandom draws) {
    int d = train.columns();
    float[] values = new float[items.length * d];
    for (int k = 0; k < items.length; k++) {
      System.arraycopy(train.values(), items[k] * d, values, k * d, d);
    }
    if (draws != null) {
      for (int i = 0; i < values.length; i++) {
        values[i] = draws.nextDouble() < values[i] ? 1f : 0f;
      }
    }
    int[] labels = null;
    if (train.hasLabels()) {
      labels = new int[items.length];
      for (int k = 0; k < items.length; k++) {
        labels[k] = train.labels()[items[k]];
      }
    }
    return new Dataset(train.name() + " (validation)", values, items.length, d, labels, train.itemShape(),
        train.table(), null);
  }

  /** @return whether there is a validation set. */
  public boolean present() {
    return validation != null;
  }

  /** @return the held-out items as a data set, or null when there is none. */
  public Dataset validation() {
    return validation;
  }

  /**
   * @param trainingItems items in the whole training split
   * @return the number of items trained on
   */
  public int trainedCount(int trainingItems) {
    return trained == null ? trainingItems : trained.length;
  }

  /** @return the positions in the training split of the items trained on, ascending; null when all are. */
  public int[] trainedItems() {
    return trained == null ? null : trained.clone();
  }

  /** @return the positions in the training split of the held-out items, ascending (empty when none). */
  public int[] heldOutItems() {
    return heldOut.clone();
  }

  /**
   * @param order an order of the trained items, as indices {@code 0..trainedCount−1}
   * @return the same order as rows of the training split ({@code order} itself without a validation split)
   */
  public long[] rows(long[] order) {
    if (trained == null) {
      return order;
    }
    long[] rows = new long[order.length];
    for (int i = 0; i < order.length; i++) {
      rows[i] = trained[(int) order[i]];
    }
    return rows;
  }
}
