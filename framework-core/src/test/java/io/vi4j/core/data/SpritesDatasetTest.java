package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vi4j.api.data.Dataset;
import org.junit.jupiter.api.Test;

class SpritesDatasetTest {

  @Test
  void deterministicForASeed() {
    SpritesDataset a = SpritesDataset.train(500, 42);
    SpritesDataset b = SpritesDataset.train(500, 42);
    assertThat(a.dataset().values()).isEqualTo(b.dataset().values());
    assertThat(a.dataset().labels()).isEqualTo(b.dataset().labels());
    assertThat(a.factors()).isDeepEqualTo(b.factors());
    assertThat(a.dataset().name()).isEqualTo("sprites (built-in, seed 42)");
  }

  @Test
  void distinctSeedsAndSplitsDiffer() {
    float[] seed1 = SpritesDataset.train(100, 1).dataset().values();
    float[] seed2 = SpritesDataset.train(100, 2).dataset().values();
    float[] test1 = SpritesDataset.test(100, 1).dataset().values();
    assertThat(seed1).isNotEqualTo(seed2);
    assertThat(seed1).isNotEqualTo(test1);
  }

  @Test
  void imagesAreAntiAliasedValuesInUnitInterval() {
    Dataset data = SpritesDataset.train(1000, 0).dataset();
    assertThat(data.itemShape()).containsExactly(28, 28);
    assertThat(data.columns()).isEqualTo(784);
    int partial = 0;
    for (float v : data.values()) {
      assertThat(v).isBetween(0f, 1f);
      if (v > 0 && v < 1) {
        partial++;
      }
    }
    assertThat(partial).as("grey edge pixels").isGreaterThan(1000);
    for (int i = 0; i < data.rows(); i++) {
      float[] row = data.row(i);
      double sum = 0;
      for (float v : row) {
        sum += v;
      }
      assertThat(sum).as("ink of item %d", i).isGreaterThan(5).isLessThan(300);
      assertThat(row[0]).isZero(); // corners stay empty
      assertThat(row[783]).isZero();
    }
  }

  @Test
  void shapesAreBalancedAndLabelsAreShapes() {
    SpritesDataset sprites = SpritesDataset.train(1001, 5);
    int[] counts = new int[SpritesDataset.Shape.values().length];
    int[] labels = sprites.dataset().labels();
    for (int i = 0; i < labels.length; i++) {
      counts[labels[i]]++;
      assertThat(sprites.factors(i).shape().ordinal()).isEqualTo(labels[i]);
      assertThat(sprites.factors()[i][0]).isEqualTo(labels[i]);
    }
    for (int c : counts) {
      assertThat(c).isBetween(250, 251);
    }
  }

  @Test
  void factorsCoverTheirRanges() {
    SpritesDataset sprites = SpritesDataset.train(2000, 9);
    assertThat(SpritesDataset.FACTOR_NAMES).containsExactly("shape", "scale", "rotation", "x", "y");
    double meanX = 0;
    for (int i = 0; i < 2000; i++) {
      SpritesDataset.Factors f = sprites.factors(i);
      assertThat(f.scale()).isBetween(0.5f, 1f);
      assertThat(f.rotation()).isGreaterThanOrEqualTo(0f).isLessThan(f.shape().period());
      assertThat(f.x()).isBetween(0f, 1f);
      assertThat(f.y()).isBetween(0f, 1f);
      meanX += f.x() / 2000;
      assertThat(SpritesDataset.render(f)).isEqualTo(sprites.dataset().row(i));
    }
    assertThat(meanX).isCloseTo(0.5, within(0.05));
  }

  @Test
  void largerShapesHaveMoreInk() {
    var small = new SpritesDataset.Factors(SpritesDataset.Shape.SQUARE, 0.5f, 0f, 0.5f, 0.5f);
    var large = new SpritesDataset.Factors(SpritesDataset.Shape.SQUARE, 1f, 0f, 0.5f, 0.5f);
    double inkSmall = 0;
    double inkLarge = 0;
    for (float v : SpritesDataset.render(small)) {
      inkSmall += v;
    }
    for (float v : SpritesDataset.render(large)) {
      inkLarge += v;
    }
    // Square of half-side 0.72·radius: area (1.44·8·scale)², up to the 4×4 sub-sampling.
    assertThat(inkLarge).isCloseTo(Math.pow(1.44 * 8, 2), within(4.0));
    assertThat(inkSmall).isCloseTo(Math.pow(1.44 * 4, 2), within(4.0));
  }

  @Test
  void defaultSizesGenerateQuickly() {
    SpritesDataset.train(2000, 0); // warm up
    long start = System.nanoTime();
    Dataset train = SpritesDataset.train(SpritesDataset.DEFAULT_TRAIN_SIZE, 0).dataset();
    Dataset test = SpritesDataset.test(SpritesDataset.DEFAULT_TEST_SIZE, 0).dataset();
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(train.rows()).isEqualTo(20000);
    assertThat(test.rows()).isEqualTo(2000);
    assertThat(seconds).as("seconds for 22000 images").isLessThan(4.0);
  }
}
