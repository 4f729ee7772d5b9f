package io.vi4j.plugins.autoregressive;

import java.util.List;
import java.util.SplittableRandom;

/**
 * MADE's connectivity (Germain et al. 2015, section 4, natural order): input {@code d} has degree
 * {@code d} (0-based); each hidden unit gets a degree drawn uniformly from {@code [min of the layer
 * below, D − 2]}; a hidden unit of degree {@code m} sees the units below of degree at most {@code m}, and
 * output {@code d} sees the last hidden units of degree below {@code d}. So output {@code d} depends on
 * inputs {@code 0..d−1} only: the autoregressive property, which a test checks on the network's Jacobian.
 */
final class MadeMasks {
  private final int dimension;
  private final int[][] degrees; // [0] inputs, then one array per hidden layer

  /**
   * @param dimension {@code D}
   * @param hidden the hidden widths
   * @param seed seeds the hidden degrees
   */
  MadeMasks(int dimension, List<Integer> hidden, long seed) {
    this.dimension = dimension;
    this.degrees = new int[hidden.size() + 1][];
    degrees[0] = new int[dimension];
    for (int d = 0; d < dimension; d++) {
      degrees[0][d] = d;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int l = 0; l < hidden.size(); l++) {
      int lowest = min(degrees[l]);
      int highest = Math.max(lowest, dimension - 2);
      int[] layer = new int[hidden.get(l)];
      for (int k = 0; k < layer.length; k++) {
        layer[k] = lowest + random.nextInt(highest - lowest + 1);
      }
      degrees[l + 1] = layer;
    }
  }

  /** @return the number of hidden layers. */
  int hiddenLayers() {
    return degrees.length - 1;
  }

  /**
   * @param layer 0 for the first hidden layer
   * @return its mask, shape {@code (units, units below)} row-major: 1 where unit {@code k} sees unit {@code j}
   */
  float[] hiddenMask(int layer) {
    int[] below = degrees[layer];
    int[] above = degrees[layer + 1];
    float[] mask = new float[above.length * below.length];
    for (int k = 0; k < above.length; k++) {
      for (int j = 0; j < below.length; j++) {
        mask[k * below.length + j] = above[k] >= below[j] ? 1f : 0f;
      }
    }
    return mask;
  }

  /**
   * @param blocks how many outputs each dimension has (1 for Bernoulli logits, 2 for a Gaussian's mean
   *     and log-variance), laid out block by block: output {@code b·D + d}
   * @return the output layer's mask, shape {@code (blocks·D, units below)} row-major
   */
  float[] outputMask(int blocks) {
    int[] below = degrees[degrees.length - 1];
    float[] mask = new float[blocks * dimension * below.length];
    for (int b = 0; b < blocks; b++) {
      for (int d = 0; d < dimension; d++) {
        int row = b * dimension + d;
        for (int j = 0; j < below.length; j++) {
          mask[row * below.length + j] = d > below[j] ? 1f : 0f;
        }
      }
    }
    return mask;
  }

  /** @return the width of the layer below the output. */
  int lastWidth() {
    return degrees[degrees.length - 1].length;
  }

  private static int min(int[] values) {
    int m = Integer.MAX_VALUE;
    for (int v : values) {
      m = Math.min(m, v);
    }
    return values.length == 0 ? 0 : m;
  }
}
