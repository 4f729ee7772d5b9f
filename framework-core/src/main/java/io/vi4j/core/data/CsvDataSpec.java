package io.vi4j.core.data;

import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.plugin.DataSpec;

/**
 * Config of numeric CSV files ({@code type: csv}); see {@link CsvReader} for the format. Relative
 * paths are resolved against the config's directory.
 *
 * <pre>{@code
 * data:
 *   type: csv
 *   train: data/train.csv
 *   test: data/test.csv
 *   header: true          # optional: true | false; absent = auto-detect
 *   label_column: label   # optional: a header name or a 0-based index (-1 = last)
 *   scale: 255            # optional: divide every value by this
 *   binarize: none        # none | static | dynamic (needs values in [0, 1])
 *   seed: 0
 *   limit_train: 10000    # optional
 *   limit_test: 1000      # optional
 *   item_shape: [1, 8, 8] # optional: the shape of one row's values, such as an image; default flat
 * }</pre>
 *
 * @param train training file (required)
 * @param test test file (required)
 * @param header whether the first line is a header; null auto-detects
 * @param labelColumn the label column's name or 0-based index, or null for none
 * @param scale divisor applied to every value, or null for none
 * @param binarize {@code none} (default), {@code static} or {@code dynamic}
 * @param seed seed of the static draws (default 0)
 * @param limitTrain keep only the first N training items (null: all)
 * @param limitTest keep only the first N test items (null: all)
 * @param itemShape the shape of one item: {@code [D]}, {@code [H, W]} or {@code [C, H, W]} with product
 *     the number of value columns (null: flat)
 */
public record CsvDataSpec(
    String train,
    String test,
    Boolean header,
    String labelColumn,
    Double scale,
    String binarize,
    Long seed,
    Integer limitTrain,
    Integer limitTest,
    java.util.List<Integer> itemShape)
    implements DataSpec {

  /** Fills defaults and validates; throws {@link IllegalArgumentException} naming the field. */
  public CsvDataSpec {
    train = SpecChecks.requiredPath("train", train, "a CSV file");
    test = SpecChecks.requiredPath("test", test, "a CSV file");
    if (labelColumn != null && labelColumn.isBlank()) {
      throw new IllegalArgumentException(
          "label_column is blank; give a header name or a 0-based column index, or leave it out");
    }
    if (scale != null && !(scale > 0 && Double.isFinite(scale))) {
      throw new IllegalArgumentException(
          "scale: " + scale + " is not accepted; use a positive divisor such as 255, or leave it out");
    }
    binarize = SpecChecks.binarize(binarize);
    seed = seed == null ? 0L : seed;
    limitTrain = SpecChecks.limit("limit_train", limitTrain);
    limitTest = SpecChecks.limit("limit_test", limitTest);
    if (itemShape != null) {
      if (itemShape.isEmpty() || itemShape.size() > 3) {
        throw new IllegalArgumentException("item_shape must list 1 to 3 dimensions (such as [1, 8, 8]), got " + itemShape);
      }
      for (int i = 0; i < itemShape.size(); i++) {
        if (itemShape.get(i) == null || itemShape.get(i) < 1) {
          throw new IllegalArgumentException("item_shape[" + i + "] must be at least 1, got " + itemShape.get(i));
        }
      }
      itemShape = java.util.List.copyOf(itemShape);
    }
  }

  /** A spec whose items are flat. */
  public CsvDataSpec(String train, String test, Boolean header, String labelColumn, Double scale, String binarize,
      Long seed, Integer limitTrain, Integer limitTest) {
    this(train, test, header, labelColumn, scale, binarize, seed, limitTrain, limitTest, null);
  }

  /** @return {@link #binarize()} as the API's enum */
  public Binarization binarization() {
    return Preprocessing.parseBinarization(binarize);
  }
}
