package io.vi4j.core.data;

import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.plugin.DataSpec;

/**
 * Config of IDX files ({@code type: idx}); relative paths are resolved against the config's
 * directory. Images of unsigned bytes are scaled to [0, 1].
 *
 * <pre>{@code
 * data:
 *   type: idx
 *   train_images: data/train-images-idx3-ubyte.gz
 *   train_labels: data/train-labels-idx1-ubyte.gz   # optional
 *   test_images: data/t10k-images-idx3-ubyte.gz
 *   test_labels: data/t10k-labels-idx1-ubyte.gz     # optional
 *   binarize: none        # none | static | dynamic
 *   seed: 0               # seeds static binarization
 *   limit_train: 10000    # optional: keep the first N items
 *   limit_test: 1000      # optional
 * }</pre>
 *
 * @param trainImages training image file (required)
 * @param trainLabels training label file, or null
 * @param testImages test image file (required)
 * @param testLabels test label file, or null
 * @param binarize {@code none} (default), {@code static} or {@code dynamic}
 * @param seed seed of the static draws (default 0)
 * @param limitTrain keep only the first N training items (null: all)
 * @param limitTest keep only the first N test items (null: all)
 */
public record IdxDataSpec(
    String trainImages,
    String trainLabels,
    String testImages,
    String testLabels,
    String binarize,
    Long seed,
    Integer limitTrain,
    Integer limitTest)
    implements DataSpec {

  /** Fills defaults and validates; throws {@link IllegalArgumentException} naming the field. */
  public IdxDataSpec {
    trainImages = SpecChecks.requiredPath("train_images", trainImages, "an IDX image file");
    trainLabels = SpecChecks.optionalPath("train_labels", trainLabels, "an IDX label file");
    testImages = SpecChecks.requiredPath("test_images", testImages, "an IDX image file");
    testLabels = SpecChecks.optionalPath("test_labels", testLabels, "an IDX label file");
    binarize = SpecChecks.binarize(binarize);
    seed = seed == null ? 0L : seed;
    limitTrain = SpecChecks.limit("limit_train", limitTrain);
    limitTest = SpecChecks.limit("limit_test", limitTest);
  }

  /** @return {@link #binarize()} as the API's enum */
  public Binarization binarization() {
    return Preprocessing.parseBinarization(binarize);
  }
}
