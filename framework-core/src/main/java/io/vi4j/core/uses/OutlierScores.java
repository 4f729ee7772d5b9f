package io.vi4j.core.uses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.elbo.ElboTerms;
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
 */
public final class OutlierScores {
  /** Score names, in column order. */
  public static final String[] NAMES = {"kl", "neg_elbo", "neg_log_likelihood"};

  private OutlierScores() {}

  /**
   * Scores every item.
   *
   * @param k importance samples for {@code −log p(x)}
   * @param elboSamples latent samples for the {@code −ELBO}'s reconstruction term
   * @return name → one score per item
   */
  public static Map<String, double[]> score(AssembledModel model, Dataset data, int k, int elboSamples) {
    int n = data.rows();
    double[] kl = new double[n];
    double[] negElbo = new double[n];
    double[] negLogLikelihood = new double[n];
    // The decoder's output of one pass (samples × items × D floats) stays under 2^22 values: whole items
    // per chunk while one item's samples fit, else one item at a time with its samples split into passes.
    long perItem = (long) Math.max(k, elboSamples) * data.columns();
    int chunk = (int) Math.max(1, (1L << 22) / perItem);
    int samplesPerPass = (int) Math.max(1, Math.min(k, (1L << 22) / data.columns()));

    // A model without an encoder has its items' posteriors fitted first (test-time inference).
    try (FittedPosteriors posteriors = FittedPosteriors.fit(model, data);
        Progress.Stage stage = Progress.stage("outlier scores (k = " + k + ")", n, "items")) {
      for (int from = 0; from < n; from += chunk) {
        scoreChunk(model, data, from, Math.min(n, from + chunk), posteriors, k, samplesPerPass, elboSamples,
            kl, negElbo, negLogLikelihood);
        stage.stepTo(Math.min(n, from + chunk));
      }
    }
    Map<String, double[]> scores = new LinkedHashMap<>();
    scores.put(NAMES[0], kl);
    scores.put(NAMES[1], negElbo);
    scores.put(NAMES[2], negLogLikelihood);
    return scores;
  }

  private static void scoreChunk(AssembledModel model, Dataset data, int from, int to, FittedPosteriors posteriors,
      int k, int samplesPerPass, int elboSamples, double[] kl, double[] negElbo, double[] negLogLikelihood) {
    try (NDManager manager = model.manager().newSubManager(); var bound = posteriors.bind(from, to, manager)) {
      NDArray x = Evaluator.rows(manager, data, from, to);
      Distribution q = model.model().encoder().posterior(x);
      ElboTerms terms = ElboTerms.of(model.model(), x, q, q.sample(elboSamples));
      copy(terms.kl(), kl, from);
      copy(terms.negativeElbo(), negElbo, from);
      copy(new ImportanceSampledDensity(model.model(), k, samplesPerPass).logLikelihood(x).neg(), negLogLikelihood, from);
    }
  }

  private static void copy(NDArray values, double[] into, int from) {
    double[] v = values.toType(DataType.FLOAT64, false).toDoubleArray();
    System.arraycopy(v, 0, into, from, v.length);
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
