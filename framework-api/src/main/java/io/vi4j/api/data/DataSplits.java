package io.vi4j.api.data;

import java.util.Objects;

/**
 * A training set and a held-out test set with the same item dimension, each of at least one item.
 *
 * @param train the data the model is fitted to
 * @param test the data it is evaluated on
 * @param binarization how items are turned into 0/1 values, if at all
 */
public record DataSplits(Dataset train, Dataset test, Binarization binarization) {

  /**
   * Checks that neither split is empty and that they agree on the item dimension.
   *
   * @throws IllegalArgumentException {@code train (NAME) holds 0 items; a data set needs at least 1
   *     item}, or the item dimensions differ
   */
  public DataSplits {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(binarization, "binarization");
    requireItems("train", train);
    requireItems("test", test);
    if (train.columns() != test.columns()) {
      throw new IllegalArgumentException(
          "train (" + train.name() + ") has " + train.columns() + " values per item but test ("
              + test.name() + ") has " + test.columns());
    }
  }

  private static void requireItems(String split, Dataset data) {
    if (data.rows() == 0) {
      throw new IllegalArgumentException(
          split + " (" + data.name() + ") holds 0 items; a data set needs at least 1 item");
    }
  }

  /** How [0, 1] values become binary. */
  public enum Binarization {
    /** Values are used as they are (for example grey levels as Bernoulli targets). */
    NONE,
    /** Each value was replaced once, at load time, by a seeded Bernoulli draw with that mean. */
    STATIC,
    /** Each training batch is re-drawn as Bernoulli(x) at every step; test data is drawn once. */
    DYNAMIC
  }
}
