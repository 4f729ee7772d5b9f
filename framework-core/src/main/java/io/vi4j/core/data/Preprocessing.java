package io.vi4j.core.data;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Preprocessing shared by the data sources: scaling, limits and binarization.
 *
 * <p>The order is fixed by {@link #finish}: first a check that neither split is empty, then the limits ({@code limit_train}, {@code
 * limit_test}: keep the first N items), then binarization. Binarization modes ({@link
 * Binarization}), written in lower case in configs:
 *
 * <ul>
 *   <li>{@code none}: values are kept as they are;
 *   <li>{@code static}: every value {@code x} of train and test is replaced once, at load time, by a
 *       seeded Bernoulli({@code x}) draw, so the data holds only 0 and 1;
 *   <li>{@code dynamic}: training values are kept (the trainer re-draws Bernoulli({@code x}) for every
 *       batch); the <em>test</em> values are drawn once here, seeded, as the {@link DataSplits}
 *       contract says ("test data is drawn once"). A draw of a 0/1 value returns it unchanged, so a
 *       consumer that draws the test set again gets the same data.
 * </ul>
 *
 * <p>Both binarizing modes need values in [0, 1] and fail with a {@link DataException} naming the
 * dataset otherwise. The draws for a given seed do not depend on the limits: item {@code i} gets the
 * same 0/1 values whatever the limit.
 */
public final class Preprocessing {

  /** The end of the message for an empty split, after {@code "holds 0 items; "}. */
  static final String AT_LEAST_ONE_ITEM = "a data set needs at least 1 item";

  /** Mixed into the binarization seed so that its stream differs from a generator seeded alike. */
  private static final long BINARIZE_SALT = 0x6A09E667F3BCC909L;

  private Preprocessing() {}

  /**
   * Parses a binarization mode as written in configs.
   *
   * @param value {@code none}, {@code static} or {@code dynamic} (case-insensitive); null means none
   * @throws IllegalArgumentException naming the field {@code binarize} and the accepted values
   */
  public static Binarization parseBinarization(String value) {
    if (value == null) {
      return Binarization.NONE;
    }
    for (Binarization b : Binarization.values()) {
      if (b.name().equalsIgnoreCase(value.trim())) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "binarize: '" + value + "' is not accepted; use one of " + acceptedBinarizations());
  }

  /** @return the config name of a mode: {@code none}, {@code static} or {@code dynamic} */
  public static String binarizationName(Binarization binarization) {
    return binarization.name().toLowerCase(Locale.ROOT);
  }

  static String acceptedBinarizations() {
    return Arrays.stream(Binarization.values())
        .map(Preprocessing::binarizationName)
        .collect(Collectors.joining(", "));
  }

  /**
   * Divides every value by {@code divisor}, in place.
   *
   * @return {@code values}
   */
  public static float[] scale(float[] values, float divisor) {
    if (!(divisor > 0) || Float.isInfinite(divisor)) {
      throw new IllegalArgumentException("scale divisor must be a positive finite number: " + divisor);
    }
    for (int i = 0; i < values.length; i++) {
      values[i] /= divisor;
    }
    return values;
  }

  /**
   * Divides every value of a dataset by {@code divisor}, in place, and checks that the results are
   * finite floats (a small divisor can overflow large values).
   *
   * @throws DataException naming the dataset, the first value that overflows and its place
   */
  static void scaleFinite(Dataset dataset, float divisor) throws DataException {
    float[] values = dataset.values();
    for (int i = 0; i < values.length; i++) {
      float scaled = values[i] / divisor;
      if (Float.isInfinite(scaled)) {
        throw new DataException(
            dataset.name(),
            "value " + values[i] + " (item " + (i / dataset.columns()) + ", position " + (i % dataset.columns())
                + ") divided by scale " + divisor + " is not a finite float");
      }
      values[i] = scaled;
    }
  }

  /**
   * @param limit the number of leading items to keep, or null for all
   * @return the first {@code limit} items (the dataset itself when it has no more)
   */
  public static Dataset limit(Dataset dataset, Integer limit) {
    if (limit == null || limit >= dataset.rows()) {
      return dataset;
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    return dataset.head(limit);
  }

  /**
   * Replaces every value {@code x} by 1 with probability {@code x}, else 0, in place.
   *
   * @param random the source of the draws, consumed one double per value in order
   */
  public static void binarizeStatic(float[] values, SplittableRandom random) {
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble() < values[i] ? 1f : 0f;
    }
  }

  /**
   * Fails unless every value lies in [0, 1].
   *
   * @param why what needs it, for the message (for example {@code "binarize: static"})
   * @throws DataException naming the dataset, the first offending value and its place
   */
  public static void requireUnitInterval(Dataset dataset, String why) throws DataException {
    float[] values = dataset.values();
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new DataException(
            dataset.name(),
            "value " + v + " (item " + (i / dataset.columns()) + ", position "
                + (i % dataset.columns()) + ") is outside [0, 1], which " + why
                + " needs; scale the data first (for CSV set scale, e.g. 255)");
      }
    }
  }

  /**
   * Fails unless the dataset holds at least one item: an empty split would only fail later, far from
   * its cause (a division by zero in an average).
   *
   * @throws DataException {@code NAME: holds 0 items; a data set needs at least 1 item}
   */
  public static void requireItems(Dataset dataset) throws DataException {
    if (dataset.rows() == 0) {
      throw new DataException(dataset.name(), "holds 0 items; " + AT_LEAST_ONE_ITEM);
    }
  }

  /**
   * Applies the limits, then binarization (modifying the datasets' values in place), and builds the
   * splits.
   *
   * @param train the loaded training data
   * @param test the loaded test data
   * @param binarization the mode
   * @param seed seeds the static draws (train and test get independent streams)
   * @param limitTrain keep only the first N training items (null: all)
   * @param limitTest keep only the first N test items (null: all)
   * @throws DataException when a split holds 0 items (naming it), or binarization is asked for and a
   *     value is outside [0, 1]
   */
  public static DataSplits finish(
      Dataset train,
      Dataset test,
      Binarization binarization,
      long seed,
      Integer limitTrain,
      Integer limitTest)
      throws DataException {
    requireItems(train);
    requireItems(test);
    Dataset limitedTrain = limit(train, limitTrain);
    Dataset limitedTest = limit(test, limitTest);
    if (binarization != Binarization.NONE) {
      String why = "binarize: " + binarizationName(binarization);
      requireUnitInterval(limitedTrain, why);
      requireUnitInterval(limitedTest, why);
      SplittableRandom root = new SplittableRandom(seed ^ BINARIZE_SALT);
      SplittableRandom trainRandom = root.split();
      SplittableRandom testRandom = root.split();
      if (binarization == Binarization.STATIC) {
        binarizeStatic(limitedTrain.values(), trainRandom);
      }
      binarizeStatic(limitedTest.values(), testRandom);
    }
    return new DataSplits(limitedTrain, limitedTest, binarization);
  }
}
