package io.vi4j.plugins.factorized;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import io.vi4j.api.kit.math.NdMath;
import java.util.List;

/**
 * The fully factorized Gaussian {@code p(x) = Π_d N(x_d; μ_d, v_d)}, fitted by maximum likelihood:
 * {@code μ_d} the column mean and {@code v_d = max((1/N) Σ_n (x_nd − μ_d)², variance_floor)} (two passes
 * on the device in float64).
 *
 * <p><b>Missing cells.</b> When the training data hold missing cells (NaN), {@code μ_d} and {@code v_d} are
 * the moments of column {@code d}'s observed cells (on the host), and the reported training log-likelihood
 * is the mean observed-data one. A row with nothing observed contributes nothing (it is not refused); a
 * column with no observed value is refused.
 *
 * <p>The fitted arrays live in a sub-manager of the manager given to {@link #fit} (a new fit closes the
 * previous one's); results go to the argument's manager and temporaries are freed.
 */
public final class FactorizedGaussian extends FactorizedModel<FactorizedGaussianSpec>
    implements io.vi4j.api.density.ConditionalImputer {
  private double[] means;
  private double[] variances;
  private NDArray meanNd;
  private NDArray precisionNd;
  private NDArray stdNd;
  private NDArray logNormNd;
  private double logNormalizer;

  /** @param spec the variance floor */
  public FactorizedGaussian(FactorizedGaussianSpec spec) {
    super("factorized-gaussian", spec, DataKind.CONTINUOUS);
  }

  /**
   * Sets μ and {@code v} to the sample moments (the variance divided by {@code N}, then floored).
   *
   * @param train {@code N × D} items
   * @param seed unused (the fit is exact)
   * @return 0 iterations, converged, the mean training log-likelihood and an empty trace
   */
  @Override
  public FitReport fit(Dataset train, NDManager manager, long seed) {
    boolean incomplete = train.hasMissing();
    ColumnMoments.Observed observed = incomplete ? ColumnMoments.observed(train, "factorized-gaussian") : null;
    double[] mu = incomplete ? observed.mean() : ColumnMoments.mean(train, manager);
    double[] sampleVariance = incomplete ? observed.variance() : ColumnMoments.variance(train, manager, mu);
    int d = mu.length;
    double[] logNorms = new double[d];
    double[] v = new double[d];
    double[] precision = new double[d];
    double[] std = new double[d];
    double normalizer = 0;
    double trainLl = 0;
    for (int i = 0; i < d; i++) {
      v[i] = Math.max(spec().varianceFloor(), sampleVariance[i]);
      precision[i] = 1 / v[i];
      std[i] = Math.sqrt(v[i]);
      double logNorm = -0.5 * (NdMath.LOG_2PI + Math.log(v[i]));
      logNorms[i] = logNorm;
      normalizer += logNorm;
      // With missing cells, column i's terms are over its observed cells only: a fraction count/N of items.
      double share = incomplete ? (double) observed.count()[i] / train.rows() : 1;
      trainLl += share * (logNorm - 0.5 * sampleVariance[i] / v[i]);
    }
    NDManager fitted = refit(manager, d);
    meanNd = fitted.create(mu);
    precisionNd = fitted.create(precision);
    stdNd = fitted.create(std);
    logNormNd = fitted.create(logNorms);
    means = mu;
    variances = v;
    logNormalizer = normalizer;
    return new FitReport(0, true, trainLl, List.of());
  }

  /**
   * @param data shape {@code (B, D)}
   * @return shape {@code (B)}, float64, nats, on {@code data}'s manager:
   *     {@code −½ Σ_d (log 2π + log v_d + (x_d − μ_d)²/v_d)}, the sum over a row's observed cells when it has
   *     missing ones (NaN): the marginal {@code log p(x_o)}, 0 for a row with nothing observed
   */
  @Override
  public NDArray logLikelihood(NDArray data) {
    return logLikelihoodOf(data, x -> {
      NDArray nan = x.isNaN();
      if (!nan.any().getBoolean()) {
        return x.sub(meanNd).square().mul(precisionNd).sum(new int[] {1})
            .mul(-0.5)
            .add(logNormalizer);
      }
      // Missing cells drop out: each row's sum runs over its observed cells only.
      NDArray observed = nan.logicalNot().toType(DataType.FLOAT64, false);
      NDArray filled = NDArrays.where(nan, x.zerosLike(), x);
      NDArray quadratic = filled.sub(meanNd).mul(observed).square().mul(precisionNd).sum(new int[] {1});
      return quadratic.mul(-0.5).add(observed.mul(logNormNd).sum(new int[] {1}));
    });
  }

  /**
   * {@code x = μ + √v ε}, {@code ε ~ N(0, I)} from the engine's random stream.
   *
   * @return shape {@code (count, D)}, float32, on {@code manager}
   */
  @Override
  public NDArray sample(int count, NDManager manager) {
    return sampleOf(count, manager, (scratch, shape) -> scratch.randomNormal(shape)
        .toType(DataType.FLOAT64, false)
        .mul(stdNd)
        .add(meanNd)
        .toType(DataType.FLOAT32, false));
  }

  /** @return {@code 2D}: a mean and a variance per dimension. */
  @Override
  public long parameterCount() {
    return 2L * dimension();
  }

  /** @return a copy of μ, length {@code D}. */
  public double[] means() {
    return fittedCopy(means);
  }

  /** @return a copy of the floored variances {@code v}, length {@code D}. */
  public double[] variances() {
    return fittedCopy(variances);
  }

  /**
   * Imputes by the conditional mean, which for a factorized model is the marginal mean: every missing cell
   * of column {@code d} gets {@code μ_d, the (observed) column mean} (column-mean imputation). A position is missing when
   * its mask entry is true or its value is NaN.
   *
   * @param observed row-major {@code items × D}; values at missing positions are ignored
   * @param missing row-major {@code items × D}, true where a value is unknown
   * @return a copy of {@code observed} with every missing value replaced
   */
  @Override
  public float[] conditionalMean(float[] observed, boolean[] missing, int items) {
    double[] fill = means();
    return fillColumns(observed, missing, items, fill);
  }
}
