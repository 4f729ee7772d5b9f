package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.Vi4j;
import io.vi4j.core.eval.LogLikelihoodReport;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.core.run.TrainedModel;
import io.vi4j.plugins.decoders.GaussianMlpDecoderSpec;
import io.vi4j.plugins.decoders.GaussianMlpDecoderSpec.Variance;
import io.vi4j.plugins.encoders.GaussianMlpEncoderSpec;
import io.vi4j.plugins.estimators.ReparameterizationSpec;
import io.vi4j.plugins.priors.StandardNormalPriorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * A VAE with a linear encoder and a linear Gaussian decoder with one shared σ² is probabilistic PCA
 * trained by SVI: its ELBO approaches the PPCA maximum-likelihood log-likelihood (Tipping &amp; Bishop
 * 1999, computed here from the eigenvalues of the sample covariance), and its IWAE estimates rise with k
 * towards — never past — the exact log-likelihood of its own (Gaussian) marginal.
 */
class LinearVaeEqualsPpcaTest {
  private static final int D = 6;
  private static final int Q = 2;
  private static final int N = 2000;

  @Test
  void linearVaeElboApproachesThePpcaLikelihoodAndIwaeRisesTowardsTheExactValue() {
    Dataset data = ppcaData();
    double ppca = ppcaMaximumLogLikelihood(data);
    try (TrainedModel vae = Vi4j.vae()
        .latentDim(Q)
        .prior(new StandardNormalPriorSpec())
        .encoder(new GaussianMlpEncoderSpec(List.of(), ActivationName.RELU))
        .decoder(new GaussianMlpDecoderSpec(List.of(), ActivationName.RELU, Variance.SHARED, null, null))
        .estimator(new ReparameterizationSpec(1))
        .epochs(300).batchSize(100).learningRate(3e-3)
        .seed(Long.getLong("vi4j.test.seed", 3))
        .protocol(io.vi4j.core.data.Protocol.RAW) // real-valued data, not 8-bit levels
        .train(new DataSplits(data, data, Binarization.NONE))) {
      // The ELBO estimate with one latent draw per item has a standard error of about 0.02 nats over
      // 2,000 items here, as much as the tolerance: average 40 independent evaluations.
      double elbo = 0;
      for (int r = 0; r < 40; r++) {
        elbo -= vae.testNegativeElbo().negativeElbo() / 40;
      }
      // 0.5 % of |log p|, the tolerance; the ELBO is a lower bound of a model that is at best PPCA.
      assertThat(Math.abs(elbo - ppca)).as("ELBO %.4f vs PPCA %.4f", elbo, ppca)
          .isLessThan(0.005 * Math.abs(ppca));
      double exact = exactLogLikelihood(vae, data);
      assertThat(exact).isLessThanOrEqualTo(ppca + 1e-3);
      // Near convergence the bound's rise from k = 10 to 100 is of the order of its standard error, so each
      // step may fall short by one standard error; from k = 1 to 100 it must rise.
      double previous = Double.NEGATIVE_INFINITY;
      double first = Double.NaN;
      for (int k : new int[] {1, 10, 100}) {
        LogLikelihoodReport iwae = vae.logLikelihood(k, N);
        assertThat(iwae.meanLogLikelihood()).as("IWAE k=%d", k)
            .isLessThanOrEqualTo(exact + iwae.standardError())
            .isGreaterThan(previous - iwae.standardError());
        previous = iwae.meanLogLikelihood();
        first = Double.isNaN(first) ? previous : first;
      }
      assertThat(previous).as("IWAE k=100 against k=1").isGreaterThan(first);
    }
  }

  /** N items from x = W t + μ + σ ε with a fixed W, μ and σ = 0.3. */
  private static Dataset ppcaData() {
    Random random = new Random(11);
    double[][] w = {{1.0, 0.2}, {0.5, -0.8}, {-0.7, 0.4}, {0.3, 1.1}, {0.0, -0.5}, {0.9, 0.6}};
    double[] mu = {0.5, -0.2, 0.1, 0.0, 0.3, -0.4};
    float[] values = new float[N * D];
    for (int n = 0; n < N; n++) {
      double t0 = random.nextGaussian();
      double t1 = random.nextGaussian();
      for (int d = 0; d < D; d++) {
        values[n * D + d] = (float) (w[d][0] * t0 + w[d][1] * t1 + mu[d] + 0.3 * random.nextGaussian());
      }
    }
    return new Dataset("ppca data", values, N, D, null, null);
  }

  /**
   * The PPCA maximum of the mean log-likelihood, {@code −½[D ln 2π + Σ_{j≤q} ln λ_j + (D−q) ln σ² + D]},
   * σ² the mean of the discarded eigenvalues of the (biased) sample covariance.
   */
  private static double ppcaMaximumLogLikelihood(Dataset data) {
    double[] lambda = new EigenDecomposition(sampleCovariance(data)).getRealEigenvalues().clone();
    Arrays.sort(lambda);
    double sigma2 = 0;
    for (int j = 0; j < D - Q; j++) {
      sigma2 += lambda[j];
    }
    sigma2 /= D - Q;
    double logDet = (D - Q) * Math.log(sigma2);
    for (int j = D - Q; j < D; j++) {
      logDet += Math.log(lambda[j]);
    }
    return -0.5 * (D * Math.log(2 * Math.PI) + logDet + D);
  }

  private static RealMatrix sampleCovariance(Dataset data) {
    double[] mean = new double[D];
    for (int n = 0; n < N; n++) {
      for (int d = 0; d < D; d++) {
        mean[d] += data.values()[n * D + d] / (double) N;
      }
    }
    double[][] s = new double[D][D];
    for (int n = 0; n < N; n++) {
      for (int i = 0; i < D; i++) {
        for (int j = 0; j < D; j++) {
          s[i][j] += (data.values()[n * D + i] - mean[i]) * (data.values()[n * D + j] - mean[j]) / N;
        }
      }
    }
    return MatrixUtils.createRealMatrix(s);
  }

  /** The trained VAE's own marginal: N(b, W Wᵀ + σ² I), read from its decoder's parameters. */
  private static double exactLogLikelihood(TrainedModel vae, Dataset data) {
    double[][] w = null;
    double[] b = null;
    double sigma2 = Double.NaN;
    for (var p : vae.model().model().decoder().parameters()) {
      NDArray array = p.getValue().getArray();
      long[] shape = array.getShape().getShape();
      float[] v = array.toFloatArray();
      if (p.getKey().equals("log_variance")) {
        sigma2 = Math.exp(v[0]);
      } else if (shape.length == 2) {
        w = new double[D][Q];
        for (int d = 0; d < D; d++) {
          for (int q = 0; q < Q; q++) {
            w[d][q] = v[d * Q + q]; // DJL's Linear weight is (out, in)
          }
        }
      } else {
        b = new double[D];
        for (int d = 0; d < D; d++) {
          b[d] = v[d];
        }
      }
    }
    RealMatrix wm = MatrixUtils.createRealMatrix(w);
    RealMatrix cov = wm.multiply(wm.transpose()).add(MatrixUtils.createRealIdentityMatrix(D).scalarMultiply(sigma2));
    MultivariateNormalDistribution marginal = new MultivariateNormalDistribution(b, cov.getData());
    double sum = 0;
    for (int n = 0; n < N; n++) {
      double[] x = new double[D];
      for (int d = 0; d < D; d++) {
        x[d] = data.values()[n * D + d];
      }
      sum += Math.log(marginal.density(x));
    }
    return sum / N;
  }
}
