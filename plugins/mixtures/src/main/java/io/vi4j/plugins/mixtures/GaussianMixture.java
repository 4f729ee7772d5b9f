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
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.plugins.mixtures.GaussianMixtureSpec.Covariance;
import org.apache.commons.math3.exception.MathIllegalStateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * A Gaussian mixture {@code p(x) = Σ_k w_k N(x; μ_k, Σ_k)} with {@code K} components and diagonal or full
 * covariances, fitted by EM (Dempster, Laird &amp; Rubin 1977).
 *
 * <p><b>Fit.</b> The training items go to the device once, as a {@code (N, D)} float64 array shifted by
 * the training mean (the shift only conditions the second moments; the model is the same), which for
 * 60000 × 784 items is 376 MB for the length of the fit. Every computation is in float64, so that the
 * sums over many items and the differences of second moments keep their precision. Each restart seeds its centres by k-means++ (Arthur &amp;
 * Vassilvitskii 2007) on a subsample of at most {@value #INIT_SUBSAMPLE} items, refines them with up to
 * {@value #LLOYD_ITERATIONS} Lloyd iterations on that subsample, and takes its first parameters from an
 * M-step over the hard nearest-centre assignment of all items. An EM iteration is then one M-step
 * (host, from the running sums) followed by one pass over the data that gives both the mean
 * log-likelihood of the new parameters (the {@link FitReport#trace()} entry) and the sums for the next
 * M-step. A pass works in chunks of at most {@code batch_size} items, each in its own sub-manager: the
 * chunk's {@code (B, K)} log joint {@code log w_k + log N(x_i; μ_k, Σ_k)}, its log-sum-exp {@code (B)}
 * and responsibilities {@code r (B, K)}, and the statistics {@code N_k = Σ_i r_ik (K)}, {@code Σ_i r_ik
 * x_i (K, D)} and {@code Σ_i r_ik x_i²  (K, D)} (diagonal) or {@code Σ_i r_ik x_i x_iᵀ (K, D, D)} (full),
 * added in place to running sums. Full covariances use chunks small enough that the {@code (K, B, D)}
 * temporaries stay under {@value #MAX_TEMPORARY_ELEMENTS} elements. A run stops when an iteration raises
 * the mean log-likelihood by less than {@code tolerance}; the restart with the best final mean
 * log-likelihood is kept. All random choices of a fit come from a {@link SplittableRandom} seeded by the
 * fit's seed, so a fit is repeatable and does not touch the engine's random stream.
 *
 * <p><b>M-step.</b> {@code w_k = N_k / N}, {@code μ_k = Σ r x / N_k}, {@code σ²_k = max(Σ r x² / N_k −
 * μ_k², floor)} (diagonal) or {@code Σ_k = S_k} with every eigenvalue of {@code S_k = Σ r x xᵀ / N_k −
 * μ_k μ_kᵀ} below {@code floor} raised to it (full), {@code floor = covariance_floor}. The floor keeps
 * every covariance positive definite (a component on one repeated point, a constant pixel), and as a
 * lower bound rather than an added constant it makes each M-step the exact maximizer over the
 * constrained set {@code Σ ⪰ floor·I}, so that EM still never lowers the training log-likelihood (an
 * added floor did lower it near convergence on Fashion-MNIST, where many pixels are constant within a
 * component). The full form checks {@code S_k − floor·I} by a Cholesky factorization first and
 * eigendecomposes {@code S_k} on the host (commons-math3) only when that fails. A component that
 * receives no responsibility at all ({@code N_k < 1e-12}) keeps its previous mean and covariance and
 * gets weight {@code N_k / N}.
 *
 * <p><b>Densities.</b> Diagonal: the Mahalanobis terms of all components come from two matrix products,
 * {@code x² · (−½/σ²)ᵀ + x · (μ/σ²)ᵀ + c}. Full: DJL has no Cholesky, so each {@code Σ_k = L_k L_kᵀ} is
 * factored on the host (commons-math3), giving {@code log|Σ_k| = 2 Σ log L_k,jj} and {@code A_k =
 * L_k⁻¹}; the device computes {@code ‖A_k (x − μ_k)‖²} for all components at once as one product of
 * {@code x (B, D)} with the {@code (D, K·D)} matrix of stacked {@code A_kᵀ}. {@link #logLikelihood}
 * returns float64 nats; {@link #sample} returns float32.
 *
 * <p>Parameters after a fit live on the manager passed to {@link #fit}, and host copies back the
 * accessors ({@link #weights()}, {@link #means()}, {@link #covariances()}).
 */
public final class GaussianMixture implements BaselineModel, io.vi4j.api.density.ConditionalImputer {

  /** Items the k-means++ initialization looks at, at most. */
  public static final int INIT_SUBSAMPLE = 10_000;

  /** Lloyd iterations after k-means++ seeding, at most. */
  public static final int LLOYD_ITERATIONS = 10;

  /** The largest {@code (K, B, D)} temporary a full-covariance chunk may form. */
  public static final long MAX_TEMPORARY_ELEMENTS = 1L << 24;

  /** Responsibility mass below which a component counts as empty in an M-step. */
  private static final double EMPTY_COMPONENT = 1e-12;

  private static final double LOG_2PI = NdMath.LOG_2PI;

  private final GaussianMixtureSpec spec;
  private final int components;
  private final boolean full;
  private int dimension;

  private Params fitted;
  private DeviceTerms fittedTerms;

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
              java.util.Arrays.copyOfRange(data.values(), start * dimension, end * dimension);
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

    Run best = null;
    SplittableRandom seeds = new SplittableRandom(seed);
    try (NDManager scope = manager.newSubManager()) {
      NDArray shiftArray = scope.create(shift);
      NDArray data = centred(scope.create(values, new Shape(n, d)), shiftArray);
      for (int restart = 0; restart < spec.restarts(); restart++) {
        Run run =
            runEm(data, shiftArray, train, shift, globalVariance, new SplittableRandom(seeds.nextLong()),
                scope);
        if (best == null || better(run.logLikelihood, best.logLikelihood)) {
          best = run;
        }
      }
    }
    if (fittedTerms != null) {
      fittedTerms.close();
    }
    this.dimension = d;
    this.fitted = best.params;
    this.fittedTerms = new DeviceTerms(best.params, manager);
    return new FitReport(best.iterations, best.converged, best.logLikelihood, best.trace);
  }

  private static boolean better(double candidate, double incumbent) {
    return !Double.isNaN(candidate) && (Double.isNaN(incumbent) || candidate > incumbent);
  }

  /** One EM run from one k-means++ initialization. */
  private Run runEm(
      NDArray data,
      NDArray shiftArray,
      Dataset train,
      double[] shift,
      double[] globalVariance,
      SplittableRandom random,
      NDManager scope) {
    int n = train.rows();
    int d = train.columns();
    double[][] centres = initialCentres(data, shiftArray, train, shift, random, scope);

    // First parameters: an M-step over the hard nearest-centre assignment of every item.
    Params seed = Params.spherical(centres, globalVariance, shift, full);
    Stats stats;
    try (NDManager init = scope.newSubManager()) {
      stats = pass(data, n, new DeviceTerms(centres, init), false, true, init);
    }
    Params params = mStep(stats, seed, n, d, shift);

    stats = pass(data, n, null, true, true, scope, params);
    double previous = stats.logLikelihood / n;
    List<Double> trace = new ArrayList<>();
    boolean converged = false;
    int iterations = 0;
    for (int iteration = 1; iteration <= spec.maxIterations(); iteration++) {
      Params next = mStep(stats, params, n, d, shift);
      Stats nextStats = pass(data, n, null, true, true, scope, next);
      double current = nextStats.logLikelihood / n;
      iterations = iteration;
      params = next;
      stats = nextStats;
      trace.add(current);
      if (Double.isNaN(current)) {
        break;
      }
      if (current - previous < spec.tolerance()) {
        converged = true;
        break;
      }
      previous = current;
    }
    double last = trace.isEmpty() ? previous : trace.get(trace.size() - 1);
    return new Run(params, trace, iterations, converged, last);
  }

  private record Run(
      Params params, List<Double> trace, int iterations, boolean converged, double logLikelihood) {}

  /**
   * k-means++ seeding on a subsample (host), then Lloyd iterations on that subsample (device).
   *
   * @return {@code K × D} centres, shifted coordinates
   */
  private double[][] initialCentres(
      NDArray data,
      NDArray shiftArray,
      Dataset train,
      double[] shift,
      SplittableRandom random,
      NDManager scope) {
    int n = train.rows();
    int d = train.columns();
    int m = Math.min(n, INIT_SUBSAMPLE);
    // A uniform subsample without replacement: a partial Fisher–Yates shuffle.
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double[][] points = new double[m][d];
    float[] values = train.values();
    for (int i = 0; i < m; i++) {
      int base = order[i] * d;
      for (int j = 0; j < d; j++) {
        points[i][j] = values[base + j] - shift[j];
      }
    }

    double[][] centres = kMeansPlusPlus(points, components, random);

    float[] subsample = new float[m * d];
    for (int i = 0; i < m; i++) {
      System.arraycopy(values, order[i] * d, subsample, i * d, d);
    }
    try (NDManager lloyd = scope.newSubManager()) {
      NDArray sub = centred(lloyd.create(subsample, new Shape(m, d)), shiftArray);
      for (int iteration = 0; iteration < LLOYD_ITERATIONS; iteration++) {
        Stats stats = pass(sub, m, new DeviceTerms(centres, lloyd), false, false, lloyd);
        double moved = 0;
        for (int k = 0; k < components; k++) {
          if (stats.counts[k] < EMPTY_COMPONENT) {
            continue;
          }
          for (int j = 0; j < d; j++) {
            double c = stats.sums[k * d + j] / stats.counts[k];
            moved = Math.max(moved, Math.abs(c - centres[k][j]));
            centres[k][j] = c;
          }
        }
        if (moved == 0) {
          break;
        }
      }
    }
    return centres;
  }

  /**
   * k-means++ seeding (Arthur &amp; Vassilvitskii 2007): the first centre uniformly, each next one with
   * probability proportional to the squared distance to the nearest centre so far (uniformly when every
   * point already coincides with a centre).
   */
  static double[][] kMeansPlusPlus(double[][] points, int k, SplittableRandom random) {
    int m = points.length;
    int d = points[0].length;
    double[][] centres = new double[k][];
    centres[0] = points[random.nextInt(m)].clone();
    double[] nearest = new double[m];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int c = 1; c < k; c++) {
      double[] last = centres[c - 1];
      double total = 0;
      for (int i = 0; i < m; i++) {
        double s = 0;
        double[] p = points[i];
        for (int j = 0; j < d; j++) {
          double diff = p[j] - last[j];
          s += diff * diff;
        }
        if (s < nearest[i]) {
          nearest[i] = s;
        }
        total += nearest[i];
      }
      int pick;
      if (!(total > 0)) {
        pick = random.nextInt(m);
      } else {
        double u = random.nextDouble() * total;
        pick = m - 1;
        double acc = 0;
        for (int i = 0; i < m; i++) {
          acc += nearest[i];
          if (acc > u && nearest[i] > 0) {
            pick = i;
            break;
          }
        }
      }
      centres[c] = points[pick].clone();
    }
    return centres;
  }

  /** The running sums of one pass over the data, copied to the host. */
  private record Stats(
      double[] counts, double[] sums, double[] squares, double logLikelihood) {}

  private Stats pass(
      NDArray data,
      int rows,
      DeviceTerms hardTerms,
      boolean soft,
      boolean secondMoments,
      NDManager scope) {
    return pass(data, rows, hardTerms, soft, secondMoments, scope, null);
  }

  /**
   * One pass over {@code data (rows, D)}: soft responsibilities under {@code params} (E-step) or hard
   * nearest-centre assignments under {@code hardTerms}, summed into the statistics.
   */
  private Stats pass(
      NDArray data,
      int rows,
      DeviceTerms hardTerms,
      boolean soft,
      boolean secondMoments,
      NDManager scope,
      Params params) {
    int k = components;
    int d = (int) data.getShape().get(1);
    int chunk = chunkRows(d);
    try (NDManager iteration = scope.newSubManager()) {
      DeviceTerms terms = soft ? new DeviceTerms(params, iteration) : hardTerms;
      NDArray counts = iteration.zeros(new Shape(k), DataType.FLOAT64);
      NDArray sums = iteration.zeros(new Shape(k, d), DataType.FLOAT64);
      NDArray squares =
          secondMoments
              ? iteration.zeros(full ? new Shape(k, d, d) : new Shape(k, d), DataType.FLOAT64)
              : null;
      NDArray logLik = iteration.zeros(new Shape(1), DataType.FLOAT64);
      for (int start = 0; start < rows; start += chunk) {
        int end = Math.min(rows, start + chunk);
        try (NDManager step = iteration.newSubManager()) {
          NDArray x = data.get(step, new NDIndex(start + ":" + end));
          NDArray squared = !full && (secondMoments || soft) ? x.square() : null;
          NDArray scores = terms.logJoint(x, squared);
          NDArray r;
          if (soft) {
            NDArray lse = NdMath.logSumExp(scores, 1);
            logLik.addi(lse.sum());
            r = scores.sub(lse.expandDims(1)).exp();
          } else {
            r = scores.argMax(1).oneHot(k, DataType.FLOAT64);
          }
          counts.addi(r.sum(new int[] {0}));
          NDArray rt = r.transpose();
          sums.addi(rt.matMul(x));
          if (secondMoments) {
            if (full) {
              // (K, B, D) weighted items, then (K, D, B) · (B, D) → (K, D, D)
              NDArray weighted = rt.expandDims(2).mul(x.expandDims(0));
              squares.addi(weighted.transpose(0, 2, 1).matMul(x));
            } else {
              squares.addi(rt.matMul(squared));
            }
          }
        }
      }
      return new Stats(
          counts.toDoubleArray(),
          sums.toDoubleArray(),
          secondMoments ? squares.toDoubleArray() : null,
          soft ? logLik.getDouble(0) : Double.NaN);
    }
  }

  /** @return {@code items − shift} in float64, on {@code items}' manager; closes {@code items}. */
  private static NDArray centred(NDArray items, NDArray shift) {
    NDArray wide = items.toType(DataType.FLOAT64, false);
    items.close();
    return wide.subi(shift);
  }

  /** Items per chunk: {@code batch_size}, fewer for full covariances so that temporaries stay bounded. */
  private int chunkRows(int d) {
    int rows = spec.batchSize();
    if (full) {
      long cap = Math.max(1, MAX_TEMPORARY_ELEMENTS / ((long) components * d));
      rows = (int) Math.min(rows, cap);
    }
    return rows;
  }

  /** The M-step on the host; empty components keep {@code previous}'s mean and covariance. */
  private Params mStep(Stats stats, Params previous, int n, int d, double[] shift) {
    int k = components;
    double floor = spec.covarianceFloor();
    double[] weights = new double[k];
    double[][] means = new double[k][];
    double[][] variances = full ? null : new double[k][];
    double[][][] covariances = full ? new double[k][][] : null;
    for (int c = 0; c < k; c++) {
      double nk = stats.counts[c];
      weights[c] = Math.max(0, nk) / n;
      if (nk < EMPTY_COMPONENT) {
        means[c] = previous.means[c].clone();
        if (full) {
          covariances[c] = deepCopy(previous.covariances[c]);
        } else {
          variances[c] = previous.variances[c].clone();
        }
        continue;
      }
      double[] mean = new double[d];
      for (int j = 0; j < d; j++) {
        mean[j] = stats.sums[c * d + j] / nk;
      }
      means[c] = mean;
      if (full) {
        double[][] cov = new double[d][d];
        int base = c * d * d;
        for (int i = 0; i < d; i++) {
          for (int j = 0; j <= i; j++) {
            double s =
                0.5 * (stats.squares[base + i * d + j] + stats.squares[base + j * d + i]) / nk
                    - mean[i] * mean[j];
            cov[i][j] = s;
            cov[j][i] = s;
          }
        }
        cov = floorEigenvalues(cov, floor);
        covariances[c] = cov;
      } else {
        double[] var = new double[d];
        for (int j = 0; j < d; j++) {
          var[j] = Math.max(stats.squares[c * d + j] / nk - mean[j] * mean[j], floor);
        }
        variances[c] = var;
      }
    }
    return new Params(weights, means, variances, covariances, shift, floor);
  }

  /**
   * The nearest matrix to a symmetric {@code s} with every eigenvalue at least {@code floor}: {@code V
   * max(Λ, floor) Vᵀ}, which is also the maximizer of the M-step's expected log-likelihood over {@code
   * Σ ⪰ floor·I}. When a Cholesky factorization of {@code s − floor·I} succeeds, {@code s} already
   * qualifies and is returned as it is, without an eigendecomposition.
   */
  static double[][] floorEigenvalues(double[][] s, double floor) {
    int d = s.length;
    double[][] shifted = deepCopy(s);
    for (int j = 0; j < d; j++) {
      shifted[j][j] -= floor;
    }
    try {
      new CholeskyDecomposition(
          new Array2DRowRealMatrix(shifted, false),
          CholeskyDecomposition.DEFAULT_RELATIVE_SYMMETRY_THRESHOLD,
          0);
      return s;
    } catch (NonPositiveDefiniteMatrixException e) {
      // some eigenvalue is below the floor: clip the spectrum
    }
    double[] lambda;
    double[][] v;
    try {
      EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(s, false));
      lambda = eigen.getRealEigenvalues();
      v = eigen.getV().getData();
    } catch (MathIllegalStateException notConverged) {
      // commons-math3's QL iteration can fail to converge on many (near-)zero eigenvalues, as the
      // covariance of a component with constant pixels has. The SVD of the symmetric s gives the same
      // spectrum up to signs: s = U Σ Vᵀ with u_i = ±v_i, the sign that of the eigenvalue.
      SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(s, false));
      double[] sigma = svd.getSingularValues();
      double[][] u = svd.getU().getData();
      v = svd.getV().getData();
      lambda = new double[d];
      for (int e = 0; e < d; e++) {
        double dot = 0;
        for (int i = 0; i < d; i++) {
          dot += u[i][e] * v[i][e];
        }
        lambda[e] = dot < 0 ? -sigma[e] : sigma[e];
      }
    }
    double[][] out = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = 0;
        for (int e = 0; e < d; e++) {
          sum += v[i][e] * Math.max(lambda[e], floor) * v[j][e];
        }
        out[i][j] = sum;
        out[j][i] = sum;
      }
    }
    return out;
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] b = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i].clone();
    }
    return b;
  }

  // ---------------------------------------------------------------------------------------------------
  // Density and sampling

  /**
   * Exact {@code log p(x) = log Σ_k w_k N(x; μ_k, Σ_k)}.
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
    int chunk = chunkRows(dimension);
    try (NDManager scope = owner.newSubManager()) {
      NDList parts = new NDList();
      for (int start = 0; start == 0 || start < rows; start += chunk) {
        int end = Math.min(rows, start + chunk);
        NDArray x =
            data.get(scope, new NDIndex(start + ":" + end))
                .toType(DataType.FLOAT64, false)
                .sub(fittedTerms.shift);
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
    int k = components;
    int d = dimension;
    Params p = fitted;
    if (count == 0) {
      return manager.zeros(new Shape(0, d), DataType.FLOAT32);
    }
    try (NDManager scope = manager.newSubManager()) {
      double[] logWeights = new double[k];
      for (int c = 0; c < k; c++) {
        logWeights[c] = p.weights[c] > 0 ? Math.log(p.weights[c]) : Double.NEGATIVE_INFINITY;
      }
      double[] meanFlat = new double[k * d];
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          meanFlat[c * d + j] = p.means[c][j] + p.shift[j];
        }
      }
      NDArray logW = scope.create(logWeights);
      NDArray means = scope.create(meanFlat, new Shape(k, d));
      NDArray scale; // diagonal: σ (K, D); full: stacked L_kᵀ (D, K·D)
      if (full) {
        double[] lt = new double[d * k * d];
        for (int c = 0; c < k; c++) {
          double[][] l = p.cholesky[c];
          for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
              lt[i * k * d + c * d + j] = l[j][i];
            }
          }
        }
        scale = scope.create(lt, new Shape(d, (long) k * d));
      } else {
        double[] sd = new double[k * d];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            sd[c * d + j] = Math.sqrt(p.variances[c][j]);
          }
        }
        scale = scope.create(sd, new Shape(k, d));
      }
      NDList parts = new NDList();
      int chunk = chunkRows(d);
      for (int start = 0; start < count; start += chunk) {
        int b = Math.min(count, start + chunk) - start;
        NDArray u = scope.randomUniform(Float.MIN_NORMAL, 1f, new Shape(b, k), DataType.FLOAT64);
        NDArray gumbel = u.log().neg().log().neg();
        NDArray onehot = gumbel.add(logW).argMax(1).oneHot(k, DataType.FLOAT64); // (b, K)
        NDArray eps = scope.randomNormal(0f, 1f, new Shape(b, d), DataType.FLOAT64);
        NDArray x;
        if (full) {
          NDArray all = eps.matMul(scale).reshape(b, k, d); // L_k ε for every k
          x = all.mul(onehot.expandDims(2)).sum(new int[] {1}).add(onehot.matMul(means));
        } else {
          x = onehot.matMul(scale).mul(eps).add(onehot.matMul(means));
        }
        parts.add(x);
      }
      NDArray out =
          (parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0)).toType(DataType.FLOAT32, false);
      out.attach(manager);
      return out;
    }
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
    double[][] out = new double[components][dimension];
    for (int c = 0; c < components; c++) {
      for (int j = 0; j < dimension; j++) {
        out[c][j] = fitted.means[c][j] + fitted.shift[j];
      }
    }
    return out;
  }

  /** @return the per-dimension variances {@code (K × D)}: the covariance diagonals. */
  public double[][] variances() {
    requireFitted();
    double[][] out = new double[components][dimension];
    for (int c = 0; c < components; c++) {
      for (int j = 0; j < dimension; j++) {
        out[c][j] = full ? fitted.covariances[c][j][j] : fitted.variances[c][j];
      }
    }
    return out;
  }

  /**
   * @return the covariance matrices {@code Σ (K × D × D)} (the floor included); diagonal ones are
   *     expanded to full matrices
   */
  public double[][][] covariances() {
    requireFitted();
    double[][][] out = new double[components][][];
    for (int c = 0; c < components; c++) {
      if (full) {
        out[c] = deepCopy(fitted.covariances[c]);
      } else {
        out[c] = new double[dimension][dimension];
        for (int j = 0; j < dimension; j++) {
          out[c][j][j] = fitted.variances[c][j];
        }
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

  // ---------------------------------------------------------------------------------------------------
  // Parameters

  /** Host parameters in shifted coordinates, with the Cholesky factors of full covariances. */
  private static final class Params {
    final double[] weights;
    final double[][] means;
    final double[][] variances;
    final double[][][] covariances;
    final double[] shift;
    /** Full only: {@code L_k} and {@code L_k⁻¹} (lower triangular) and {@code Σ_j log L_k,jj}. */
    final double[][][] cholesky;
    final double[][][] inverseCholesky;
    final double[] halfLogDet;

    Params(
        double[] weights,
        double[][] means,
        double[][] variances,
        double[][][] covariances,
        double[] shift,
        double floor) {
      this.weights = weights;
      this.means = means;
      this.variances = variances;
      this.covariances = covariances;
      this.shift = shift;
      if (covariances == null) {
        cholesky = null;
        inverseCholesky = null;
        halfLogDet = null;
      } else {
        int k = covariances.length;
        cholesky = new double[k][][];
        inverseCholesky = new double[k][][];
        halfLogDet = new double[k];
        for (int c = 0; c < k; c++) {
          double[][] l = cholesky(covariances[c], floor);
          cholesky[c] = l;
          inverseCholesky[c] = invertLower(l);
          double h = 0;
          for (int j = 0; j < l.length; j++) {
            h += Math.log(l[j][j]);
          }
          halfLogDet[c] = h;
        }
      }
    }

    /** Spherical-start parameters: the given centres, the global variances, uniform weights. */
    static Params spherical(double[][] centres, double[] variance, double[] shift, boolean full) {
      int k = centres.length;
      int d = variance.length;
      double[] weights = new double[k];
      java.util.Arrays.fill(weights, 1.0 / k);
      if (full) {
        double[][][] cov = new double[k][d][d];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            cov[c][j][j] = variance[j];
          }
        }
        return new Params(weights, deepCopy(centres), null, cov, shift, 1e-300);
      }
      double[][] var = new double[k][];
      for (int c = 0; c < k; c++) {
        var[c] = variance.clone();
      }
      return new Params(weights, deepCopy(centres), var, null, shift, 1e-300);
    }
  }

  /**
   * The Cholesky factor of a symmetric positive definite matrix (commons-math3); if rounding makes it
   * fail, the diagonal is raised by growing multiples of the floor until it succeeds.
   */
  static double[][] cholesky(double[][] sigma, double floor) {
    double jitter = 0;
    double step = Math.max(floor, 1e-10);
    for (int attempt = 0; ; attempt++) {
      double[][] a = deepCopy(sigma);
      for (int j = 0; j < a.length; j++) {
        a[j][j] += jitter;
      }
      try {
        return new CholeskyDecomposition(
                new Array2DRowRealMatrix(a, false),
                CholeskyDecomposition.DEFAULT_RELATIVE_SYMMETRY_THRESHOLD,
                0)
            .getL()
            .getData();
      } catch (NonPositiveDefiniteMatrixException e) {
        if (attempt >= 30) {
          throw new IllegalStateException("a gmm covariance is not positive definite even with jitter", e);
        }
        jitter = jitter == 0 ? step : jitter * 10;
      }
    }
  }

  /** {@code L⁻¹} of a lower-triangular {@code L} with a positive diagonal, by forward substitution. */
  static double[][] invertLower(double[][] l) {
    int d = l.length;
    double[][] inv = new double[d][d];
    for (int col = 0; col < d; col++) {
      inv[col][col] = 1.0 / l[col][col];
      for (int i = col + 1; i < d; i++) {
        double s = 0;
        double[] li = l[i];
        for (int j = col; j < i; j++) {
          s += li[j] * inv[j][col];
        }
        inv[i][col] = -s / li[i];
      }
    }
    return inv;
  }

  /**
   * What the device needs to form the {@code (B, K)} log joint of shifted items: for the diagonal form
   * {@code −½/σ² (D, K)}, {@code μ/σ² (D, K)} and a constant {@code (K)}; for the full form the stacked
   * {@code L_k⁻ᵀ (D, K·D)}, {@code L_k⁻¹ μ_k (K·D)} and a constant; for hard assignments the centres
   * {@code (D, K)} and {@code −½‖c_k‖² (K)} (the score is then {@code x·c − ½‖c‖²}, largest at the
   * nearest centre).
   */
  private final class DeviceTerms implements AutoCloseable {
    final NDManager manager;
    final NDArray shift;
    final NDArray quadratic; // diagonal (D, K); full (D, K·D); hard: null
    final NDArray linear; // diagonal (D, K); full (K·D); hard (D, K)
    final NDArray constant; // (K)
    final boolean fullForm;

    /** Soft terms of {@code p} on {@code manager}. */
    DeviceTerms(Params p, NDManager manager) {
      this.manager = manager;
      int k = components;
      int d = p.means[0].length;
      this.shift = manager.create(p.shift);
      double[] constant = new double[k];
      if (full) {
        fullForm = true;
        double[] w = new double[d * k * d];
        double[] b = new double[k * d];
        for (int c = 0; c < k; c++) {
          double[][] a = p.inverseCholesky[c];
          double[] mu = p.means[c];
          for (int j = 0; j < d; j++) {
            double[] aj = a[j];
            double s = 0;
            for (int i = 0; i <= j; i++) {
              w[i * k * d + c * d + j] = aj[i];
              s += aj[i] * mu[i];
            }
            b[c * d + j] = s;
          }
          constant[c] = logWeight(p.weights[c]) - 0.5 * d * LOG_2PI - p.halfLogDet[c];
        }
        quadratic = manager.create(w, new Shape(d, (long) k * d));
        linear = manager.create(b);
      } else {
        fullForm = false;
        double[] q = new double[d * k];
        double[] l = new double[d * k];
        for (int c = 0; c < k; c++) {
          double logDet = 0;
          double mahalanobisConst = 0;
          for (int j = 0; j < d; j++) {
            double v = p.variances[c][j];
            double mu = p.means[c][j];
            q[j * k + c] = -0.5 / v;
            l[j * k + c] = mu / v;
            logDet += Math.log(v);
            mahalanobisConst += mu * mu / v;
          }
          constant[c] = logWeight(p.weights[c]) - 0.5 * (d * LOG_2PI + logDet + mahalanobisConst);
        }
        quadratic = manager.create(q, new Shape(d, k));
        linear = manager.create(l, new Shape(d, k));
      }
      this.constant = manager.create(constant);
    }

    /** Hard-assignment terms for centres (shifted coordinates). */
    DeviceTerms(double[][] centres, NDManager manager) {
      this.manager = manager;
      this.fullForm = false;
      int k = centres.length;
      int d = centres[0].length;
      double[] l = new double[d * k];
      double[] constant = new double[k];
      for (int c = 0; c < k; c++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          l[j * k + c] = centres[c][j];
          s += centres[c][j] * centres[c][j];
        }
        constant[c] = -0.5 * s;
      }
      this.shift = null;
      this.quadratic = null;
      this.linear = manager.create(l, new Shape(d, k));
      this.constant = manager.create(constant);
    }

    /** @param x shifted items {@code (B, D)} float64 @return {@code (B, K)} on {@code x}'s manager */
    NDArray logJoint(NDArray x) {
      return logJoint(x, null);
    }

    /** The same, reusing {@code x²} when the caller has it (diagonal form). */
    NDArray logJoint(NDArray x, NDArray squared) {
      if (quadratic == null) {
        return x.matMul(linear).add(constant);
      }
      if (!fullForm) {
        NDArray x2 = squared == null ? x.square() : squared;
        return x2.matMul(quadratic).add(x.matMul(linear)).add(constant);
      }
      long b = x.getShape().get(0);
      int k = components;
      long d = x.getShape().get(1);
      return x.matMul(quadratic)
          .sub(linear)
          .square()
          .reshape(b, k, d)
          .sum(new int[] {2})
          .mul(-0.5)
          .add(constant);
    }

    @Override
    public void close() {
      for (NDArray a : new NDArray[] {shift, quadratic, linear, constant}) {
        if (a != null) {
          a.close();
        }
      }
    }
  }

  private static double logWeight(double w) {
    return Math.log(Math.max(w, 1e-300));
  }

  /**
   * Imputes missing values by their exact conditional mean, for diagonal covariances:
   * {@code E[x_m | x_o] = Σ_k r_k(x_o) μ_km} with responsibilities {@code r_k ∝ w_k Π_{j∈o} N(x_j; μ_kj, σ²_kj)}
   * computed from the observed coordinates only (within a component the coordinates are independent).
   *
   * @throws UnsupportedOperationException for full covariances (their conditional needs a solve per
   *     component and mask, not implemented)
   */
  @Override
  public float[] conditionalMean(float[] observed, boolean[] missing, int items) {
    if (spec.covariance() != GaussianMixtureSpec.Covariance.DIAGONAL) {
      throw new UnsupportedOperationException("imputation is implemented for diagonal-covariance mixtures only");
    }
    double[] w = weights();
    double[][] mu = means();
    double[][] var = variances();
    int k = w.length;
    int d = mu[0].length;
    if (observed.length != items * d || missing.length != items * d) {
      throw new IllegalArgumentException("expected " + items + " × " + d + " values and mask entries, got "
          + observed.length + " and " + missing.length);
    }
    float[] out = observed.clone();
    double[] logR = new double[k];
    for (int i = 0; i < items; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double lr = w[c] > 0 ? Math.log(w[c]) : Double.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) {
          if (!missing[i * d + j]) {
            double e = observed[i * d + j] - mu[c][j];
            lr -= 0.5 * (Math.log(2 * Math.PI * var[c][j]) + e * e / var[c][j]);
          }
        }
        logR[c] = lr;
        max = Math.max(max, lr);
      }
      double total = 0;
      for (int c = 0; c < k; c++) {
        logR[c] = Math.exp(logR[c] - max);
        total += logR[c];
      }
      for (int j = 0; j < d; j++) {
        if (missing[i * d + j]) {
          double value = 0;
          for (int c = 0; c < k; c++) {
            value += logR[c] / total * mu[c][j];
          }
          out[i * d + j] = (float) value;
        }
      }
    }
    return out;
  }
}
