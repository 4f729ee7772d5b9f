package io.vi4j.core.testing.gradient;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Support;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.math.NdMath;
import java.util.Set;

/**
 * A problem with prior {@code N(0, I_L)}, a fixed objective {@code log p(x | t)} and a closed-form
 * gradient of the ELBO {@code E_q log p(x|t) − KL(q ‖ p)} with respect to {@code q}'s {@code (μ, v)},
 * {@code q = N(μ, diag(e^v))}.
 */
public interface ConjugateProblem {

  /** @return a name for messages. */
  String name();

  /** @return {@code L}. */
  int latentDimension();

  /** @return {@code D}. */
  int dataDimension();

  /** @return one data item, length {@code D}. */
  float[] item();

  /** @return the likelihood (no parameters). */
  Likelihood likelihood();

  /**
   * @return {@code [∂ELBO/∂μ_1..L, ∂ELBO/∂v_1..L]} at {@code (μ, v)}
   */
  double[] elboGradient(double[] mean, double[] logVariance);

  /**
   * {@code log p(x | t)} of the problem's item and its gradient in {@code t}, on the host in double
   * precision: what {@link GradientTestKit#importanceWeightedGradient} integrates, since the
   * importance-weighted bound has no closed form. A problem without it can only be used for the ELBO check.
   *
   * @param latent {@code t}, length {@code L}
   * @param gradient length {@code L}, overwritten with {@code ∂ log p(x | t) / ∂t}
   * @return {@code log p(x | t)}
   */
  default double logLikelihood(double[] latent, double[] gradient) {
    throw new UnsupportedOperationException(
        name() + " has no host log-likelihood; the importance-weighted check needs one");
  }

  /** ∂KL(N(μ, e^v) ‖ N(0, 1))/∂μ = μ and /∂v = (e^v − 1)/2, per coordinate. */
  static double klGradientMean(double mean) {
    return mean;
  }

  /** @return ∂KL/∂v for one coordinate. */
  static double klGradientLogVariance(double logVariance) {
    return 0.5 * (Math.exp(logVariance) - 1);
  }

  /**
   * {@code x | t ~ N(W t + c, σ² I_D)}: {@code E_q log p = const − (‖x − Wμ − c‖² + Σ_l ‖w_l‖² e^{v_l})/(2σ²)}.
   *
   * @param weight {@code D × L}
   * @param offset length {@code D}
   * @param sigma noise standard deviation
   * @param x the data item
   */
  static ConjugateProblem linearGaussian(double[][] weight, double[] offset, double sigma, double[] x) {
    int d = offset.length;
    int l = weight[0].length;
    return new ConjugateProblem() {
      @Override
      public String name() {
        return "linear-Gaussian";
      }

      @Override
      public int latentDimension() {
        return l;
      }

      @Override
      public int dataDimension() {
        return d;
      }

      @Override
      public float[] item() {
        float[] out = new float[d];
        for (int i = 0; i < d; i++) {
          out[i] = (float) x[i];
        }
        return out;
      }

      @Override
      public Likelihood likelihood() {
        return new Likelihood() {
          @Override
          public Distribution conditional(NDArray latent) {
            NDManager m = latent.getManager();
            float[] w = new float[d * l];
            for (int i = 0; i < d; i++) {
              for (int j = 0; j < l; j++) {
                w[i * l + j] = (float) weight[i][j];
              }
            }
            float[] c = new float[d];
            for (int i = 0; i < d; i++) {
              c[i] = (float) offset[i];
            }
            NDArray mean = latent.matMul(m.create(w, new Shape(d, l)).transpose()).add(m.create(c));
            return new DiagonalGaussian(mean, m.full(new Shape(d), (float) (2 * Math.log(sigma))));
          }

          @Override
          public Support support() {
            return Support.REAL;
          }
        };
      }

      /** {@code −‖x − Wt − c‖²/(2σ²) − D log σ − (D/2) log 2π}, gradient {@code Wᵀ(x − Wt − c)/σ²}. */
      @Override
      public double logLikelihood(double[] latent, double[] gradient) {
        double squares = 0;
        java.util.Arrays.fill(gradient, 0);
        for (int i = 0; i < d; i++) {
          double r = x[i] - offset[i];
          for (int j = 0; j < l; j++) {
            r -= weight[i][j] * latent[j];
          }
          squares += r * r;
          for (int j = 0; j < l; j++) {
            gradient[j] += weight[i][j] * r / (sigma * sigma);
          }
        }
        return -squares / (2 * sigma * sigma) - d * Math.log(sigma) - 0.5 * d * Math.log(2 * Math.PI);
      }

      @Override
      public double[] elboGradient(double[] mean, double[] logVariance) {
        double[] residual = new double[d];
        for (int i = 0; i < d; i++) {
          residual[i] = x[i] - offset[i];
          for (int j = 0; j < l; j++) {
            residual[i] -= weight[i][j] * mean[j];
          }
        }
        double[] g = new double[2 * l];
        for (int j = 0; j < l; j++) {
          double wr = 0;
          double norm = 0;
          for (int i = 0; i < d; i++) {
            wr += weight[i][j] * residual[i];
            norm += weight[i][j] * weight[i][j];
          }
          g[j] = wr / (sigma * sigma) - klGradientMean(mean[j]);
          g[l + j] = -norm * Math.exp(logVariance[j]) / (2 * sigma * sigma) - klGradientLogVariance(logVariance[j]);
        }
        return g;
      }
    };
  }

