package io.vi4j.plugins.factorized;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import java.util.List;

/**
 * The fully factorized Bernoulli model {@code p(x) = Π_d p_d^{x_d} (1 − p_d)^{1 − x_d}}, fitted by maximum
 * likelihood: {@code p_d} is the mean of {@code x_d} over the training items, clamped to
 * {@code [ε, 1 − ε]}. The log-likelihood {@code Σ_d x_d log p_d + (1 − x_d) log(1 − p_d)} is also defined
 * for soft targets in {@code [0, 1]} (grey levels), for which the same {@code p_d} is the maximizer.
 *
 * <p><b>Missing cells.</b> When the training data hold missing cells (NaN), {@code p_d} is the mean of
 * column {@code d}'s observed cells (on the host), and the reported training log-likelihood is the mean
 * observed-data one. A row with nothing observed contributes nothing (it is not refused); a column with no
 * observed value is refused.
 *
 * <p>The fitted arrays live in a sub-manager of the manager given to {@link #fit} (a new fit closes the
 * previous one's); results go to the argument's manager and temporaries are freed.
 */
public final class FactorizedBernoulli extends FactorizedModel<FactorizedBernoulliSpec>
    implements io.vi4j.api.density.ConditionalImputer {
  private double[] probabilities;
  private NDArray logOddsNd;
  private NDArray probabilityNd;
  private NDArray log1mPNd;
  private double logNotSum;

  /** @param spec the clamping ε */
  public FactorizedBernoulli(FactorizedBernoulliSpec spec) {
    super("factorized-bernoulli", spec, DataKind.BINARY);
  }

  /**
   * Sets {@code p_d} to the clamped column means, accumulated on the device in float64.
   *
   * @param train {@code N × D} items, values in {@code [0, 1]}
   * @param seed unused (the fit is exact)
   * @return 0 iterations, converged, the mean training log-likelihood and an empty trace
   */
  @Override
  public FitReport fit(Dataset train, NDManager manager, long seed) {
    boolean incomplete = train.hasMissing();
    ColumnMoments.Observed observed = incomplete ? ColumnMoments.observed(train, "factorized-bernoulli") : null;
    double[] mean = incomplete ? observed.mean() : ColumnMoments.mean(train, manager);
    int d = mean.length;
    double[] log1mPs = new double[d];
    double eps = spec().epsilon();
    double[] p = new double[d];
    double[] logOdds = new double[d];
    double logNot = 0;
    double trainLl = 0;
    for (int i = 0; i < d; i++) {
      p[i] = Math.min(1 - eps, Math.max(eps, mean[i]));
      double logP = Math.log(p[i]);
      double log1mP = Math.log1p(-p[i]);
      logOdds[i] = logP - log1mP;
      logNot += log1mP;
      log1mPs[i] = log1mP;
      // With missing cells, column i's terms are over its observed cells only: a fraction count/N of items.
      double share = incomplete ? (double) observed.count()[i] / train.rows() : 1;
      trainLl += share * (mean[i] * logP + (1 - mean[i]) * log1mP);
    }
    NDManager fitted = refit(manager, d);
    logOddsNd = fitted.create(logOdds);
    probabilityNd = fitted.create(p).toType(DataType.FLOAT32, false);
    log1mPNd = fitted.create(log1mPs);
    probabilities = p;
    logNotSum = logNot;
    return new FitReport(0, true, trainLl, List.of());
  }

  /**
   * @param data shape {@code (B, D)}, values in {@code [0, 1]}
   * @return shape {@code (B)}, float64, nats, on {@code data}'s manager:
   *     {@code Σ_d x_d log p_d + (1 − x_d) log(1 − p_d) = x · logit(p) + Σ_d log(1 − p_d)}, the sum over a
   *     row's observed cells when it has missing ones (NaN): the marginal {@code log p(x_o)}
   */
  @Override
  public NDArray logLikelihood(NDArray data) {
    return logLikelihoodOf(data, x -> {
      NDArray nan = x.isNaN();
      if (!nan.any().getBoolean()) {
        return x.mul(logOddsNd).sum(new int[] {1}).add(logNotSum);
      }
      // Missing cells drop out: each row's sum runs over its observed cells only.
      NDArray observed = nan.logicalNot().toType(DataType.FLOAT64, false);
      NDArray filled = NDArrays.where(nan, x.zerosLike(), x);
      return filled.mul(logOddsNd).sum(new int[] {1}).add(observed.mul(log1mPNd).sum(new int[] {1}));
    });
  }

  /**
   * Independent Bernoulli draws from the engine's random stream.
   *
   * @return shape {@code (count, D)}, float32 values in {0, 1}, on {@code manager}
   */
  @Override
  public NDArray sample(int count, NDManager manager) {
    return sampleOf(count, manager, (scratch, shape) -> scratch.randomUniform(0f, 1f, shape)
        .lt(probabilityNd)
        .toType(DataType.FLOAT32, false));
  }

  /** @return {@code D}. */
  @Override
  public long parameterCount() {
    return dimension();
  }

  /** @return a copy of the fitted {@code p_d}, length {@code D}. */
  public double[] probabilities() {
    return fittedCopy(probabilities);
  }

  /**
   * Imputes by the conditional mean, which for a factorized model is the marginal mean: every missing cell
   * of column {@code d} gets {@code p_d, the clamped (observed) column mean} (column-mean imputation). A position is missing when
   * its mask entry is true or its value is NaN.
   *
   * @param observed row-major {@code items × D}; values at missing positions are ignored
   * @param missing row-major {@code items × D}, true where a value is unknown
   * @return a copy of {@code observed} with every missing value replaced
   */
  @Override
  public float[] conditionalMean(float[] observed, boolean[] missing, int items) {
    double[] fill = probabilities();
    return fillColumns(observed, missing, items, fill);
  }
}
