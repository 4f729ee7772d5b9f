package io.vi4j.core.data;

import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.plugin.DataSpec;

/**
 * Config of Fashion-MNIST ({@code type: fashion-mnist}), read from a directory of MNIST-style IDX
 * files, by default where Debian's {@code dataset-fashion-mnist} package puts them.
 *
 * <pre>{@code
 * data:
 *   type: fashion-mnist
 *   directory: /usr/share/datasets/fashion-mnist   # the default
 *   binarize: dynamic     # none | static | dynamic
 *   seed: 0
 *   limit_train: 10000    # optional
 *   limit_test: 1000      # optional
 * }</pre>
 *
 * @param directory the directory holding train-images-idx3-ubyte.gz and the three other files
 *     (default {@code /usr/share/datasets/fashion-mnist})
 * @param binarize {@code none} (default), {@code static} or {@code dynamic}
 * @param seed seed of the static draws (default 0)
 * @param limitTrain keep only the first N training items (null: all 60000)
 * @param limitTest keep only the first N test items (null: all 10000)
 */
public record FashionMnistDataSpec(
    String directory, String binarize, Long seed, Integer limitTrain, Integer limitTest)
    implements DataSpec {

  /** Fills defaults and validates; throws {@link IllegalArgumentException} naming the field. */
  public FashionMnistDataSpec {
    directory =
        directory == null
            ? IdxReader.FASHION_MNIST_DIR.toString()
            : SpecChecks.optionalPath("directory", directory, "the Fashion-MNIST directory");
    binarize = SpecChecks.binarize(binarize);
    seed = seed == null ? 0L : seed;
    limitTrain = SpecChecks.limit("limit_train", limitTrain);
    limitTest = SpecChecks.limit("limit_test", limitTest);
  }

  /** @return a spec with every default */
  public static FashionMnistDataSpec defaults() {
    return new FashionMnistDataSpec(null, null, null, null, null);
  }

  /** @return {@link #binarize()} as the API's enum */
  public Binarization binarization() {
    return Preprocessing.parseBinarization(binarize);
  }
}
