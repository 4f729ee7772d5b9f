package io.vi4j.core.testing.gradient;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.testing.StandardNormalTestPrior;
import java.util.EnumSet;
import java.util.Set;

/**
 * Checks that an estimator's gradient of the ELBO with respect to the variational parameters is
 * unbiased: over {@code R} independent draws (fixed seed) the mean of each coordinate of the estimate
 * must lie within {@code z} standard errors (computed from the same draws) of the closed-form gradient
 * of a {@link ConjugateProblem}. {@code z} is Bonferroni-corrected for the number of coordinates so that
 * a correct estimator fails with probability about 1e-4 per check.
 *
 * <pre>{@code
 * GradientTestKit.check(myEstimator, GradientTestKit.DIAGONAL_GAUSSIAN, GradientTestKit.linearGaussian(), 2000, 7);
 * }</pre>
 */
public final class GradientTestKit {
  /** The core's diagonal Gaussian, the family of the built-in encoder. */
  public static final GaussianFamily DIAGONAL_GAUSSIAN = new GaussianFamily() {
    @Override
    public String name() {
      return "diagonal Gaussian";
    }

    @Override
    public Distribution distribution(NDArray mean, NDArray logVariance) {
      return new DiagonalGaussian(mean, logVariance);
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.ENTROPY, Capability.DETACH);
    }
  };

  /** Items per batch: identical copies, so the batch-mean loss has the one-item gradient. */
  public static final int BATCH = 4;

  private static final double[] MEAN = {0.4, -0.7};
  private static final double[] LOG_VARIANCE = {-0.6, 0.3};

  private GradientTestKit() {}

  /** A 3-dimensional linear-Gaussian problem with 2 latents. */
  public static ConjugateProblem linearGaussian() {
    return ConjugateProblem.linearGaussian(
        new double[][] {{1.0, 0.3}, {-0.5, 0.8}, {0.2, -1.1}},
        new double[] {0.1, 0.0, -0.2},
        0.8,
        new double[] {0.9, -0.4, 0.5});
  }

  /** A 2-latent quadratic objective with a non-diagonal matrix. */
  public static ConjugateProblem quadratic() {
    return ConjugateProblem.quadratic(new double[][] {{2.0, 0.5}, {0.5, 1.0}}, new double[] {1.0, -0.5});
  }

  /** The result of one check. */
  public record Result(double[] analytic, double[] mean, double[] standardError, double z) {
    /** @return the largest |mean − analytic| in standard errors. */
    public double worstZ() {
      double worst = 0;
      for (int i = 0; i < analytic.length; i++) {
        worst = Math.max(worst, Math.abs(mean[i] - analytic[i]) / Math.max(standardError[i], 1e-12));
      }
      return worst;
    }
  }

  /**
   * Runs the check and throws {@link AssertionError} naming the coordinate when the mean gradient is
   * off by more than the tolerance.
   *
   * @param draws {@code R}, independent estimates averaged
   * @param seed seeds the engine's noise
   */
  public static Result check(
      GradientEstimator estimator, GaussianFamily family, ConjugateProblem problem, int draws, long seed) {
    return check(estimator, family, problem, draws, seed, 1.0);
  }

  /**
   * As {@link #check(GradientEstimator, GaussianFamily, ConjugateProblem, int, long)}, for the KL-weighted
   * objective {@code E_q log p(x|t) − β·KL(q ‖ p)}: the estimator is asked for
   * {@code estimate(model, batch, β)}, and the closed form is the ELBO's gradient plus {@code (1 − β)} times
   * the KL's.
   *
   * @param klWeight {@code β}
   */
  public static Result check(GradientEstimator estimator, GaussianFamily family, ConjugateProblem problem, int draws,
      long seed, double klWeight) {
    Result result = measure(estimator, family, problem, draws, seed, klWeight);
    String[] names = coordinateNames(problem.latentDimension());
    for (int i = 0; i < names.length; i++) {
      double off = Math.abs(result.mean[i] - result.analytic[i]);
      if (off > result.z * result.standardError[i] + 1e-6 * (1 + Math.abs(result.analytic[i]))) {
        throw new AssertionError(String.format(
            "%s on the %s problem with the %s family%s: mean gradient of %s is %.5f, the closed form is %.5f;"
                + " off by %.1f standard errors (s.e. %.5f over %d draws), tolerance %.1f",
            estimator.getClass().getSimpleName(), problem.name(), family.name(),
            klWeight == 1.0 ? "" : " at KL weight β = " + klWeight, names[i], result.mean[i],
            result.analytic[i], off / result.standardError[i], result.standardError[i], draws, result.z));
      }
    }
    return result;
  }

  /**
   * Checks a distribution's log-density gradient with respect to its value — what every pathwise
   * estimator backpropagates through a prior or a likelihood written as a plugin — against central finite
   * differences, and that the log-density is finite at every point. Throws {@link AssertionError} naming
   * the point and coordinate that disagree.
   *
   * @param distribution the distribution under test, event size {@code L}
   * @param points row-major {@code n × L} values to check at (away from points where it is not
   *     differentiable)
   * @param tolerance allowed |autograd − finite difference| relative to {@code 1 + |finite difference|}
   *     (the differences are taken in float32, so 1e-2 is a sound choice for step 1e-2)
   */
  public static void checkLogDensityGradient(Distribution distribution, float[] points, double tolerance) {
    int l = (int) distribution.eventSize();
    int n = points.length / l;
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      NDArray at = manager.create(points, new Shape(n, l));
      at.setRequiresGradient(true);
      float[] autograd;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logProb = distribution.logProb(at);
        float[] values = logProb.toFloatArray();
        for (int i = 0; i < values.length; i++) {
          if (!Float.isFinite(values[i])) {
            throw new AssertionError("log-density at point " + i + " is " + values[i]);
          }
        }
        collector.backward(logProb.sum());
        autograd = at.getGradient().toFloatArray();
      }
      double h = 1e-2;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < l; j++) {
          double numeric = (logProbAt(distribution, manager, points, l, i, j, h)
              - logProbAt(distribution, manager, points, l, i, j, -h)) / (2 * h);
          double analytic = autograd[i * l + j];
          if (Math.abs(analytic - numeric) > tolerance * (1 + Math.abs(numeric))) {
            throw new AssertionError(String.format(
                "d log p / d t[%d] at point %d (%s): autograd %.6f, central difference %.6f", j, i,
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(points, i * l, (i + 1) * l)), analytic,
                numeric));
          }
        }
      }
    }
  }

  private static double logProbAt(
      Distribution distribution, NDManager manager, float[] points, int l, int row, int column, double shift) {
    float[] moved = java.util.Arrays.copyOfRange(points, row * l, (row + 1) * l);
    moved[column] += (float) shift;
    try (NDManager scratch = manager.newSubManager()) {
      return distribution.logProb(scratch.create(moved, new Shape(1, l))).toFloatArray()[0];
    }
  }

  /** Draws the estimates and summarizes them, without judging. */
  public static Result measure(
      GradientEstimator estimator, GaussianFamily family, ConjugateProblem problem, int draws, long seed) {
    return measure(estimator, family, problem, draws, seed, 1.0);
  }

  /**
   * Draws the estimates of the KL-weighted objective's gradient ({@code estimate(model, batch, β)}) and
   * summarizes them against its closed form, without judging. With one draw, {@link Result#mean()} is that
   * draw's gradient of the objective (the standard error is then undefined).
   *
   * @param klWeight {@code β}; 1 asks for {@code estimate(model, batch)}
   */
  public static Result measure(GradientEstimator estimator, GaussianFamily family, ConjugateProblem problem,
      int draws, long seed, double klWeight) {
    int l = problem.latentDimension();
    double[] sum = new double[2 * l];
    double[] sumSquares = new double[2 * l];
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Engines.seed(seed);
      NDArray mean = manager.create(toFloat(MEAN)).reshape(1, l);
      NDArray logVariance = manager.create(toFloat(LOG_VARIANCE)).reshape(1, l);
      mean.setRequiresGradient(true);
      logVariance.setRequiresGradient(true);
      LatentVariableModel model = new LatentVariableModel(
          new StandardNormalTestPrior(l), encoder(family, mean, logVariance), problem.likelihood(),
          problem.dataDimension());
      float[] item = problem.item();
      float[] batch = new float[BATCH * item.length];
      for (int b = 0; b < BATCH; b++) {
        System.arraycopy(item, 0, batch, b * item.length, item.length);
      }
      for (int r = 0; r < draws; r++) {
        try (NDManager step = manager.newSubManager()) {
          NDArray x = step.create(batch, new Shape(BATCH, item.length));
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ElboEstimate estimate =
                klWeight == 1.0 ? estimator.estimate(model, x) : estimator.estimate(model, x, klWeight);
            collector.backward(estimate.loss());
          }
          accumulate(mean, 0, sum, sumSquares);
          accumulate(logVariance, l, sum, sumSquares);
        }
      }
    }
    double[] analytic = problem.elboGradient(MEAN, LOG_VARIANCE);
    for (int j = 0; j < l; j++) { // E log p − β·KL = ELBO + (1 − β)·KL
      analytic[j] += (1 - klWeight) * ConjugateProblem.klGradientMean(MEAN[j]);
      analytic[l + j] += (1 - klWeight) * ConjugateProblem.klGradientLogVariance(LOG_VARIANCE[j]);
    }
    double[] average = new double[2 * l];
    double[] se = new double[2 * l];
    for (int i = 0; i < 2 * l; i++) {
      average[i] = sum[i] / draws;
      double variance = (sumSquares[i] - draws * average[i] * average[i]) / (draws - 1);
      se[i] = Math.sqrt(Math.max(variance, 0) / draws);
    }
    double z = 3.5 + Math.log(2 * l) / 2; // about 1e-4 family-wise for 4 coordinates
    return new Result(analytic, average, se, z);
  }

  /** Reads and clears a parameter's gradient; the loss is −ELBO, so the ELBO's gradient is its negative. */
  private static void accumulate(NDArray parameter, int offset, double[] sum, double[] sumSquares) {
    try (NDArray gradient = parameter.getGradient()) {
      float[] g = gradient.toFloatArray();
      for (int j = 0; j < g.length; j++) {
        double elboGradient = -g[j];
        sum[offset + j] += elboGradient;
        sumSquares[offset + j] += elboGradient * elboGradient;
      }
      gradient.muli(0);
    }
  }

  private static VariationalFamily encoder(GaussianFamily family, NDArray mean, NDArray logVariance) {
    return new VariationalFamily() {
      @Override
      public Distribution posterior(NDArray data) {
        NDArray zeros = data.getManager().zeros(new Shape(data.getShape().get(0), mean.getShape().get(1)));
        return family.distribution(zeros.add(mean), zeros.add(logVariance));
      }

      @Override
      public Set<Capability> posteriorCapabilities() {
        return family.capabilities();
      }
    };
  }

  private static String[] coordinateNames(int l) {
    String[] names = new String[2 * l];
    for (int j = 0; j < l; j++) {
      names[j] = "μ[" + j + "]";
      names[l + j] = "log σ²[" + j + "]";
    }
    return names;
  }

  private static float[] toFloat(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
