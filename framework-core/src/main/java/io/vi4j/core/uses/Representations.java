package io.vi4j.core.uses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;

/** The encoder's view of data: the posterior mean (and log-variance, for a Gaussian family) per item. */
public final class Representations {
  private static final int CHUNK = 4096;

  private Representations() {}

  /**
   * The encoding of every item.
   *
   * @param means row-major {@code N × L}: the posterior means
   * @param logVariances row-major {@code N × L}, or null when the family is not a diagonal Gaussian
   * @param items {@code N}
   * @param latentDimension {@code L}
   */
  public record Encoding(float[] means, float[] logVariances, int items, int latentDimension) {}

  /**
   * Encodes {@code data} in chunks, each in its own manager; a posterior without a closed-form mean is
   * represented by one draw (enough for pictures: interpolations, traversals).
   */
  public static Encoding encode(AssembledModel model, Dataset data) {
    return encode(model, data, false);
  }

  /**
   * Encodes {@code data} by exact posterior means, for files that are called means ({@code vi4j embed}).
   *
   * @throws IllegalArgumentException when the posterior has no mean in closed form
   */
  public static Encoding means(AssembledModel model, Dataset data) {
    return encode(model, data, true);
  }

  private static Encoding encode(AssembledModel model, Dataset data, boolean exact) {
    int l = model.model().latentDimension();
    int n = data.rows();
    float[] means = new float[n * l];
    float[] logVariances = new float[n * l];
    boolean gaussian = true;
    // A model without an encoder has its items' posteriors fitted first (test-time inference).
    try (io.vi4j.core.eval.FittedPosteriors posteriors = io.vi4j.core.eval.FittedPosteriors.fit(model, data)) {
      for (int from = 0; from < n; from += CHUNK) {
        gaussian &= encodeChunk(model, data, from, Math.min(n, from + CHUNK), posteriors, means, logVariances, exact);
      }
    }
    return new Encoding(means, gaussian ? logVariances : null, n, l);
  }

  /** @return whether the chunk's posteriors were diagonal Gaussians (their log-variances copied) */
  private static boolean encodeChunk(AssembledModel model, Dataset data, int from, int to,
      io.vi4j.core.eval.FittedPosteriors posteriors, float[] means, float[] logVariances, boolean exact) {
    int l = model.model().latentDimension();
    boolean gaussian = true;
    try (NDManager manager = model.manager().newSubManager(); var bound = posteriors.bind(from, to, manager)) {
      Distribution q = model.model().encoder().posterior(Evaluator.rows(manager, data, from, to));
      if (exact && q.mean().isEmpty()) {
        throw new IllegalArgumentException("embed writes posterior means, and this encoder's posterior ("
            + q.getClass().getSimpleName() + ") has no mean in closed form (a planar flow's is an integral);"
            + " embed a run of an encoder that has one (gaussian-mlp, full-covariance-mlp)");
      }
      NDArray mean = q.mean().orElseGet(() -> q.sample(1).squeeze(0));
      System.arraycopy(mean.toFloatArray(), 0, means, from * l, (to - from) * l);
      if (q instanceof DiagonalGaussian g) {
        float[] lv = g.logVariance().broadcast(mean.getShape()).toFloatArray();
        System.arraycopy(lv, 0, logVariances, from * l, (to - from) * l);
      } else {
        gaussian = false;
      }
    }
    return gaussian;
  }

  /** Encodes {@code data} with a baseline's posterior means (no log-variances), in chunks. */
  public static Encoding encode(io.vi4j.api.density.LatentRepresentation model, Dataset data, NDManager parent) {
    int l = model.latentDimension();
    int n = data.rows();
    float[] means = new float[n * l];
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      try (NDManager manager = parent.newSubManager()) {
        NDArray mean = model.posteriorMean(Evaluator.rows(manager, data, from, to))
            .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        System.arraycopy(mean.toFloatArray(), 0, means, from * l, (to - from) * l);
      }
    }
    return new Encoding(means, null, n, l);
  }
}
