package io.vi4j.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Prior;
import io.vi4j.api.model.Support;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * {@code t ~ N(0, I_L)}, {@code x | t ~ N(W t + b, σ² I_D)} with orthogonal columns of {@code W}, so the
 * exact posterior is a diagonal Gaussian: {@code q(t|x) = N(S Wᵀ(x − b)/σ², S)},
 * {@code S = diag(1 / (1 + ‖w_l‖²/σ²))}. With the exact posterior as the encoder the ELBO equals
 * {@code log p(x)} for every sample, and {@code p(x) = N(b, W Wᵀ + σ² I)}.
 */
public final class LinearGaussianModel {
  private final double[][] weight;
  private final double[] bias;
  private final double sigma;

  /**
   * @param weight {@code D × L}, columns mutually orthogonal
   * @param bias length {@code D}
   * @param sigma noise standard deviation
   */
  public LinearGaussianModel(double[][] weight, double[] bias, double sigma) {
    this.weight = weight;
    this.bias = bias;
    this.sigma = sigma;
  }

  /** A 4-dimensional, 2-latent example with orthogonal columns. */
  public static LinearGaussianModel example() {
    return new LinearGaussianModel(
        new double[][] {{1.0, 0.5}, {1.0, -0.5}, {-1.0, 0.5}, {0.5, 1.0}},
        new double[] {0.1, -0.2, 0.3, 0.0},
        0.7);
  }

  public int dataDimension() {
    return bias.length;
  }

  public int latentDimension() {
    return weight[0].length;
  }

  /** @return the exact {@code log p(x)} by commons-math3's multivariate normal. */
  public double exactLogLikelihood(double[] x) {
    RealMatrix w = MatrixUtils.createRealMatrix(weight);
    RealMatrix cov = w.multiply(w.transpose())
        .add(MatrixUtils.createRealIdentityMatrix(bias.length).scalarMultiply(sigma * sigma));
    return Math.log(new MultivariateNormalDistribution(bias, cov.getData()).density(x));
  }

  /**
   * @param exactPosterior the true posterior as the encoder, or one with its mean shifted by 0.5
   * @return the assembled model on {@code manager}
   */
  public LatentVariableModel build(NDManager manager, boolean exactPosterior) {
    int d = dataDimension();
    int l = latentDimension();
    float[] w = new float[d * l];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < l; j++) {
        w[i * l + j] = (float) weight[i][j];
      }
    }
    NDArray wArray = manager.create(w, new Shape(d, l));
    NDArray bArray = manager.create(toFloat(bias));
    float[] posteriorVariance = new float[l];
    for (int j = 0; j < l; j++) {
      double norm = 0;
      for (int i = 0; i < d; i++) {
        norm += weight[i][j] * weight[i][j];
      }
      posteriorVariance[j] = (float) (1.0 / (1.0 + norm / (sigma * sigma)));
    }
    NDArray sArray = manager.create(posteriorVariance);
    // Derived constants made once: an op whose first operand lives on this (long-lived) manager would
    // leave its result there at every call.
    NDArray wTransposed = wArray.transpose();
    NDArray logS = sArray.log();
    float logVariance = (float) (2 * Math.log(sigma));
    double shift = exactPosterior ? 0 : 0.5;
    Prior prior = new StandardNormalTestPrior(l);
    Likelihood decoder = new Likelihood() {
      @Override
      public Distribution conditional(NDArray latent) {
        NDArray mean = latent.matMul(wTransposed).add(bArray);
        return new DiagonalGaussian(mean, latent.getManager().full(new Shape(d), logVariance));
      }

      @Override
      public Support support() {
        return Support.REAL;
      }
    };
    VariationalFamily encoder = new VariationalFamily() {
      @Override
      public Distribution posterior(NDArray x) {
        NDArray mean = x.sub(bArray).matMul(wArray).mul(sArray).div(sigma * sigma).add(shift);
        NDArray logVar = mean.zerosLike().add(logS);
        return new DiagonalGaussian(mean, logVar);
      }

      @Override
      public Set<Capability> posteriorCapabilities() {
        return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.ENTROPY);
      }
    };
    return new LatentVariableModel(prior, encoder, decoder, d);
  }

  /** Draws {@code n} items from the model with a seeded host RNG; row-major {@code n × D}. */
  public float[] sample(int n, long seed) {
    java.util.Random random = new java.util.Random(seed);
    int d = dataDimension();
    int l = latentDimension();
    float[] out = new float[n * d];
    for (int k = 0; k < n; k++) {
      double[] t = new double[l];
      for (int j = 0; j < l; j++) {
        t[j] = random.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        double v = bias[i] + sigma * random.nextGaussian();
        for (int j = 0; j < l; j++) {
          v += weight[i][j] * t[j];
        }
        out[k * d + i] = (float) v;
      }
    }
    return out;
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
