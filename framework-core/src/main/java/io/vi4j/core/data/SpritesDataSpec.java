package io.vi4j.core.data;

import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.plugin.DataSpec;

/**
 * Config of the built-in synthetic {@link SpritesDataset} ({@code type: sprites}).
 *
 * <pre>{@code
 * data:
 *   type: sprites
 *   train_size: 20000
 *   test_size: 2000
 *   seed: 0
 *   binarize: none        # none | static | dynamic
 * }</pre>
 *
 * @param trainSize number of training images (default 20000)
 * @param testSize number of test images (default 2000)
 * @param seed seeds the generation and static binarization (default 0)
 * @param binarize {@code none} (default), {@code static} or {@code dynamic}
 */
public record SpritesDataSpec(Integer trainSize, Integer testSize, Long seed, String binarize)
    implements DataSpec {

  /** Fills defaults and validates; throws {@link IllegalArgumentException} naming the field. */
  public SpritesDataSpec {
    trainSize = SpecChecks.positive("train_size", trainSize, SpritesDataset.DEFAULT_TRAIN_SIZE);
    testSize = SpecChecks.positive("test_size", testSize, SpritesDataset.DEFAULT_TEST_SIZE);
    seed = seed == null ? 0L : seed;
    binarize = SpecChecks.binarize(binarize);
  }

  /** @return a spec with every default: 20000 train, 2000 test, seed 0, no binarization */
  public static SpritesDataSpec defaults() {
    return new SpritesDataSpec(null, null, null, null);
  }

  /** @return {@link #binarize()} as the API's enum */
  public Binarization binarization() {
    return Preprocessing.parseBinarization(binarize);
  }
}
