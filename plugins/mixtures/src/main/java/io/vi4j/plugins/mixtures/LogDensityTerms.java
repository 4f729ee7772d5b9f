package io.vi4j.plugins.mixtures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.kit.math.NdMath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;

/**
 * The device arrays that turn a chunk of shifted items {@code x (B, D)} float64 into the {@code (B, K)}
 * per-component scores of an E-step or a hard assignment, all from matrix products:
 *
 * <ul>
 *   <li>diagonal: {@code log w_k + log N(x; μ_k, diag σ²_k) = x² · (−½/σ²)ᵀ + x · (μ/σ²)ᵀ + c_k}, from
 *       {@code quadratic = −½/σ² (D, K)}, {@code linear = μ/σ² (D, K)} and {@code constant = c (K)};
 *   <li>full: {@code log w_k − ½ D log 2π − ½ log|Σ_k| − ½ ‖L_k⁻¹ x − L_k⁻¹ μ_k‖²}, with {@code Σ_k = L_k
 *       L_kᵀ} factored on the host ({@link Covariances.Factor}), from {@code quadratic} the stacked
 *       {@code L_k⁻ᵀ (D, K·D)}, {@code linear} the stacked {@code L_k⁻¹ μ_k (K·D)} and {@code constant
 *       (K)}: one product {@code x (B, D) · (D, K·D)} serves every component;
 *   <li>hard assignment to centres {@code c_k}: {@code x · c_k − ½‖c_k‖²}, largest at the nearest centre,
 *       from {@code linear} the centres {@code (D, K)}, {@code constant = −½‖c‖² (K)} and no {@code
 *       quadratic}.
 * </ul>
 *
 * <p>A diagonal fit scores its items in the layout {@code f = [x | x²] (B, 2D)} ({@link #features}), built
 * once per fit: {@link #logJointOfFeatures} is then one product {@code f · [μ/σ²; −½/σ²] (2D, K)}, and the
 * E-step's sums {@code rᵀ f} give {@code Σ r x} and {@code Σ r x²} in one product as well.
 *
 * <p>The arrays live on the manager given to the factory, until {@link #close()}.
 */
final class LogDensityTerms implements AutoCloseable {
  private static final double LOG_2PI = NdMath.LOG_2PI;

  final NDManager manager;
  /** The parameters' shift {@code (D)}; null for hard-assignment terms. */
  final NDArray shift;

  private final int components;
  private final boolean fullForm;
  private final NDArray quadratic; // diagonal (D, K); full (D, K·D); hard: null
  private final NDArray linear; // diagonal (D, K); full (K·D); hard (D, K)
  private final NDArray constant; // (K)
  private final NDArray stacked; // diagonal: [linear; quadratic] (2D, K); otherwise null

  private LogDensityTerms(
      NDManager manager,
      NDArray shift,
      int components,
      boolean fullForm,
      NDArray quadratic,
      NDArray linear,
      NDArray constant,
      NDArray stacked) {
    this.manager = manager;
    this.shift = shift;
    this.components = components;
    this.fullForm = fullForm;
    this.quadratic = quadratic;
    this.linear = linear;
    this.constant = constant;
    this.stacked = stacked;
  }

  /** The log joint {@code log w_k + log N(x; μ_k, Σ_k)} of {@code p}, on {@code manager}. */
  static LogDensityTerms of(MixtureParameters p, NDManager manager) {
    int k = p.components();
    int d = p.dimension();
    NDArray shift = manager.create(p.shift);
    double[] constant = new double[k];
    if (p.full()) {
      double[] w = new double[d * k * d];
      double[] b = new double[k * d];
      for (int c = 0; c < k; c++) {
        double[][] a = p.factors[c].inverseLower();
        for (int j = 0; j < d; j++) {
          for (int i = 0; i <= j; i++) {
            w[i * k * d + c * d + j] = a[j][i];
          }
        }
        double[] whitenedMean = new Array2DRowRealMatrix(a, false).operate(p.means[c]);
        System.arraycopy(whitenedMean, 0, b, c * d, d);
        constant[c] = logWeight(p.weights[c]) - 0.5 * d * LOG_2PI - p.factors[c].halfLogDet();
      }
      return new LogDensityTerms(
          manager,
          shift,
          k,
          true,
          manager.create(w, new Shape(d, (long) k * d)),
          manager.create(b),
          manager.create(constant),
          null);
    }
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
    double[] lq = new double[2 * d * k];
    System.arraycopy(l, 0, lq, 0, d * k);
    System.arraycopy(q, 0, lq, d * k, d * k);
    return new LogDensityTerms(
        manager,
        shift,
        k,
        false,
        manager.create(q, new Shape(d, k)),
        manager.create(l, new Shape(d, k)),
        manager.create(constant),
        manager.create(lq, new Shape(2L * d, k)));
  }

