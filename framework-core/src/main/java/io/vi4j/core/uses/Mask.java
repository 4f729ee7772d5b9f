package io.vi4j.core.uses;

import java.util.SplittableRandom;

/**
 * Which pixels of an {@code H × W} item are missing: {@code random:P} (each pixel independently with
 * probability P, seeded), {@code top-half}, {@code bottom-half}, or {@code center:S} (an S × S square in
 * the middle).
 *
 * @param spec the text it was parsed from
 */
public record Mask(String spec) {

  /** Parses and validates a mask description. */
  public Mask {
    if (!(spec.equals("top-half") || spec.equals("bottom-half") || spec.matches("random:(0(\\.\\d+)?|1(\\.0+)?)")
        || spec.matches("center:\\d+"))) {
      throw new IllegalArgumentException("mask '" + spec + "' is not one of random:P (0 ≤ P ≤ 1), top-half,"
          + " bottom-half, center:S");
    }
  }

  /**
   * @param items number of items
   * @param height item height
   * @param width item width
   * @param seed seeds a random mask
   * @return {@code items × (height·width)}, true where a pixel is missing
   */
  public boolean[] missing(int items, int height, int width, long seed) {
    int d = height * width;
    boolean[] out = new boolean[items * d];
    SplittableRandom random = new SplittableRandom(seed);
    double p = spec.startsWith("random:") ? Double.parseDouble(spec.substring(7)) : 0;
    int side = spec.startsWith("center:") ? Integer.parseInt(spec.substring(7)) : 0;
    if (side > Math.min(height, width)) {
      throw new IllegalArgumentException("mask " + spec + " is larger than the " + height + " × " + width + " items");
    }
    for (int i = 0; i < items; i++) {
      for (int r = 0; r < height; r++) {
        for (int c = 0; c < width; c++) {
          boolean gone;
          if (spec.equals("top-half")) {
            gone = r < height / 2;
          } else if (spec.equals("bottom-half")) {
            gone = r >= height / 2;
          } else if (side > 0) {
            int top = (height - side) / 2;
            int left = (width - side) / 2;
            gone = r >= top && r < top + side && c >= left && c < left + side;
          } else {
            gone = random.nextDouble() < p;
          }
          out[i * d + r * width + c] = gone;
        }
      }
    }
    return out;
  }
}
