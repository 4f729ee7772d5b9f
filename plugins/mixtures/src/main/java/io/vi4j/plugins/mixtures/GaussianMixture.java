package io.vi4j.plugins.mixtures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.BaselineModel;
import io.vi4j.api.density.ConditionalImputer;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.plugins.mixtures.GaussianMixtureSpec.Covariance;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Gaussian mixture {@code p(x) = Σ_k w_k N(x; μ_k, Σ_k)} with {@code K} components and diagonal or full
 * covariances, fitted by EM (Dempster, Laird &amp; Rubin 1977).
 *
 * <p><b>Fit.</b> The training items go to the device once, as a {@code (N, D)} float64 array shifted by
 * the training mean (the shift only conditions the second moments; the model is the same), which for
 * 60000 × 784 items is 376 MB for the length of the fit; a diagonal fit keeps the squares beside them,
 * {@code [x | x²] (N, 2D)} (752 MB), so that each pass squares nothing and needs two matrix products per
 * chunk instead of four. Every computation is in float64, so that the
 * sums over many items and the differences of second moments keep their precision. Each restart seeds
 * its centres by k-means++ (Arthur &amp; Vassilvitskii 2007) on a subsample of at most {@value
 * #INIT_SUBSAMPLE} items, refines them with up to {@value #LLOYD_ITERATIONS} Lloyd iterations on that
 * subsample ({@link KMeansInitializer}), and takes its first parameters from an M-step over the hard
 * nearest-centre assignment of all items. An EM iteration ({@link ExpectationMaximization}) is then one
 * M-step ({@link MStep}, host) followed by one pass over the data ({@link SufficientStatistics}, device)
 * that gives both the mean log-likelihood of the new parameters (the {@link FitReport#trace()} entry) and
 * the sums for the next M-step. A pass works in chunks of at most {@code batch_size} items, each in its
 * own sub-manager: the chunk's {@code (B, K)} log joint {@code log w_k + log N(x_i; μ_k, Σ_k)}, its
 * log-sum-exp {@code (B)} and responsibilities {@code r (B, K)}, and the statistics {@code N_k = Σ_i r_ik
 * (K)}, {@code Σ_i r_ik x_i (K, D)} and {@code Σ_i r_ik x_i² (K, D)} (diagonal, both from one product
 * {@code rᵀ [x | x²]}) or {@code Σ_i r_ik x_i x_iᵀ (K, D, D)} (full), added in place to running sums. Full covariances use chunks small enough that
 * the {@code (K, B, D)} temporaries stay under {@value #MAX_TEMPORARY_ELEMENTS} elements. A run stops
 * when an iteration raises the mean log-likelihood by less than {@code tolerance}; the restart with the
 * best final mean log-likelihood is kept. All random choices of a fit come from a {@link
 * java.util.SplittableRandom} seeded by the fit's seed, so a fit is repeatable and does not touch the
 * engine's random stream.
 *
 * <p><b>M-step.</b> {@code w_k = N_k / N}, {@code μ_k = Σ r x / N_k}, {@code σ²_k = max(Σ r x² / N_k −
 * μ_k², floor)} (diagonal) or {@code Σ_k = S_k} with every eigenvalue of {@code S_k = Σ r x xᵀ / N_k −
 * μ_k μ_kᵀ} below {@code floor} raised to it (full), {@code floor = covariance_floor}. The floor keeps
 * every covariance positive definite (a component on one repeated point, a constant pixel), and as a
 * lower bound rather than an added constant it makes each M-step the exact maximizer over the
 * constrained set {@code Σ ⪰ floor·I}, so that EM still never lowers the training log-likelihood (an
 * added floor did lower it near convergence on Fashion-MNIST, where many pixels are constant within a
 * component). The full form checks {@code S_k − floor·I} by a Cholesky factorization first and
 * eigendecomposes {@code S_k} on the host only when that fails ({@link Covariances}, commons-math3). A
 * component that receives no responsibility at all ({@code N_k < 1e-12}) keeps its previous mean and
 * covariance and gets weight {@code N_k / N}.
 *
 * <p><b>Densities.</b> ({@link LogDensityTerms}) Diagonal: the Mahalanobis terms of all components come
 * from two matrix products, {@code x² · (−½/σ²)ᵀ + x · (μ/σ²)ᵀ + c}. Full: DJL has no Cholesky, so each
 * {@code Σ_k = L_k L_kᵀ} is factored on the host (commons-math3), giving {@code log|Σ_k| = 2 Σ log
 * L_k,jj} and {@code A_k = L_k⁻¹}; the device computes {@code ‖A_k (x − μ_k)‖²} for all components at
 * once as one product of {@code x (B, D)} with the {@code (D, K·D)} matrix of stacked {@code A_kᵀ}.
 * {@link #logLikelihood} returns float64 nats; {@link #sample} ({@link MixtureSampler}) returns float32.
 *
 * <p><b>Missing cells.</b> Training data with missing cells (NaN, {@link Dataset#hasMissing()}) are fitted by
 * EM with missing values (Ghahramani &amp; Jordan 1994, "Supervised learning from incomplete data via an EM
 * approach", NIPS 6; {@link ExpectationMaximization}): the responsibilities come from the marginal of each
 * row's observed coordinates, and the M-step takes expected sufficient statistics, the missing
 * coordinates at their conditional mean under each component with its conditional covariance added to
 * the second moments (for a diagonal component: the component mean and variance). The E-step then runs on
 * the host in float64 ({@link IncompleteRows}), rows grouped by their pattern of missing cells; the
 * initialization runs on the items with each missing cell at its column's observed mean; the trace and
 * the reported log-likelihood are the observed-data log-likelihood {@code (1/N) Σ_i log p(x_i,o)}, which
 * EM never lowers. A row with every cell missing, or a column with no observed value, is refused
 * ({@link MissingCells}). Complete data take the device path above unchanged. {@link #logLikelihood} of a
 * row with missing cells is the marginal {@code log p(x_o)}, and {@link #conditionalMean} fills missing
 * cells for both covariance forms.
 *
 * <p>Parameters after a fit live on the manager passed to {@link #fit}, and host copies back the
 * accessors ({@link #weights()}, {@link #means()}, {@link #covariances()}).
 */
public final class GaussianMixture implements BaselineModel, ConditionalImputer {

  /** Items the k-means++ initialization looks at, at most. */
  public static final int INIT_SUBSAMPLE = 10_000;

  /** Lloyd iterations after k-means++ seeding, at most. */
  public static final int LLOYD_ITERATIONS = 10;

  /** The largest {@code (K, B, D)} temporary a full-covariance chunk may form. */
  public static final long MAX_TEMPORARY_ELEMENTS = 1L << 24;

  private final GaussianMixtureSpec spec;
  private final int components;
  private final boolean full;
  private int dimension;

  private MixtureParameters fitted;
  private LogDensityTerms fittedTerms;

  /**
   * @param spec the configuration
   * @param dataDimension {@code D}, or 0 to take it from the first fit
   */
  public GaussianMixture(GaussianMixtureSpec spec, int dataDimension) {
    this.spec = Objects.requireNonNull(spec, "spec");
    if (dataDimension < 0) {
      throw new IllegalArgumentException("data dimension must be at least 0, got " + dataDimension);
    }
    this.components = spec.components();
    this.full = spec.covariance() == Covariance.FULL;
    this.dimension = dataDimension;
  }

  /** @return the configuration. */
  public GaussianMixtureSpec spec() {
    return spec;
  }

  /** @return {@code D}, or 0 before the first fit when it was not given. */
  public int dataDimension() {
    return dimension;
  }

  /** @return whether {@link #fit} has run. */
  public boolean isFitted() {
    return fitted != null;
  }

  @Override
  public DataKind dataKind() {
    return DataKind.CONTINUOUS;
  }

  /**
   * Diagonal: {@code K(2D + 1) − 1}; full: {@code K(D + D(D+1)/2 + 1) − 1} (means, covariances, and the
   * weights less one for their sum).
   *
   * @throws IllegalStateException when {@code D} is not known yet
   */
  @Override
  public long parameterCount() {
    if (dimension == 0) {
      throw new IllegalStateException("the gmm's data dimension is not known before it is fitted");
    }
    long d = dimension;
    long perComponent = full ? d + d * (d + 1) / 2 + 1 : 2 * d + 1;
    return components * perComponent - 1;
  }

  /**
   * The Bayesian information criterion (Schwarz 1978) {@code −2·n·meanLogLik + p·ln n}, with {@code p =
   * }{@link #parameterCount()}; lower is better.
   *
   * @param meanLogLikelihood mean {@code log p(x)} per item, nats
   * @param n number of items it was averaged over
   */
  public double bic(double meanLogLikelihood, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("BIC needs at least one item, got n = " + n);
    }
    return -2.0 * n * meanLogLikelihood + parameterCount() * Math.log(n);
  }

  /** The BIC of the fitted model on a dataset ({@link #bic(double, int)} of its mean log-likelihood). */
  public double bic(Dataset data) {
    return bic(meanLogLikelihood(data), data.rows());
  }

  /**
   * @param data items on the host, {@code D} columns
   * @return mean exact {@code log p(x)} per item, nats
   */
  public double meanLogLikelihood(Dataset data) {
    requireFitted();
    checkColumns(data.columns());
    if (data.rows() == 0) {
      throw new IllegalArgumentException(data.name() + ": no items to average a log-likelihood over");
    }
    double total = 0;
    int chunk = spec.batchSize();
    try (NDManager scope = fittedTerms.manager.newSubManager()) {
      for (int start = 0; start < data.rows(); start += chunk) {
        int end = Math.min(data.rows(), start + chunk);
        try (NDManager step = scope.newSubManager()) {
          float[] values =
              Arrays.copyOfRange(data.values(), start * dimension, end * dimension);
          NDArray x = step.create(values, new Shape(end - start, dimension));
          total += logLikelihood(x).sum().getDouble();
        }
      }
    }
    return total / data.rows();
  }

  // ---------------------------------------------------------------------------------------------------
  // Fit

  @Override
  public FitReport fit(Dataset train, NDManager manager, long seed) {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(manager, "manager");
    if (train.rows() < 1) {
      throw new IllegalArgumentException(train.name() + ": a gmm needs at least one training item");
    }
    checkColumns(train.columns());
    ExpectationMaximization.Run best = new ExpectationMaximization(spec).fit(train, manager, seed);
    if (fittedTerms != null) {
      fittedTerms.close();
    }
    this.dimension = train.columns();
    this.fitted = best.params();
    this.fittedTerms = LogDensityTerms.of(best.params(), manager);
    return new FitReport(best.iterations(), best.converged(), best.logLikelihood(), best.trace());
  }

  /**
   * Items per device chunk: {@code batch_size}, fewer for full covariances so that the {@code (K, B, D)}
   * temporaries stay under {@value #MAX_TEMPORARY_ELEMENTS} elements.
   */
  static int chunkRows(GaussianMixtureSpec spec, int d) {
    int rows = spec.batchSize();
    if (spec.covariance() == Covariance.FULL) {
      long cap = Math.max(1, MAX_TEMPORARY_ELEMENTS / ((long) spec.components() * d));
      rows = (int) Math.min(rows, cap);
    }
    return rows;
  }

  // ---------------------------------------------------------------------------------------------------
  // Density and sampling

  /**
   * Exact {@code log p(x) = log Σ_k w_k N(x; μ_k, Σ_k)}. A row with missing cells (NaN) gets the exact
   * marginal of its observed coordinates, {@code log p(x_o) = log Σ_k w_k N(x_o; μ_ko, Σ_koo)} (the missing
   * coordinates dropped; 0 for a row with nothing observed), computed on the host for the chunks that hold
   * such rows ({@link IncompleteRows}).
   *
   * @param data shape {@code (B, D)}, any float type, on the fitted parameters' device
   * @return shape {@code (B)}, float64 nats, on {@code data}'s manager
   */
  @Override
  public NDArray logLikelihood(NDArray data) {
    requireFitted();
    Shape shape = data.getShape();
    if (shape.dimension() != 2 || shape.get(1) != dimension) {
      throw new IllegalArgumentException(
          "the gmm scores items of shape (B, " + dimension + "), got " + shape);
    }
    int rows = (int) shape.get(0);
    NDManager owner = data.getManager();
    int chunk = chunkRows(spec, dimension);
    try (NDManager scope = owner.newSubManager()) {
      NDList parts = new NDList();
      for (int start = 0; start == 0 || start < rows; start += chunk) {
        int end = Math.min(rows, start + chunk);
        NDArray x =
            data.get(scope, new NDIndex(start + ":" + end))
                .toType(DataType.FLOAT64, false)
                .sub(fittedTerms.shift);
        if (x.isNaN().any().getBoolean()) {
          // Rows with missing cells: the marginal of the observed coordinates, on the host.
          double[] ll =
              new IncompleteRows(x.toDoubleArray(), end - start, dimension)
                  .logDensities(fitted);
          parts.add(scope.create(ll));
          continue;
        }
        parts.add(NdMath.logSumExp(fittedTerms.logJoint(x), 1));
      }
      NDArray out = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
      out.attach(owner);
      return out;
    }
  }

  /**
   * Draws items: the component by Gumbel-max on {@code log w}, then {@code μ_k + σ_k ⊙ ε} (diagonal) or
   * {@code μ_k + L_k ε} (full) with {@code ε ~ N(0, I)}, all from the engine's (seeded) random stream.
   *
   * @return shape {@code (count, D)}, float32, on {@code manager}
   */
  @Override
  public NDArray sample(int count, NDManager manager) {
    requireFitted();
    if (count < 0) {
      throw new IllegalArgumentException("sample count must be at least 0, got " + count);
    }
    return MixtureSampler.sample(fitted, count, chunkRows(spec, dimension), manager);
  }

  // ---------------------------------------------------------------------------------------------------
  // Accessors (host copies)

  /** @return the mixing weights {@code w (K)}, summing to 1. */
  public double[] weights() {
    requireFitted();
    return fitted.weights.clone();
  }

  /** @return the component means {@code μ (K × D)}. */
  public double[][] means() {
    requireFitted();
    return fitted.dataMeans();
  }

  /** @return the per-dimension variances {@code (K × D)}: the covariance diagonals. */
  public double[][] variances() {
    requireFitted();
    return fitted.diagonals();
  }

  /**
   * @return the covariance matrices {@code Σ (K × D × D)} (the floor included); diagonal ones are
   *     expanded to full matrices
   */
  public double[][][] covariances() {
    requireFitted();
    return fitted.covarianceMatrices();
  }

  /**
   * Imputes missing values by their exact conditional mean {@code E[x_m | x_o] = Σ_k r_k(x_o) E_k[x_m |
   * x_o]} with responsibilities {@code r_k ∝ w_k N(x_o; μ_ko, Σ_koo)} from the observed coordinates only.
   * Diagonal ({@link DiagonalConditionalMean}): {@code E_k[x_m | x_o] = μ_km}. Full ({@link
   * IncompleteRows#conditionalMeans}): {@code E_k[x_m | x_o] = μ_km + Σ_k,mo Σ_k,oo⁻¹ (x_o − μ_ko)}.
   *
   * <p>A position is missing when its mask entry is true or its value in {@code observed} is NaN; the
   * value there is never read. A row with nothing observed gets {@code Σ_k w_k μ_k}.
   */
  @Override
  public float[] conditionalMean(float[] observed, boolean[] missing, int items) {
    requireFitted();
    int d = dimension;
    boolean[] unknown = io.vi4j.api.data.IncompleteData.unknownCells(observed, missing, items, d);
    if (spec.covariance() == Covariance.DIAGONAL) {
      return DiagonalConditionalMean.impute(weights(), means(), variances(), observed, unknown, items);
    }
    double[] shifted = new double[observed.length];
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] = unknown[i] ? Double.NaN : observed[i] - fitted.shift[i % d];
    }
    double[] filled = new IncompleteRows(shifted, items, d).conditionalMeans(fitted);
    float[] out = observed.clone();
    for (int i = 0; i < out.length; i++) {
      if (unknown[i]) {
        out[i] = (float) (filled[i] + fitted.shift[i % d]);
      }
    }
    return out;
  }

  private void requireFitted() {
    if (fitted == null) {
      throw new IllegalStateException("the gmm has not been fitted; call fit(train, manager, seed) first");
    }
  }

  private void checkColumns(int columns) {
    if (dimension != 0 && columns != dimension) {
      throw new IllegalArgumentException(
          "the gmm was built for items of dimension " + dimension + ", got " + columns);
    }
  }
}