  /** Hard-assignment scores for {@code centres (K × D)}, shifted coordinates, on {@code manager}. */
  static LogDensityTerms nearestCentre(double[][] centres, NDManager manager) {
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
    return new LogDensityTerms(
        manager,
        null,
        k,
        false,
        null,
        manager.create(l, new Shape(d, k)),
        manager.create(constant),
        null);
  }

  /** @return {@code K}. */
  int components() {
    return components;
  }

  /**
   * @param x shifted items {@code (B, D)} float64
   * @return the scores {@code (B, K)}, on {@code x}'s manager
   */
  NDArray logJoint(NDArray x) {
    return logJoint(x, null);
  }

  /** The same, reusing {@code squared = x² (B, D)} when the caller has it (diagonal form). */
  NDArray logJoint(NDArray x, NDArray squared) {
    if (quadratic == null) {
      return x.matMul(linear).add(constant);
    }
    if (!fullForm) {
      NDArray x2 = squared == null ? x.square() : squared;
      return x2.matMul(quadratic).add(x.matMul(linear)).add(constant);
    }
    long b = x.getShape().get(0);
    long d = x.getShape().get(1);
    return x.matMul(quadratic)
        .sub(linear)
        .square()
        .reshape(b, components, d)
        .sum(new int[] {2})
        .mul(-0.5)
        .add(constant);
  }

  /**
   * The scores of a diagonal mixture from items in the feature layout: {@code f · [μ/σ²; −½/σ²] + c}.
   *
   * @param features {@code [x | x²] (B, 2D)} float64, shifted items and their squares ({@link #features})
   * @return the scores {@code (B, K)}, on {@code features}' manager
   * @throws IllegalStateException for full or hard-assignment terms
   */
  NDArray logJointOfFeatures(NDArray features) {
    if (stacked == null) {
      throw new IllegalStateException("only diagonal terms score items in the feature layout");
    }
    return features.matMul(stacked).add(constant);
  }

  /**
   * The items of a diagonal fit in the feature layout {@code [x − shift | (x − shift)²] (N, 2D)} float64,
   * built on the host a block of rows at a time and copied into one device array, so that no other
   * float64 copy of all items is made. The values are those of {@link #centred} and {@link
   * NDArray#square()}: one rounding each, the same in Java as in the engine.
   *
   * @param values the items, row-major {@code N × D}
   * @param shift {@code (D)}
   * @return a new array on {@code manager}
   */
  static NDArray features(float[] values, int rows, int d, double[] shift, NDManager manager) {
    NDArray out = manager.create(new Shape(rows, 2L * d), DataType.FLOAT64);
    // One direct buffer serves every block: fresh memory for each would cost more than the arithmetic.
    int block = Math.max(1, Math.min(rows, FEATURE_BLOCK_ELEMENTS / (2 * d)));
    ByteBuffer buffer =
        ByteBuffer.allocateDirect(block * 2 * d * Double.BYTES).order(ByteOrder.nativeOrder());
    DoubleBuffer doubles = buffer.asDoubleBuffer();
    for (int start = 0; start < rows; start += block) {
      int end = Math.min(rows, start + block);
      for (int i = start; i < end; i++) {
        int in = i * d;
        int at = (i - start) * 2 * d;
        for (int j = 0; j < d; j++) {
          double x = values[in + j] - shift[j];
          doubles.put(at + j, x);
          doubles.put(at + d + j, x * x);
        }
      }
      buffer.clear().limit((end - start) * 2 * d * Double.BYTES);
      try (NDManager scope = manager.newSubManager()) {
        NDArray part = scope.create(buffer, new Shape(end - start, 2L * d), DataType.FLOAT64);
        out.set(new NDIndex(start + ":" + end), part);
      }
    }
    return out;
  }

  /** Values per host block while {@link #features} builds its array (4 MiB of float64). */
  static final int FEATURE_BLOCK_ELEMENTS = 1 << 19;

  /** @return {@code items − shift (B, D)} in float64, on {@code items}' manager; closes {@code items}. */
  static NDArray centred(NDArray items, NDArray shift) {
    NDArray wide = items.toType(DataType.FLOAT64, false);
    items.close();
    return wide.subi(shift);
  }

  /** {@code log w}, with {@code w} raised to {@code 1e-300} so that an empty component stays finite. */
  static double logWeight(double w) {
    return Math.log(Math.max(w, 1e-300));
  }

  @Override
  public void close() {
    for (NDArray a : new NDArray[] {shift, quadratic, linear, constant, stacked}) {
      if (a != null) {
        a.close();
      }
    }
  }
}
