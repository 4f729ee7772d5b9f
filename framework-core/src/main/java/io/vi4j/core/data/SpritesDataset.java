package io.vi4j.core.data;

import io.vi4j.api.data.Dataset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The built-in synthetic dataset, used when a config names no data: dSprites-like 28×28 grey-level
 * images in [0, 1] of one white shape on black, generated in code with known factors of variation.
 *
 * <p>Factors of item {@code i} ({@link #FACTOR_NAMES}, in this order in {@link #factors()}):
 *
 * <ul>
 *   <li>{@code shape}: the {@link Shape} index (also the item's label); shapes are exactly balanced
 *       (counts differ by at most one) and shuffled;
 *   <li>{@code scale}: uniform in [0.5, 1]; the shape's outer radius is {@code 8·scale} pixels;
 *   <li>{@code rotation}: radians, uniform in [0, period) where the period is the shape's rotational
 *       symmetry (square and cross π/2, ellipse π, triangle 2π/3), so that every value is a distinct
 *       image;
 *   <li>{@code x}, {@code y}: uniform in [0, 1]; the centre is at pixel coordinate {@code 9 + 10·x}
 *       (columns) and {@code 9 + 10·y} (rows, downwards), on a canvas whose coordinates run 0..28.
 * </ul>
 *
 * <p>Each pixel is the fraction of its 4×4 sub-samples inside the shape (anti-aliasing), so edges
 * take intermediate values. Generation is deterministic for a seed: the factors are drawn in order
 * from a {@link SplittableRandom}, then images are rendered in parallel (rendering is a pure
 * function of the factors). {@link #train} and {@link #test} draw from independent streams of the
 * same seed, so a test set never repeats the training set and each split does not depend on the
 * other's size.
 */
public final class SpritesDataset {

  /** Image height and width in pixels. */
  public static final int SIZE = 28;

  /** Default number of training items. */
  public static final int DEFAULT_TRAIN_SIZE = 20_000;

  /** Default number of test items. */
  public static final int DEFAULT_TEST_SIZE = 2_000;

  /** The most images one split can hold: 2,739,137, as 28×28 values each fill one Java float array. */
  public static final int MAX_SIZE = HeapArrays.MAX_VALUES / (SIZE * SIZE);

  /** The names of the columns of {@link #factors()}. */
  public static final List<String> FACTOR_NAMES = List.of("shape", "scale", "rotation", "x", "y");

  /** The largest outer radius of a shape, in pixels (at scale 1). */
  static final float MAX_RADIUS = 8f;

  private static final float MIN_SCALE = 0.5f;
  private static final float CENTRE_MIN = 9f;
  private static final float CENTRE_RANGE = 10f;
  private static final int SUB = 4;

  /** The shapes; the ordinal is the label. */
  public enum Shape {
    /** A square of half-side 0.72·radius. */
    SQUARE((float) (Math.PI / 2)),
    /** An ellipse with semi-axes radius and 0.6·radius. */
    ELLIPSE((float) Math.PI),
    /** An equilateral triangle inscribed in the radius. */
    TRIANGLE((float) (2 * Math.PI / 3)),
    /** A plus sign with arms of length radius and half-width 0.3·radius. */
    CROSS((float) (Math.PI / 2));

    private final float period;

    Shape(float period) {
      this.period = period;
    }

    /** @return the rotational symmetry period in radians; rotations are drawn in [0, period) */
    public float period() {
      return period;
    }
  }

  /**
   * The factors of one image.
   *
   * @param shape the shape
   * @param scale in [0.5, 1]
   * @param rotation radians in [0, shape.period())
   * @param x horizontal position in [0, 1]
   * @param y vertical position in [0, 1], downwards
   */
  public record Factors(Shape shape, float scale, float rotation, float x, float y) {

    /** @return the factors as a row of {@link #factors()}: shape index, scale, rotation, x, y */
    public float[] toArray() {
      return new float[] {shape.ordinal(), scale, rotation, x, y};
    }
  }

  private final Dataset dataset;
  private final float[][] factors;

  private SpritesDataset(Dataset dataset, float[][] factors) {
    this.dataset = dataset;
    this.factors = factors;
  }

  /** The name of the built-in datasets for a seed: {@code sprites (built-in, seed S)}. */
  public static String name(long seed) {
    return "sprites (built-in, seed " + seed + ")";
  }

  /**
   * Generates the training split of a seed.
   *
   * @throws IllegalArgumentException naming {@code train_size} when {@code size} exceeds {@link #MAX_SIZE}
   */
  public static SpritesDataset train(int size, long seed) {
    requireAtMostMax("train_size", size);
    SplittableRandom root = new SplittableRandom(seed);
    return generate(name(seed), size, root.split());
  }

  /**
   * Generates the test split of a seed (independent of the training split).
   *
   * @throws IllegalArgumentException naming {@code test_size} when {@code size} exceeds {@link #MAX_SIZE}
   */
  public static SpritesDataset test(int size, long seed) {
    requireAtMostMax("test_size", size);
    SplittableRandom root = new SplittableRandom(seed);
    root.split();
    return generate(name(seed), size, root.split());
  }

  /**
   * Generates {@code size} images.
   *
   * @param name the dataset's name
   * @param size the number of images (1 to {@link #MAX_SIZE})
   * @param random the source of the factors
   * @return {@code size} images of 28×28 values, with their labels and factors
   * @throws IllegalArgumentException when {@code size} is out of range or the heap cannot hold the images
   */
  public static SpritesDataset generate(String name, int size, SplittableRandom random) {
    if (size <= 0) {
      throw new IllegalArgumentException("sprites size must be positive: " + size);
    }
    requireAtMostMax("sprites size", size);
    Shape[] shapes = Shape.values();
    int[] shapeIndex = new int[size];
    for (int i = 0; i < size; i++) {
      shapeIndex[i] = i % shapes.length;
    }
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = shapeIndex[i];
      shapeIndex[i] = shapeIndex[j];
      shapeIndex[j] = t;
    }
    float[][] factors = new float[size][];
    for (int i = 0; i < size; i++) {
      Shape shape = shapes[shapeIndex[i]];
      float scale = MIN_SCALE + (1 - MIN_SCALE) * (float) random.nextDouble();
      float rotation = shape.period() * (float) random.nextDouble();
      float x = (float) random.nextDouble();
      float y = (float) random.nextDouble();
      factors[i] = new Factors(shape, scale, rotation, x, y).toArray();
    }
    int d = SIZE * SIZE;
    float[] values;
    try {
      values = new float[size * d];
    } catch (OutOfMemoryError e) {
      throw new IllegalArgumentException(
          "sprites: " + size + " images of 28×28 need " + ((4L * size * d) >> 20) + " MiB, more than the Java"
              + " heap can give (at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); lower"
              + " train_size or test_size, or give Java more memory with -Xmx (VI4J_JAVA_OPTS for ./vi4j)");
    }
    IntStream.range(0, size).parallel().forEach(i -> render(factorsOf(factors[i]), values, i * d));
    Dataset dataset = new Dataset(name, values, size, d, shapeIndex, new int[] {SIZE, SIZE});
    return new SpritesDataset(dataset, factors);
  }

  private static void requireAtMostMax(String option, int size) {
    if (size > MAX_SIZE) {
      throw new IllegalArgumentException(
          option + ": " + size + " images of 28×28 are more than the " + MAX_SIZE
              + " one Java float array can hold");
    }
  }

  /** @return the images (labels are shape indexes, item shape {28, 28}) */
  public Dataset dataset() {
    return dataset;
  }

  /**
   * @return one row per item: shape index, scale, rotation, x, y ({@link #FACTOR_NAMES}); shared,
   *     not copied
   */
  public float[][] factors() {
    return factors;
  }

  /** @return the factors of item {@code i} */
  public Factors factors(int i) {
    return factorsOf(factors[i]);
  }

  private static Factors factorsOf(float[] row) {
    return new Factors(Shape.values()[(int) row[0]], row[1], row[2], row[3], row[4]);
  }

  /** Renders one image, 28×28 row-major values in [0, 1]. */
  public static float[] render(Factors factors) {
    float[] image = new float[SIZE * SIZE];
    render(factors, image, 0);
    return image;
  }

  private static void render(Factors f, float[] out, int offset) {
    float radius = MAX_RADIUS * f.scale();
    float cx = CENTRE_MIN + CENTRE_RANGE * f.x();
    float cy = CENTRE_MIN + CENTRE_RANGE * f.y();
    float cos = (float) Math.cos(f.rotation());
    float sin = (float) Math.sin(f.rotation());
    float inv = 1f / radius;
    float extent = radius * 1.05f + 1f;
    int c0 = Math.max(0, (int) Math.floor(cx - extent));
    int c1 = Math.min(SIZE - 1, (int) Math.ceil(cx + extent));
    int r0 = Math.max(0, (int) Math.floor(cy - extent));
    int r1 = Math.min(SIZE - 1, (int) Math.ceil(cy + extent));
    int shape = f.shape().ordinal();
    float step = 1f / SUB;
    float weight = 1f / (SUB * SUB);
    for (int r = r0; r <= r1; r++) {
      for (int c = c0; c <= c1; c++) {
        int inside = 0;
        for (int sy = 0; sy < SUB; sy++) {
          float dy = r + (sy + 0.5f) * step - cy;
          for (int sx = 0; sx < SUB; sx++) {
            float dx = c + (sx + 0.5f) * step - cx;
            float u = (dx * cos + dy * sin) * inv;
            float v = (-dx * sin + dy * cos) * inv;
            if (inside(shape, u, v)) {
              inside++;
            }
          }
        }
        out[offset + r * SIZE + c] = inside * weight;
      }
    }
  }

  private static final float SQUARE_HALF = 0.72f;
  private static final float ELLIPSE_MINOR = 0.6f;
  private static final float CROSS_HALF_WIDTH = 0.3f;
  private static final float SQRT3_HALF = (float) (Math.sqrt(3) / 2);

  /** Whether the point (u, v), in units of the radius around the centre, lies inside the shape. */
  private static boolean inside(int shape, float u, float v) {
    switch (shape) {
      case 0:
        return Math.abs(u) <= SQUARE_HALF && Math.abs(v) <= SQUARE_HALF;
      case 1:
        float w = v / ELLIPSE_MINOR;
        return u * u + w * w <= 1f;
      case 2:
        // Vertices at angles -90°, 30°, 150° on the unit circle; the edge opposite vertex a lies at
        // distance 1/2 on the other side, so inside means p·a >= -1/2 for all three vertices.
        return v <= 0.5f
            && SQRT3_HALF * u + 0.5f * v >= -0.5f
            && -SQRT3_HALF * u + 0.5f * v >= -0.5f;
      case 3:
        float au = Math.abs(u);
        float av = Math.abs(v);
        return (au <= 1f && av <= CROSS_HALF_WIDTH) || (au <= CROSS_HALF_WIDTH && av <= 1f);
      default:
        throw new IllegalStateException("shape " + shape);
    }
  }
}
