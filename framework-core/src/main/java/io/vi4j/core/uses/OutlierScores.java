package io.vi4j.core.uses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.math.RowNoise;
import io.vi4j.api.kit.progress.Progress;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.eval.FittedPosteriors;
import io.vi4j.core.eval.ImportanceSampledDensity;
import io.vi4j.core.model.AssembledModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outlier scores of a trained latent-variable model, higher meaning more unusual: the lecture's
 * {@code KL(q(t | x) ‖ p(t))} (how far the encoder must move from the prior to explain the item), the
 * {@code −ELBO}, and {@code −log p(x)} by importance sampling; with AUROC and AUPRC against known
 * outlier labels, and thresholds calibrated as quantiles of the training scores.
 *
 * <p>Known failure: likelihood-based scores can rank some out-of-distribution data as <em>more</em>
 * likely than the training distribution (Nalisnick et al. 2019, "Do deep generative models know what
 * they don't know?"); simple, low-variance images get high density whatever their class.
 *
 * <p>The {@code −ELBO} is {@link io.vi4j.api.kit.elbo.ElboTerms}'s, with its sample averages in float64.
 */
public final class OutlierScores {
  /** Score names, in column order. */
  public static final String[] NAMES = {"kl", "neg_elbo", "neg_log_likelihood"};

  /** The most items scored at once (fewer when their samples would not fit in 2^22 decoder outputs). */
  public static final int CHUNK_ITEMS = 32;

  private OutlierScores() {}

  /**
   * Scores every item, item {@code i}'s noise seeded from {@code (seed, i)} (see {@link #score(AssembledModel,
   * Dataset, long[], long, int, int)}).
   *
   * @param k importance samples for {@code −log p(x)}
   * @param elboSamples latent samples for the {@code −ELBO}'s reconstruction term
   * @param seed the run's seed
   * @return name → one score per item
   */
  public static Map<String, double[]> score(AssembledModel model, Dataset data, int k, int elboSamples, long seed) {
    long[] ids = new long[data.rows()];
    Arrays.setAll(ids, i -> i);
    return score(model, data, ids, seed, k, elboSamples);
  }

  /**
   * Scores every item; the noise of item {@code i} (its ELBO draws and importance samples) comes from its
   * own stream, seeded from {@code (seed, rowIds[i])} ({@link RowNoise}), so an item's scores do not depend
   * on the other items scored with it: {@code vi4j score} and a Spark job that sees the item in another
   * batch give it the same scores.
   *
   * @param rowIds one id per item
   * @param seed the run's seed
   * @param k importance samples for {@code −log p(x)}
   * @param elboSamples latent samples for the {@code −ELBO}'s reconstruction term
   * @return name → one score per item
   */
  public static Map<String, double[]> score(AssembledModel model, Dataset data, long[] rowIds, long seed, int k,
      int elboSamples) {
    int n = data.rows();
    if (rowIds.length != n) {
      throw new IllegalArgumentException(rowIds.length + " row ids for " + n + " items");
    }
    double[] kl = new double[n];
    double[] negElbo = new double[n];
    double[] negLogLikelihood = new double[n];
    // The decoder's output of one pass (samples × items × D floats) stays under 2^22 values: whole items
    // per chunk while one item's samples fit, else one item at a time with its samples split into passes.
    long perItem = (long) Math.max(k, elboSamples) * data.columns();
    int chunk = (int) Math.max(1, Math.min(CHUNK_ITEMS, (1L << 22) / perItem));
    int samplesPerPass = (int) Math.max(1, Math.min(k, (1L << 22) / data.columns()));

    // A model without an encoder has its items' posteriors fitted first (test-time inference).
    try (FittedPosteriors posteriors = FittedPosteriors.fit(model, data);
        Progress.Stage stage = Progress.stage("outlier scores (k = " + k + ")", n, "items")) {
      // Every chunk of an encoder's model has the same number of rows (the last one padded with copies of
      // its last row, whose results are dropped): the engine's float32 matrix products round by the shape
      // of the batch, so a fixed shape keeps a row's scores the same (to the last bit but for rare one-step
      // roundings of the KL, seen in 69 of 10^6 rows: docs/scaling.md) however the items
      // are batched (by vi4j score, or by a Spark job's partitions).
      boolean pad = !(model.model().encoder() instanceof io.vi4j.api.model.PerItemFamily);
      for (int from = 0; from < n; from += chunk) {
        int to = Math.min(n, from + chunk);
        int width = pad ? chunk : to - from;
        long[] seeds = new long[width];
        for (int i = 0; i < width; i++) {
          seeds[i] = RowNoise.rowSeed(seed, rowIds[Math.min(from + i, to - 1)]);
        }
        try (RowNoise.Scope noise = RowNoise.perRow(seeds)) {
          scoreChunk(model, data, from, to, width, posteriors, k, samplesPerPass, elboSamples, kl, negElbo,
              negLogLikelihood);
        }
        stage.stepTo(to);
      }
    }
    Map<String, double[]> scores = new LinkedHashMap<>();
    scores.put(NAMES[0], kl);
    scores.put(NAMES[1], negElbo);
    scores.put(NAMES[2], negLogLikelihood);
    return scores;
  }

  /** @param width rows computed: {@code to − from}, or more, the last row repeated */
  private static void scoreChunk(AssembledModel model, Dataset data, int from, int to, int width,
      FittedPosteriors posteriors, int k, int samplesPerPass, int elboSamples, double[] kl, double[] negElbo,
      double[] negLogLikelihood) {
    try (NDManager manager = model.manager().newSubManager(); var bound = posteriors.bind(from, to, manager)) {
      NDArray x = Evaluator.rows(manager, data, from, to);
      if (width > to - from) {
        x = x.concat(x.get(new ai.djl.ndarray.index.NDIndex("-1:")).repeat(0, width - (to - from)), 0);
      }
      Distribution q = model.model().encoder().posterior(x);
      NDArray latent = q.sample(elboSamples);
      // The terms of ElboTerms, with the averages over samples taken in float64: the engine's float32
      // reductions over the sample axis vectorize across the items, so their last bit would depend on how
      // many items share the chunk; a float64 sum of a few float32 values is exact, so a row's scores do not.
      NDArray reconstruction = meanOverSamples(model.model().decoder().conditional(latent).logProb(x)).neg();
      Distribution prior = model.model().prior().distribution(manager, width);
      NDArray divergence;
      var closedForm = q.analyticKl(prior);
      if (closedForm.isPresent()) {
        divergence = closedForm.get().toType(DataType.FLOAT64, false);
      } else if (!q.capabilities().contains(io.vi4j.api.distribution.Capability.DENSITY)) {
        divergence = reconstruction.zerosLike().add(Double.NaN); // a point mass has no KL (ElboTerms: NaN)
      } else {
        divergence = meanOverSamples(q.logProb(latent).sub(prior.logProb(latent)));
      }
      copy(divergence, kl, from, to);
      copy(reconstruction.add(divergence), negElbo, from, to);
      copy(new ImportanceSampledDensity(model.model(), k, samplesPerPass).logLikelihood(x).neg(), negLogLikelihood, from, to);
    }
  }

  /** @return the mean over axis 0 of {@code values} (shape {@code (S, B)}), in float64, shape {@code (B)} */
  private static NDArray meanOverSamples(NDArray values) {
    return values.toType(DataType.FLOAT64, false).sum(new int[] {0}).div(values.getShape().get(0));
  }

  private static void copy(NDArray values, double[] into, int from, int to) {
    double[] v = values.toType(DataType.FLOAT64, false).toDoubleArray();
    System.arraycopy(v, 0, into, from, to - from);
  }

  /**
   * The area under the ROC curve: the probability that a random outlier scores above a random inlier
   * (ties count half), by the Mann-Whitney statistic.
   */
  public static double auroc(double[] scores, boolean[] outlier) {
    Integer[] order = rankOrder(scores);
    double rankSum = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int m = i; m <= j; m++) {
        if (outlier[order[m]]) {
          rankSum += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /** The area under the precision-recall curve as average precision (outliers the positive class). */
  public static double auprc(double[] scores, boolean[] outlier) {
    Integer[] order = rankOrder(scores);
    long positives = 0;
    for (boolean o : outlier) {
      positives += o ? 1 : 0;
    }
    if (positives == 0) {
      return Double.NaN;
    }
    double sum = 0;
    long hits = 0;
    for (int r = order.length - 1, seen = 1; r >= 0; r--, seen++) {
      if (outlier[order[r]]) {
        hits++;
        sum += hits / (double) seen;
      }
    }
    return sum / positives;
  }

  /** @return the {@code q}-quantile of {@code values} (linear interpolation). */
  public static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double position = q * (sorted.length - 1);
    int low = (int) Math.floor(position);
    int high = Math.min(sorted.length - 1, low + 1);
    return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
  }

  private static Integer[] rankOrder(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    return order;
  }
}