  /**
   * A quadratic objective {@code log p(x | t) = −½ (t − c)ᵀ A (t − c)} (not a normalized density; an
   * estimator only needs its value and gradient): {@code E_q = −½[(μ − c)ᵀA(μ − c) + Σ_l A_ll e^{v_l}]}.
   *
   * @param a symmetric {@code L × L}
   * @param centre length {@code L}
   */
  static ConjugateProblem quadratic(double[][] a, double[] centre) {
    int l = centre.length;
    return new ConjugateProblem() {
      @Override
      public String name() {
        return "quadratic";
      }

      @Override
      public int latentDimension() {
        return l;
      }

      @Override
      public int dataDimension() {
        return 1;
      }

      @Override
      public float[] item() {
        return new float[] {0f};
      }

      @Override
      public Likelihood likelihood() {
        return new Likelihood() {
          @Override
          public Distribution conditional(NDArray latent) {
            return new QuadraticObjective(latent, a, centre);
          }

          @Override
          public Support support() {
            return Support.REAL;
          }
        };
      }

      /** {@code −½ (t − c)ᵀ A (t − c)}, gradient {@code −A(t − c)}. */
      @Override
      public double logLikelihood(double[] latent, double[] gradient) {
        double value = 0;
        for (int j = 0; j < l; j++) {
          double row = 0;
          for (int i = 0; i < l; i++) {
            row += a[j][i] * (latent[i] - centre[i]);
          }
          gradient[j] = -row;
          value -= 0.5 * (latent[j] - centre[j]) * row;
        }
        return value;
      }

      @Override
      public double[] elboGradient(double[] mean, double[] logVariance) {
        double[] g = new double[2 * l];
        for (int j = 0; j < l; j++) {
          double am = 0;
          for (int k = 0; k < l; k++) {
            am += a[j][k] * (mean[k] - centre[k]);
          }
          g[j] = -am - klGradientMean(mean[j]);
          g[l + j] = -0.5 * a[j][j] * Math.exp(logVariance[j]) - klGradientLogVariance(logVariance[j]);
        }
        return g;
      }
    };
  }

  /** The quadratic objective dressed as a distribution whose {@code logProb} ignores its argument. */
  final class QuadraticObjective implements Distribution {
    private final NDArray latent;
    private final double[][] a;
    private final double[] centre;

    QuadraticObjective(NDArray latent, double[][] a, double[] centre) {
      this.latent = latent;
      this.a = a;
      this.centre = centre;
    }

    @Override
    public long eventSize() {
      return 1;
    }

    /** @return shape {@code (K, B)}: {@code −½ (t − c)ᵀ A (t − c)} for each latent. */
    @Override
    public NDArray logProb(NDArray value) {
      NDManager m = latent.getManager();
      int l = centre.length;
      float[] flat = new float[l * l];
      float[] c = new float[l];
      for (int i = 0; i < l; i++) {
        c[i] = (float) centre[i];
        for (int j = 0; j < l; j++) {
          flat[i * l + j] = (float) a[i][j];
        }
      }
      NDArray diff = latent.sub(m.create(c));
      return NdMath.times(diff.matMul(m.create(flat, new Shape(l, l))).mul(diff).sum(new int[] {-1}), -0.5);
    }

    @Override
    public NDArray sample(int k) {
      throw new UnsupportedOperationException("an objective, not a distribution to sample");
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }
  }
}
