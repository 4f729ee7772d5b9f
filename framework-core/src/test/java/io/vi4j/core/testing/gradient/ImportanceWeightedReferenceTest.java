package io.vi4j.core.testing.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kit's reference gradient of the importance-weighted bound, checked without the engine: at
 * {@code k = 1} it is the ELBO's closed form, and at {@code k > 1} its doubly reparameterized form agrees
 * with the plain reparameterized gradient {@code Σ_j w̃_j d log w_j/d(μ, v)} (which needs no identity to
 * be unbiased) averaged over independent draws.
 */
class ImportanceWeightedReferenceTest {
  private static final double[] MEAN = {0.4, -0.7};
  private static final double[] LOG_VARIANCE = {-0.6, 0.3};

  @Test
  void atOneSampleTheReferenceIsTheClosedFormOfTheElbo() {
    for (ConjugateProblem problem : new ConjugateProblem[] {GradientTestKit.linearGaussian(), GradientTestKit.quadratic()}) {
      GradientTestKit.Reference reference =
          GradientTestKit.importanceWeightedGradient(problem, MEAN, LOG_VARIANCE, 1, new double[4], 3);
      double[] closedForm = problem.elboGradient(MEAN, LOG_VARIANCE);
      for (int i = 0; i < 4; i++) {
        assertThat(reference.gradient()[i]).as(problem.name() + " coordinate " + i).isCloseTo(closedForm[i], within(1e-12));
        assertThat(reference.standardError()[i]).isZero();
      }
    }
  }

  @Test
  void atFiveSamplesTheReferenceAgreesWithThePlainReparameterizedGradient() {
    int k = 5;
    int sets = 1 << 18;
    for (ConjugateProblem problem : new ConjugateProblem[] {GradientTestKit.linearGaussian(), GradientTestKit.quadratic()}) {
      double[][] plain = plainGradient(problem, k, sets, 11);
      GradientTestKit.Reference reference = GradientTestKit.importanceWeightedGradient(
          problem, MEAN, LOG_VARIANCE, k, new double[] {1e-3, 1e-3, 1e-3, 1e-3}, 12);
      double[] elbo = problem.elboGradient(MEAN, LOG_VARIANCE);
      for (int i = 0; i < 4; i++) {
        double error = Math.hypot(plain[1][i], reference.standardError()[i]);
        assertThat(reference.gradient()[i]).as(problem.name() + " coordinate " + i + " (s.e. " + error + ")")
            .isCloseTo(plain[0][i], within(4.5 * error));
        // The bound's gradient is not the ELBO's: the comparison has the power to tell them apart.
        assertThat(Math.abs(reference.gradient()[i] - elbo[i])).isGreaterThan(20 * error);
      }
    }
  }

  /**
   * {@code Σ_j w̃_j d log w_j/d(μ, v)} with the total derivative: {@code h_j = ∇ log p(x | t_j) − t_j} for
   * {@code μ}, {@code ½ σ ε_j h_j + ½} for {@code v} (the {@code ½} from {@code −log q}'s {@code −v/2}).
   *
   * @return the mean and its standard error, each length {@code 2L}
   */
  private static double[][] plainGradient(ConjugateProblem problem, int k, int sets, long seed) {
    int l = problem.latentDimension();
    SplittableRandom random = new SplittableRandom(seed);
    double[] sum = new double[2 * l];
    double[] squares = new double[2 * l];
    double[][] noise = new double[k][l];
    double[][] gradient = new double[k][l];
    double[] latent = new double[l];
    double[] logWeight = new double[k];
    double[] g = new double[2 * l];
    for (int n = 0; n < sets; n++) {
      double largest = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        double quadratic = 0;
        for (int i = 0; i < l; i++) {
          noise[j][i] = random.nextGaussian();
          latent[i] = MEAN[i] + Math.exp(LOG_VARIANCE[i] / 2) * noise[j][i];
          quadratic += noise[j][i] * noise[j][i] - latent[i] * latent[i];
        }
        logWeight[j] = problem.logLikelihood(latent, gradient[j]) + quadratic / 2;
        for (int i = 0; i < l; i++) {
          gradient[j][i] -= latent[i];
        }
        largest = Math.max(largest, logWeight[j]);
      }
      double total = 0;
      for (int j = 0; j < k; j++) {
        logWeight[j] = Math.exp(logWeight[j] - largest);
        total += logWeight[j];
      }
      java.util.Arrays.fill(g, 0);
      for (int j = 0; j < k; j++) {
        double w = logWeight[j] / total;
        for (int i = 0; i < l; i++) {
          g[i] += w * gradient[j][i];
          g[l + i] += w * (0.5 * Math.exp(LOG_VARIANCE[i] / 2) * noise[j][i] * gradient[j][i] + 0.5);
        }
      }
      for (int i = 0; i < 2 * l; i++) {
        sum[i] += g[i];
        squares[i] += g[i] * g[i];
      }
    }
    double[][] out = new double[2][2 * l];
    for (int i = 0; i < 2 * l; i++) {
      out[0][i] = sum[i] / sets;
      out[1][i] = Math.sqrt((squares[i] / sets - out[0][i] * out[0][i]) / (sets - 1));
    }
    return out;
  }
}
