package io.vi4j.plugins.linear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.BaselineModel;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import io.vi4j.api.kit.math.NdMath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Probabilistic PCA (Tipping &amp; Bishop 1999, "Probabilistic principal component analysis", JRSS B 61(3)):
 * {@code t ~ N(0, I_q)}, {@code x = W t + μ + ε}, {@code ε ~ N(0, σ² I_D)}, so that
 * {@code p(x) = N(μ, C)} with {@code C = W Wᵀ + σ² I_D}.
 *
 * <p><b>Fitting.</b> The mean μ is summed on the host and the sample covariance {@code S = (1/N) Σ
 * (x−μ)(x−μ)ᵀ} accumulated on the device, both in float64, block by block ({@link #sampleMoments}).
 * Then, on the host:
 *
 * <ul>
 *   <li>{@code closed-form}: the {@code q} leading eigenpairs {@code (Λ_q, U_q)} of {@code S}, {@code σ²}
 *       the mean of the {@code D − q} discarded eigenvalues, {@code (tr S − tr Λ_q)/(D − q)}, and {@code W =
 *       U_q (Λ_q − σ² I)^{1/2}} (the rotation {@code R = I}, so the columns of {@code W} are orthogonal).
 *       The pairs come from subspace iteration ({@link LeadingEigen}) when its block of {@code 2q + 20}
 *       vectors is at most half of {@code D}, else (or if it does not converge) from the full
 *       eigen-decomposition {@code S = U Λ Uᵀ} (commons-math3);
 *   <li>{@code em}: Tipping &amp; Bishop's EM in its sample-covariance form (their equations 29 and 30),
 *       with {@code M = WᵀW + σ²I}: {@code W ← S W (σ² I + M⁻¹ Wᵀ S W)⁻¹} and
 *       {@code σ² ← (1/D) tr(S − S W M⁻¹ W_newᵀ)}, each step {@code O(D²q)}; {@code W} starts from seeded
 *       Gaussian draws, so it ends at an arbitrary rotation of the closed form's.
 * </ul>
 *
 * <p>σ² is kept at least {@code variance_floor}.
 *
 * <p><b>Missing cells.</b> Training data with missing cells (NaN, {@link Dataset#hasMissing()}) are fitted,
 * whatever the method, by EM with missing values ({@link IncompletePpca}; Tipping &amp; Bishop 1999,
 * appendix; Ilin &amp; Raiko 2010, JMLR 11): it starts from the closed form on the mean-filled data and
 * stops on a relative change of the mean observed-data log-likelihood below {@code tolerance} or after
 * {@code max_iterations} (the report says which; its trace is the observed-data log-likelihood, which EM
 * never lowers). μ, {@code W} and σ² are then the maximum-likelihood ones ({@code W} up to a rotation), and
 * {@link #sampleCovariance()} is the expected sample covariance under the fit. A row with every cell
 * missing, or a column with no observed value, is refused. {@link #logLikelihood} scores a row with missing
 * cells by the marginal of its observed coordinates, {@link #posteriorMean} by {@code E[t | x_o]}, and
 * {@link #conditionalMean} reads a NaN as missing. Complete data keep the paths below unchanged.
 *
 * <p><b>Density.</b> Exact, with no {@code D × D} inverse: by the matrix determinant lemma
 * {@code log|C| = (D−q) log σ² + log|M|}, and by Woodbury {@code C⁻¹ = (I − W M⁻¹ Wᵀ)/σ²}, so with the
 * Cholesky factor {@code M = L Lᵀ} (host, {@code q × q}),
 * {@code (x−μ)ᵀ C⁻¹ (x−μ) = (‖x−μ‖² − ‖L⁻¹ Wᵀ (x−μ)‖²)/σ²}, computed on the device in float64.
 *
 * <p><b>Memory.</b> The fitted arrays live in a sub-manager of the manager given to {@link #fit}; a new fit
 * closes the previous one's. {@link #logLikelihood} and {@link #posterior} put their results on the
 * argument's manager and free their temporaries; {@link #sample} puts its result on the given manager.
 */
public final class Ppca
    implements BaselineModel, io.vi4j.api.density.ConditionalImputer, io.vi4j.api.density.LatentRepresentation {
  /** Rows per block of the sample-covariance pass are chosen so that a block holds about this many values. */
  static final long BLOCK_ELEMENTS = 1L << 20;

  private final PpcaSpec spec;

  private int dimension;
  private double[] mean;
  private double[][] weight;
  private double noiseVariance;
  private double[][] sampleCovariance;
  private double[] eigenvalues;
  private double[][] posteriorCovariance;
  private double logDetCovariance;

  private NDManager fitted;
  private NDArray meanNd;
  private NDArray weightTNd;
  private NDArray whitenNd;
  private NDArray posteriorNd;

  /** @param spec latent dimension, method and EM settings */
  public Ppca(PpcaSpec spec) {
    this.spec = java.util.Objects.requireNonNull(spec, "spec");
  }

  /** @return the configuration. */
  public PpcaSpec spec() {
    return spec;
  }

  /** @return {@code q}. */
  @Override
  public int latentDimension() {
    return spec.latentDim();
  }

  /** @return {@code D}, 0 before the first fit. */
  public int dimension() {
    return dimension;
  }

  @Override
  public DataKind dataKind() {
    return DataKind.CONTINUOUS;
  }

  /**
   * Fits μ, {@code W} and σ² by maximum likelihood.
   *
   * @param train {@code N × D} items, {@code D > q}
   * @param manager where the fitted arrays live, in a sub-manager of it
   * @param seed the EM initialization of {@code W}; neither the closed form nor a fit to data with missing
   *     cells (which starts from the closed form) uses it
   * @return for the closed form 0 iterations and an empty trace; for EM the mean training log-likelihood
   *     after each iteration
   */
  @Override
  public FitReport fit(Dataset train, NDManager manager, long seed) {
    int d = train.columns();
    int q = spec.latentDim();
    if (q >= d) {
      throw new IllegalArgumentException(
          "latent_dim must be below the data dimension " + d + ", got " + q);
    }
    if (train.rows() < 1) {
      throw new IllegalArgumentException(train.name() + ": no items to fit PPCA to");
    }
    if (train.hasMissing()) {
      return fitIncomplete(train, manager);
    }
    double[] mu = new double[d];
    double[][] s = sampleMoments(train, manager, mu);
    double[][] w;
    double sigma2;
    FitReport report;
    double[] eig = null;
    if (spec.method() == PpcaSpec.Method.CLOSED_FORM) {
      ClosedForm closed = closedForm(s, q, manager);
      w = closed.weight();
      sigma2 = closed.sigma2();
      eig = closed.eigenvalues();
      double ll = meanLogLikelihood(s, w, sigma2, HostMatrices.times(s, w));
      report = new FitReport(0, true, ll, List.of());
    } else {
      Random random = new Random(seed);
      double traceS = HostMatrices.trace(s);
      double scale = Math.sqrt(Math.max(traceS, spec.varianceFloor()) / ((double) d * q));
      w = new double[d][q];
      for (double[] row : w) {
        for (int k = 0; k < q; k++) {
          row[k] = random.nextGaussian() * scale;
        }
      }
      sigma2 = Math.max(spec.varianceFloor(), traceS / d);
      double[][] sw = HostMatrices.times(s, w);
      double ll = meanLogLikelihood(s, w, sigma2, sw);
      List<Double> trace = new ArrayList<>();
      boolean converged = false;
      int iterations = 0;
      while (iterations < spec.maxIterations()) {
        double[][] m = HostMatrices.addToDiagonal(HostMatrices.transposeTimes(w, w), sigma2);
        double[][] mInv = inverse(m);
        double[][] inner =
            HostMatrices.addToDiagonal(HostMatrices.times(mInv, HostMatrices.transposeTimes(w, sw)), sigma2);
        double[][] wNew = HostMatrices.times(sw, inverse(inner));
        // σ² = (1/D) tr(S − S W M⁻¹ W_newᵀ)
        double cross = HostMatrices.frobeniusInner(HostMatrices.times(sw, mInv), wNew);
        sigma2 = Math.max(spec.varianceFloor(), (traceS - cross) / d);
        w = wNew;
        sw = HostMatrices.times(s, w);
        double next = meanLogLikelihood(s, w, sigma2, sw);
        iterations++;
        trace.add(next);
        boolean done = Math.abs(next - ll) < spec.tolerance();
        ll = next;
        if (done) {
          converged = true;
          break;
        }
      }
      report = new FitReport(iterations, converged, ll, trace);
    }
    install(manager, mu, w, sigma2, s, eig);
    return report;
  }

  /**
   * The closed form from a sample covariance {@code S}.
   *
   * @param eigenvalues all {@code D} eigenvalues of {@code S} when the full decomposition ran, else null
   */
  private record ClosedForm(double[][] weight, double sigma2, double[] eigenvalues) {}

  private ClosedForm closedForm(double[][] s, int q, NDManager manager) {
    int d = s.length;
    double[] eig = null;
    // The q leading eigenpairs by subspace iteration when its block is small beside D; the full
    // decomposition otherwise, or when the iteration gives up.
    LeadingEigen.Result leading =
        2 * LeadingEigen.blockSize(d, q) <= d ? LeadingEigen.compute(s, q, manager) : null;
    double[] top = new double[q];
    double[][] vectors = new double[d][q];
    double discarded;
    if (leading != null) {
      discarded = HostMatrices.trace(s);
      for (int k = 0; k < q; k++) {
        top[k] = leading.values()[k];
        discarded -= top[k];
        for (int i = 0; i < d; i++) {
          vectors[i][k] = leading.vectors()[k][i];
        }
      }
    } else {
      eig = new double[d];
      double[][] all = sortedEigen(s, eig);
      discarded = 0;
      for (int i = q; i < d; i++) {
        discarded += eig[i];
      }
      for (int i = 0; i < d; i++) {
        System.arraycopy(all[i], 0, vectors[i], 0, q);
      }
      System.arraycopy(eig, 0, top, 0, q);
    }
    double sigma2 = Math.max(spec.varianceFloor(), discarded / (d - q));
    double[][] w = new double[d][q];
    for (int k = 0; k < q; k++) {
      double scale = Math.sqrt(Math.max(top[k] - sigma2, 0));
      for (int i = 0; i < d; i++) {
        w[i][k] = vectors[i][k] * scale;
      }
    }
    return new ClosedForm(w, sigma2, eig);
  }

  /**
   * Maximum likelihood on training data with missing cells, by EM with missing values ({@link
   * IncompletePpca}), for either method: it starts from the closed form on the mean-filled data (each
   * missing cell at its column's observed mean) and stops when the mean observed-data log-likelihood {@code
   * ℓ} changes by less than {@code tolerance · max(1, |ℓ|)} in one iteration (relative; absolute near 0), or
   * after {@code max_iterations} (defaults 200 and 1e-5 when the spec leaves them unset).
   */
  private FitReport fitIncomplete(Dataset train, NDManager manager) {
    io.vi4j.api.data.IncompleteData.check(train, "ppca");
    int n = train.rows();
    int d = train.columns();
    int q = spec.latentDim();
    float[] values = train.values();
    float[] filled = io.vi4j.api.data.IncompleteData.meanFilled(values, d);
    double[] mu = new double[d];
    double[][] s0 = sampleMoments(new Dataset(train.name() + " (mean-filled)", filled, n, d, null, null), manager, mu);
    ClosedForm start = closedForm(s0, q, manager);
    int maxIterations = spec.maxIterations() != null ? spec.maxIterations() : PpcaSpec.DEFAULT_MAX_ITERATIONS;
    double tolerance = spec.tolerance() != null ? spec.tolerance() : PpcaSpec.DEFAULT_TOLERANCE;

    IncompletePpca rows = new IncompletePpca(IncompletePpca.widen(values), n, d);
    IncompletePpca.Parameters params = new IncompletePpca.Parameters(mu, start.weight(), start.sigma2());
    IncompletePpca.Pass pass = rows.expectation(params);
    double ll = pass.logLikelihood / n;
    List<Double> trace = new ArrayList<>();
    boolean converged = false;
    int iterations = 0;
    try (io.vi4j.api.kit.progress.Progress.Stage progress =
        io.vi4j.api.kit.progress.Progress.stage("PPCA EM with missing values", maxIterations, "iterations")) {
      while (iterations < maxIterations) {
        params = IncompletePpca.maximize(pass, d, q, spec.varianceFloor());
        pass = rows.expectation(params);
        double next = pass.logLikelihood / n;
        iterations++;
        trace.add(next);
        progress.stepTo(iterations);
        boolean done = Math.abs(next - ll) < tolerance * Math.max(1, Math.abs(ll));
        ll = next;
        if (done) {
          converged = true;
          break;
        }
      }
    }
    install(manager, params.mean(), params.weight(), params.sigma2(), rows.expectedCovariance(params), null);
    return new FitReport(iterations, converged, ll, trace);
  }

  /**
   * {@code log N(x; μ, W Wᵀ + σ² I)}, exact. A batch with missing cells (NaN) is scored on the host, each
   * row by the marginal of its observed coordinates, {@code log N(x_o; μ_o, W_o W_oᵀ + σ² I)} (0 for a row
   * with nothing observed; {@link IncompletePpca}).
   *
   * @param data shape {@code (B, D)}, any floating type
   * @return shape {@code (B)}, float64, nats, on {@code data}'s manager
   */
  @Override
  public NDArray logLikelihood(NDArray data) {
    requireFitted();
    requireBatch(data);
    if (hasMissing(data)) {
      double[] ll = new IncompletePpca(hostValues(data),
          (int) data.getShape().get(0), dimension).logDensities(parameters());
      return data.getManager().create(ll);
    }
    return NdMath.inFloat64(data, x -> {
      NDArray centred = x.sub(meanNd);
      NDArray total = centred.square().sum(new int[] {1});
      NDArray explained = centred.matMul(whitenNd).square().sum(new int[] {1});
      return total.sub(explained)
          .div(noiseVariance)
          .add(dimension * NdMath.LOG_2PI + logDetCovariance)
          .mul(-0.5);
    });
  }

  /**
   * The posterior over the latent point (Bishop, PRML section 12.2.1):
   * {@code p(t | x) = N(M⁻¹ Wᵀ (x − μ), σ² M⁻¹)}, with one covariance shared by every item. With the
   * closed form's {@code W} (orthogonal columns) the covariance is diagonal; after EM it is in general not.
   *
   * @param data shape {@code (B, D)}
   * @return the means, shape {@code (B, q)}, float64 on {@code data}'s manager, and the shared covariance
   */
  @Override
  public NDArray posteriorMean(NDArray data) {
    return posterior(data).mean();
  }

  public Posterior posterior(NDArray data) {
    requireFitted();
    requireBatch(data);
    if (hasMissing(data)) {
      // E[t | x_o] per row; the covariance σ² M_o⁻¹ then depends on the row, so the complete-data one is given.
      int rows = (int) data.getShape().get(0);
      double[][] means = new IncompletePpca(hostValues(data), rows, dimension)
          .posteriorMeans(parameters());
      return new Posterior(data.getManager().create(HostMatrices.flatten(means), new Shape(rows, spec.latentDim())),
          HostMatrices.copy(posteriorCovariance));
    }
    NDArray means = NdMath.inFloat64(data, x -> x.sub(meanNd).matMul(posteriorNd));
    return new Posterior(means, HostMatrices.copy(posteriorCovariance));
  }

  /**
   * Draws {@code t ~ N(0, I_q)}, {@code ε ~ N(0, I_D)} from the engine's random stream and returns
   * {@code x = W t + μ + σ ε}.
   *
   * @return shape {@code (count, D)}, float32, on {@code manager}
   */
  @Override
  public NDArray sample(int count, NDManager manager) {
    requireFitted();
    if (count < 0) {
      throw new IllegalArgumentException("count must be at least 0, got " + count);
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray latent = scratch.randomNormal(new Shape(count, spec.latentDim())).toType(DataType.FLOAT64, false);
      NDArray noise = scratch.randomNormal(new Shape(count, dimension)).toType(DataType.FLOAT64, false);
      NDArray x = latent.matMul(weightTNd)
          .add(meanNd)
          .add(noise.mul(Math.sqrt(noiseVariance)))
          .toType(DataType.FLOAT32, false);
      x.attach(manager);
      return x;
    }
  }

  /** @return {@code D·q + 1 + D − q(q−1)/2}: {@code W} up to a rotation, σ² and μ. */
  @Override
  public long parameterCount() {
    requireFitted();
    long d = dimension;
    long q = spec.latentDim();
    return d * q + 1 + d - q * (q - 1) / 2;
  }

  /** @return a copy of {@code W}, {@code D × q}. */
  public double[][] weight() {
    requireFitted();
    return HostMatrices.copy(weight);
  }

  /** @return a copy of μ, length {@code D}. */
  public double[] mean() {
    requireFitted();
    return mean.clone();
  }

  /** @return σ². */
  public double noiseVariance() {
    requireFitted();
    return noiseVariance;
  }

  /** @return {@code log|W Wᵀ + σ² I|}. */
  public double logDeterminant() {
    requireFitted();
    return logDetCovariance;
  }

  /**
   * @return a copy of the sample covariance {@code S} (divided by {@code N}), {@code D × D}; after a fit to
   *     data with missing cells, its expectation under the fitted model given the observed cells
   */
  public double[][] sampleCovariance() {
    requireFitted();
    return HostMatrices.copy(sampleCovariance);
  }

  /**
   * @return the {@code D} eigenvalues of the sample covariance, largest first (unless the fit decomposed
   *     {@code S} fully, they are computed on the first call, {@code O(D³)} on the host)
   */
  public double[] eigenvalues() {
    requireFitted();
    if (eigenvalues == null) {
      double[] eig = new double[dimension];
      sortedEigen(sampleCovariance, eig);
      eigenvalues = eig;
    }
    return eigenvalues.clone();
  }

  /**
   * The posterior of the latent point given a batch of items.
   *
   * @param mean {@code M⁻¹ Wᵀ (x − μ)}, shape {@code (B, q)}, float64
   * @param covariance {@code σ² M⁻¹}, {@code q × q}, shared by every item
   */
  public record Posterior(NDArray mean, double[][] covariance) {}

  // ---------------------------------------------------------------------------------------------------

  private void install(
      NDManager manager, double[] mu, double[][] w, double sigma2, double[][] s, double[] eig) {
    int d = mu.length;
    int q = spec.latentDim();
    double[][] m = HostMatrices.addToDiagonal(HostMatrices.transposeTimes(w, w), sigma2);
    CholeskyDecomposition chol = new CholeskyDecomposition(new Array2DRowRealMatrix(m), 1e-8, 0.0);
    RealMatrix lower = chol.getL();
    double logDetM = logDet(chol);
    double[][] lInv = MatrixUtils.inverse(lower).getData();
    double[][] mInv = HostMatrices.symmetrize(chol.getSolver().getInverse().getData());
    double[][] whiten = HostMatrices.timesTranspose(w, lInv); // W L⁻ᵀ
    double[][] post = HostMatrices.times(w, mInv); // W M⁻¹
    double[][] postCov = new double[q][q];
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < q; j++) {
        postCov[i][j] = sigma2 * mInv[i][j];
      }
    }
    double[][] wT = new double[q][d];
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < q; k++) {
        wT[k][i] = w[i][k];
      }
    }
    if (fitted != null) {
      fitted.close();
    }
    fitted = manager.newSubManager();
    meanNd = fitted.create(mu);
    weightTNd = fitted.create(HostMatrices.flatten(wT), new Shape(q, d));
    whitenNd = fitted.create(HostMatrices.flatten(whiten), new Shape(d, q));
    posteriorNd = fitted.create(HostMatrices.flatten(post), new Shape(d, q));
    dimension = d;
    mean = mu;
    weight = w;
    noiseVariance = sigma2;
    sampleCovariance = s;
    eigenvalues = eig;
    posteriorCovariance = postCov;
    logDetCovariance = (d - q) * Math.log(sigma2) + logDetM;
  }

  /**
   * {@code (1/N) Σ log N(x_n; μ, C) = −½ (D log 2π + log|C| + tr(C⁻¹ S))} from the sample covariance, with
   * {@code tr(C⁻¹ S) = (tr S − tr(M⁻¹ Wᵀ S W))/σ²}.
   */
  static double meanLogLikelihood(double[][] s, double[][] w, double sigma2, double[][] sw) {
    int d = s.length;
    int q = w[0].length;
    double[][] m = HostMatrices.addToDiagonal(HostMatrices.transposeTimes(w, w), sigma2);
    CholeskyDecomposition chol = new CholeskyDecomposition(new Array2DRowRealMatrix(m), 1e-8, 0.0);
    double logDetM = logDet(chol);
    double[][] mInv = chol.getSolver().getInverse().getData();
    double explained = HostMatrices.frobeniusInner(mInv, HostMatrices.transposeTimes(w, sw));
    double quadratic = (HostMatrices.trace(s) - explained) / sigma2;
    double logDetC = (d - q) * Math.log(sigma2) + logDetM;
    return -0.5 * (d * NdMath.LOG_2PI + logDetC + quadratic);
  }

  /**
   * μ and {@code S}: μ summed on the host in float64, then {@code S} accumulated on the device in float64,
   * a block of rows at a time. Each block is centred on the host into one reused direct buffer, which the
   * engine reads in place, and adds {@code X_bᵀ X_b} to the running sum; so the pass makes no
   * temporaries of the block's size (on a 2-core virtual machine the float64 conversion and centring of
   * 5,349-row chunks, 33 MB of fresh memory each, took twice the time of the matrix products in a
   * profile of the Fashion-MNIST fit).
   *
   * @param mean filled with μ, length {@code D}
   * @return {@code S}, {@code D × D}, divided by {@code N}, exactly symmetric
   */
  static double[][] sampleMoments(Dataset data, NDManager manager, double[] mean) {
    int n = data.rows();
    int d = data.columns();
    float[] values = data.values();
    double[] mu = new double[d];
    for (int i = 0; i < n; i++) {
      int base = i * d;
      for (int j = 0; j < d; j++) {
        mu[j] += values[base + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= n;
    }
    System.arraycopy(mu, 0, mean, 0, d);
    int block = (int) Math.max(1, Math.min(n, BLOCK_ELEMENTS / d));
    ByteBuffer buffer = ByteBuffer.allocateDirect(block * d * Double.BYTES).order(ByteOrder.nativeOrder());
    DoubleBuffer doubles = buffer.asDoubleBuffer();
    try (NDManager work = manager.newSubManager()) {
      NDArray scatter = work.zeros(new Shape(d, d), DataType.FLOAT64);
      for (int from = 0; from < n; from += block) {
        int to = Math.min(n, from + block);
        for (int i = from; i < to; i++) {
          int in = i * d;
          int at = (i - from) * d;
          for (int j = 0; j < d; j++) {
            doubles.put(at + j, values[in + j] - mu[j]);
          }
        }
        buffer.clear().limit((to - from) * d * Double.BYTES);
        try (NDManager step = work.newSubManager()) {
          NDArray x = step.create(buffer, new Shape(to - from, d), DataType.FLOAT64);
          scatter.addi(x.transpose().matMul(x));
        }
      }
      double[] flat = scatter.toDoubleArray();
      for (int i = 0; i < flat.length; i++) {
        flat[i] /= n;
      }
      return HostMatrices.symmetrize(HostMatrices.unflatten(flat, d, d));
    }
  }

  /**
   * Eigen-decomposes a symmetric matrix on the host (commons-math3).
   *
   * @param eigenvalues filled with the eigenvalues, largest first
   * @return the matching unit eigenvectors as columns, {@code D × D}
   */
  static double[][] sortedEigen(double[][] symmetric, double[] eigenvalues) {
    int d = symmetric.length;
    EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(symmetric, true));
    double[] values = eig.getRealEigenvalues();
    RealMatrix v = eig.getV();
    Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
    double[][] vectors = new double[d][d];
    for (int k = 0; k < d; k++) {
      int src = order[k];
      eigenvalues[k] = values[src];
      for (int i = 0; i < d; i++) {
        vectors[i][k] = v.getEntry(i, src);
      }
    }
    return vectors;
  }

  /** @return {@code log|M| = 2 Σ log L_ii} from the Cholesky factor. */
  private static double logDet(CholeskyDecomposition chol) {
    RealMatrix lower = chol.getL();
    double sum = 0;
    for (int i = 0; i < lower.getRowDimension(); i++) {
      sum += 2 * Math.log(lower.getEntry(i, i));
    }
    return sum;
  }

  private static double[][] inverse(double[][] a) {
    return new LUDecomposition(new Array2DRowRealMatrix(a, false)).getSolver().getInverse().getData();
  }

  private void requireFitted() {
    if (fitted == null) {
      throw new IllegalStateException("ppca is not fitted yet; call fit first");
    }
  }

  private IncompletePpca.Parameters parameters() {
    return new IncompletePpca.Parameters(mean, weight, noiseVariance);
  }

  /** @return a float64 host copy of {@code data}; the device copy is freed. */
  private static double[] hostValues(NDArray data) {
    try (NDArray copy = data.toType(DataType.FLOAT64, true)) {
      return copy.toDoubleArray();
    }
  }

  /** @return whether {@code data} holds a NaN (a missing cell); its temporaries are freed. */
  private static boolean hasMissing(NDArray data) {
    try (NDArray nan = data.isNaN(); NDArray any = nan.any()) {
      return any.getBoolean();
    }
  }

  private void requireBatch(NDArray data) {
    Shape shape = data.getShape();
    if (shape.dimension() != 2 || shape.get(1) != dimension) {
      throw new IllegalArgumentException(
          "ppca expects items of shape (B, " + dimension + "), got " + shape);
    }
  }

  /**
   * Imputes missing values by their exact conditional mean under the fitted model,
   * {@code E[x_m | x_o] = W_m E[t | x_o] + μ_m} with {@code E[t | x_o] = M_o⁻¹ W_oᵀ (x_o − μ_o)} and
   * {@code M_o = W_oᵀ W_o + σ² I} (the PPCA posterior given only the observed coordinates). Items that
   * share a mask share one {@code M_o} factorization.
   *
   * @param observed row-major {@code items × D}; values at missing positions are ignored, and a NaN marks
   *     its position missing whatever the mask says
   * @param missing row-major {@code items × D}, true where a value is unknown
   * @return a copy of {@code observed} with every missing value replaced
   */
  @Override
  public float[] conditionalMean(float[] observed, boolean[] missing, int items) {
    double[][] w = weight();
    double[] mu = mean();
    double sigma2 = noiseVariance();
    int d = mu.length;
    int q = w[0].length;
    missing = io.vi4j.api.data.IncompleteData.unknownCells(observed, missing, items, d);
    float[] out = observed.clone();
    boolean[] previous = null;
    org.apache.commons.math3.linear.DecompositionSolver solver = null;
    for (int i = 0; i < items; i++) {
      boolean[] mask = java.util.Arrays.copyOfRange(missing, i * d, (i + 1) * d);
      if (previous == null || !java.util.Arrays.equals(mask, previous)) {
        double[][] m = new double[q][q];
        for (int j = 0; j < d; j++) {
          if (!mask[j]) {
            for (int a = 0; a < q; a++) {
              for (int b = 0; b < q; b++) {
                m[a][b] += w[j][a] * w[j][b];
              }
            }
          }
        }
        for (int a = 0; a < q; a++) {
          m[a][a] += sigma2;
        }
        solver = new org.apache.commons.math3.linear.CholeskyDecomposition(
            org.apache.commons.math3.linear.MatrixUtils.createRealMatrix(m)).getSolver();
        previous = mask;
      }
      double[] rhs = new double[q];
      for (int j = 0; j < d; j++) {
        if (!mask[j]) {
          double centred = observed[i * d + j] - mu[j];
          for (int a = 0; a < q; a++) {
            rhs[a] += w[j][a] * centred;
          }
        }
      }
      double[] t = solver.solve(new org.apache.commons.math3.linear.ArrayRealVector(rhs)).toArray();
      for (int j = 0; j < d; j++) {
        if (mask[j]) {
          double value = mu[j];
          for (int a = 0; a < q; a++) {
            value += w[j][a] * t[a];
          }
          out[i * d + j] = (float) value;
        }
      }
    }
    return out;
  }
}
