package io.vi4j.plugins.mixtures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.kit.progress.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Maximum-likelihood fitting of a Gaussian mixture by EM (Dempster, Laird &amp; Rubin 1977, "Maximum
 * likelihood from incomplete data via the EM algorithm", JRSS B 39(1)), with restarts.
 *
 * <p>The training items {@code (N, D)} go to the device once, as float64 shifted by their mean (for
 * diagonal mixtures together with their squares, {@code [x | x²] (N, 2D)}, {@link
 * LogDensityTerms#features}). Each
 * restart draws its own {@link SplittableRandom} from one seeded by the fit's seed, takes its centres
 * from {@link KMeansInitializer}, and its first parameters from an {@link MStep} over the hard
 * nearest-centre assignment of every item ({@link SufficientStatistics#assignment}), starting from
 * {@link MixtureParameters#spherical} (the per-dimension training variances, floored, for components that
 * receive no item). An iteration is then one M-step (host) followed by one E-step pass ({@link
 * SufficientStatistics#expectation}) that gives both the mean log-likelihood of the new parameters (the
 * trace entry) and the sums for the next M-step. A run stops when an iteration raises the mean
 * log-likelihood by less than {@code tolerance}, or after {@code max_iterations}; the restart with the
 * best final mean log-likelihood (NaN never wins; the first of those equal to rounding, {@link #TIE}) is
 * kept.
 */
final class ExpectationMaximization {

  /**
   * One run's result.
   *
   * @param params the last parameters
   * @param trace the mean training log-likelihood after each iteration, nats
   * @param logLikelihood the last trace entry, or that of the first parameters when there is none
   */
  record Run(
      MixtureParameters params,
      List<Double> trace,
      int iterations,
      boolean converged,
      double logLikelihood) {}

  private final GaussianMixtureSpec spec;
  private final boolean full;
  /** The training rows with their missing cells while an incomplete fit runs, else null. */
  private IncompleteRows incomplete;

  ExpectationMaximization(GaussianMixtureSpec spec) {
    this.spec = spec;
    this.full = spec.covariance() == GaussianMixtureSpec.Covariance.FULL;
  }

  /**
   * Runs every restart; the device arrays of the fit live in a sub-manager of {@code manager} and are
   * freed on return.
   *
   * @return the best run
   */
  Run fit(Dataset train, NDManager manager, long seed) {
    if (train.hasMissing()) {
      return fitIncomplete(train, manager, seed);
    }
    int n = train.rows();
    int d = train.columns();
    float[] values = train.values();

    // Shift by the training mean (conditions the second moments) and take the per-dimension variance
    // (the covariance given to components that are empty at initialization).
    double[] shift = new double[d];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      for (int j = 0; j < d; j++) {
        shift[j] += values[base + j];
      }
    }
    for (int j = 0; j < d; j++) {
      shift[j] /= n;
    }
    double[] globalVariance = new double[d];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      for (int j = 0; j < d; j++) {
        double c = values[base + j] - shift[j];
        globalVariance[j] += c * c;
      }
    }
    for (int j = 0; j < d; j++) {
      globalVariance[j] = Math.max(globalVariance[j] / n, spec.covarianceFloor());
    }
    return restarts(train, values, shift, globalVariance, manager, seed);
  }

  /**
   * EM with missing values (Ghahramani &amp; Jordan 1994): the shift and the per-dimension variances are
   * those of the observed cells of each column; the initialization (k-means++, Lloyd, the first M-step
   * over hard assignments) runs on the training items with each missing cell at its column's observed
   * mean; each iteration's E-step is {@link IncompleteRows#expectation} on the host, and the trace holds
   * the observed-data log-likelihood.
   */
  private Run fitIncomplete(Dataset train, NDManager manager, long seed) {
    int n = train.rows();
    int d = train.columns();
    float[] values = train.values();
    io.vi4j.api.data.IncompleteData.check(train, "a gmm");
    double[] shift = new double[d];
    long[] observed = new long[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        float v = values[i * d + j];
        if (!Float.isNaN(v)) {
          shift[j] += v;
          observed[j]++;
        }
      }
    }
    for (int j = 0; j < d; j++) {
      shift[j] /= observed[j];
    }
    double[] globalVariance = new double[d];
    float[] filled = values.clone();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        float v = values[i * d + j];
        if (Float.isNaN(v)) {
          filled[i * d + j] = (float) shift[j];
        } else {
          double c = v - shift[j];
          globalVariance[j] += c * c;
        }
      }
    }
    for (int j = 0; j < d; j++) {
      globalVariance[j] = Math.max(globalVariance[j] / observed[j], spec.covarianceFloor());
    }
    incomplete = new IncompleteRows(IncompleteRows.shift(values, shift), n, d);
    try {
      Dataset meanFilled = new Dataset(train.name() + " (mean-filled)", filled, n, d, null, null);
      return restarts(meanFilled, filled, shift, globalVariance, manager, seed);
    } finally {
      incomplete = null;
    }
  }

  private Run restarts(
      Dataset train, float[] values, double[] shift, double[] globalVariance, NDManager manager, long seed) {
    int n = train.rows();
    int d = train.columns();
    Run best = null;
    SplittableRandom seeds = new SplittableRandom(seed);
    try (NDManager scope = manager.newSubManager()) {
      NDArray shiftArray = scope.create(shift);
      // Diagonal fits keep [x | x²] (N, 2D): each pass is then two matrix products per chunk and
      // squares nothing (SufficientStatistics#diagonalExpectation).
      NDArray data =
          full
              ? LogDensityTerms.centred(scope.create(values, new Shape(n, d)), shiftArray)
              : LogDensityTerms.features(values, n, d, shift, scope);
      // The shifted items: the plain array, or the x half of the feature layout (a view).
      NDArray items = full ? data : data.get(new NDIndex(":, 0:" + d));
      for (int restart = 0; restart < spec.restarts(); restart++) {
        SplittableRandom random = new SplittableRandom(seeds.nextLong());
        String stage = "EM iterations" + (spec.restarts() > 1 ? " (start " + (restart + 1) + " of " + spec.restarts() + ")" : "");
        Run run = run(data, items, train, shift, globalVariance, random, scope, stage);
        if (best == null || better(run.logLikelihood(), best.logLikelihood())) {
          best = run;
        }
      }
    }
    return best;
  }

  /** The E-step over the fit's items: the feature layout for diagonal mixtures, the plain items for full ones. */
  private SufficientStatistics expectation(
      NDArray data, int n, MixtureParameters params, int chunk, NDManager scope) {
    if (incomplete != null) {
      return incomplete.expectation(params);
    }
    return full
        ? SufficientStatistics.expectation(data, n, params, chunk, scope)
        : SufficientStatistics.diagonalExpectation(data, n, params, chunk, scope);
  }

  /**
   * How much better than the best so far, relative to its size (at least 1), a later restart's mean
   * log-likelihood must be to replace it: restarts that reach the same optimum (often with the components
   * in another order) differ in the last bits only, and which of them won then depended on the machine's
   * BLAS (an AMD and an Intel processor chose differently). Ties keep the first.
   */
  static final double TIE = 1e-12;

  /** @return whether a restart's mean log-likelihood beats the best so far by more than {@link #TIE}; NaN never wins */
  static boolean better(double candidate, double incumbent) {
    return !Double.isNaN(candidate)
        && (Double.isNaN(incumbent) || candidate > incumbent + TIE * Math.max(1, Math.abs(incumbent)));
  }

  /** One EM run from one k-means++ initialization. */
  private Run run(
      NDArray data,
      NDArray items,
      Dataset train,
      double[] shift,
      double[] globalVariance,
      SplittableRandom random,
      NDManager scope,
      String stageName) {
    int n = train.rows();
    int d = train.columns();
    int chunk = GaussianMixture.chunkRows(spec, d);
    double floor = spec.covarianceFloor();
    double[][] centres =
        KMeansInitializer.initialCentres(train, shift, items, spec.components(), chunk, random, scope);

    // First parameters: an M-step over the hard nearest-centre assignment of every item.
    MixtureParameters seed = MixtureParameters.spherical(centres, globalVariance, shift, full);
    SufficientStatistics stats;
    try (NDManager init = scope.newSubManager()) {
      LogDensityTerms nearest = LogDensityTerms.nearestCentre(centres, init);
      stats =
          full
              ? SufficientStatistics.assignment(data, n, nearest, true, chunk, init)
              : SufficientStatistics.diagonalAssignment(data, n, nearest, chunk, init);
    }
    MixtureParameters params = MStep.maximize(stats, seed, n, floor);

    stats = expectation(data, n, params, chunk, scope);
    double previous = stats.logLikelihood() / n;
    List<Double> trace = new ArrayList<>();
    boolean converged = false;
    int iterations = 0;
    // At most max_iterations; EM usually converges before, and the stage then ends early.
    try (Progress.Stage progress = Progress.stage(stageName, spec.maxIterations(), "iterations")) {
      for (int iteration = 1; iteration <= spec.maxIterations(); iteration++) {
        MixtureParameters next = MStep.maximize(stats, params, n, floor);
        SufficientStatistics nextStats = expectation(data, n, next, chunk, scope);
        double current = nextStats.logLikelihood() / n;
        iterations = iteration;
        params = next;
        stats = nextStats;
        trace.add(current);
        progress.stepTo(iteration);
        if (Double.isNaN(current)) {
          break;
        }
        if (current - previous < spec.tolerance()) {
          converged = true;
          break;
        }
        previous = current;
      }
    }
    double last = trace.isEmpty() ? previous : trace.get(trace.size() - 1);
    return new Run(params, trace, iterations, converged, last);
  }
}
