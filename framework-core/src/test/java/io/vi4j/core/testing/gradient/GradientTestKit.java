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
 * Checks that an estimator's gradient with respect to the variational parameters is unbiased: over
 * {@code R} independent draws (fixed seed) the mean of each coordinate of the estimate must lie within
 * {@code z} standard errors (computed from the same draws) of a reference gradient on a
 * {@link ConjugateProblem}. {@code z} is Bonferroni-corrected for the number of coordinates so that a
 * correct estimator fails with probability about 1e-4 per check.
 *
 * <ul>
 *   <li>{@link #check}: the reference is the closed-form gradient of the ELBO.
 *   <li>{@link #checkImportanceWeighted}: the reference is the gradient of the {@code k}-sample
 *       importance-weighted bound {@code L_k} (Burda et al. 2016), which has no closed form; see
 *       {@link #importanceWeightedGradient} for how it is computed and how precise it is.
 * </ul>
 *
 * <pre>{@code
 * GradientTestKit.check(myEstimator, GradientTestKit.DIAGONAL_GAUSSIAN, GradientTestKit.linearGaussian(), 2000, 7);
 * GradientTestKit.checkImportanceWeighted(myIwae, GradientTestKit.DIAGONAL_GAUSSIAN, GradientTestKit.quadratic(), 5, 1000, 7);
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

  /**
   * The result of one check.
   *
   * @param analytic the reference gradient {@code [μ_1..L, v_1..L]} (of the ELBO or of {@code L_k})
   * @param mean the estimator's mean gradient over the draws
   * @param standardError the standard error of {@code mean}
   * @param z the tolerance in combined standard errors
   * @param referenceError the reference's own standard error: zero for a closed form, the Monte-Carlo
   *     error of {@link #importanceWeightedGradient} otherwise; the tolerance is
   *     {@code z·sqrt(standardError² + referenceError²)}
   */
  public record Result(double[] analytic, double[] mean, double[] standardError, double z, double[] referenceError) {
    /** A result against a closed form (no reference error). */
    public Result(double[] analytic, double[] mean, double[] standardError, double z) {
      this(analytic, mean, standardError, z, new double[analytic.length]);
    }

    /** @return the combined standard error of {@code mean − analytic} in coordinate {@code i}. */
    public double combinedError(int i) {
      return Math.hypot(standardError[i], referenceError[i]);
    }

    /** @return the largest |mean − analytic| in combined standard errors. */
    public double worstZ() {
      double worst = 0;
      for (int i = 0; i < analytic.length; i++) {
        worst = Math.max(worst, Math.abs(mean[i] - analytic[i]) / Math.max(combinedError(i), 1e-12));
      }
      return worst;
    }
  }

  /**
   * A Monte-Carlo reference gradient.
   *
   * @param gradient {@code [∂/∂μ_1..L, ∂/∂v_1..L]}
   * @param standardError its standard error per coordinate
   * @param sets how many sets of {@code k} draws it averaged
   */
  public record Reference(double[] gradient, double[] standardError, long sets) {}

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
    return judge(measure(estimator, family, problem, draws, seed, klWeight), estimator, family, problem, draws,
        klWeight == 1.0 ? "the closed form" : "the closed form at KL weight β = " + klWeight);
  }

  /**
   * Checks an estimator of the gradient of the {@code k}-sample importance-weighted bound
   * {@code L_k = E log (1/k) Σ_j p(x, t_j)/q(t_j)}, {@code t_j ~ q} (Burda, Grosse &amp; Salakhutdinov 2016)
   * against {@link #importanceWeightedGradient}, made precise enough that its error is at most a tenth of
   * the estimator's standard error in every coordinate; throws {@link AssertionError} naming the coordinate
   * when the mean gradient is off by more than the tolerance. At {@code k = 1} the bound is the ELBO and
   * this is {@link #check} (the same reference, to rounding).
   *
   * @param k the number of importance samples of the bound (the estimator's own setting)
   * @param draws {@code R}, independent estimates averaged
   * @param seed seeds the engine's noise; the reference's noise is seeded from it too
   */
  public static Result checkImportanceWeighted(
      GradientEstimator estimator, GaussianFamily family, ConjugateProblem problem, int k, int draws, long seed) {
    return judge(measureImportanceWeighted(estimator, family, problem, k, draws, seed), estimator, family, problem,
        draws, "the gradient of L_" + k);
  }

  /** Draws the estimates and compares them with the bound's gradient, without judging. */
  public static Result measureImportanceWeighted(
      GradientEstimator estimator, GaussianFamily family, ConjugateProblem problem, int k, int draws, long seed) {
    Result estimated = measure(estimator, family, problem, draws, seed);
    double[] target = new double[estimated.standardError.length];
    for (int i = 0; i < target.length; i++) {
      target[i] = REFERENCE_PRECISION * estimated.standardError[i];
    }
    Reference reference = importanceWeightedGradient(problem, MEAN, LOG_VARIANCE, k, target, seed ^ REFERENCE_STREAM);
    return new Result(reference.gradient(), estimated.mean, estimated.standardError, estimated.z,
        reference.standardError());
  }

  /** The reference's standard error is driven below this fraction of the estimator's. */
  static final double REFERENCE_PRECISION = 0.1;

  /** The fewest and the most sets of {@code k} draws the reference averages. */
  static final long MIN_REFERENCE_SETS = 1 << 16;
  static final long MAX_REFERENCE_SETS = 1 << 22;

  /** Makes the reference's noise independent of the engine's for the same seed. */
  private static final long REFERENCE_STREAM = 0x9E3779B97F4A7C15L;

  private static Result judge(
      Result result, GradientEstimator estimator, GaussianFamily family, ConjugateProblem problem, int draws,
      String reference) {
    String[] names = coordinateNames(problem.latentDimension());
    for (int i = 0; i < names.length; i++) {
      double off = Math.abs(result.mean[i] - result.analytic[i]);
      double error = result.combinedError(i);
      if (off > result.z * error + 1e-6 * (1 + Math.abs(result.analytic[i]))) {
        throw new AssertionError(String.format(
            "%s on the %s problem with the %s family: mean gradient of %s is %.5f, %s is %.5f;"
                + " off by %.1f standard errors (s.e. %.5f over %d draws%s), tolerance %.1f",
            estimator.getClass().getSimpleName(), problem.name(), family.name(), names[i], result.mean[i],
            reference, result.analytic[i], off / error, result.standardError[i], draws,
            result.referenceError[i] > 0 ? String.format(", reference's s.e. %.5f", result.referenceError[i]) : "",
            result.z));
      }
    }
    return result;
  }

  /**
   * The gradient of the {@code k}-sample importance-weighted bound {@code L_k(μ, v) = E log (1/k) Σ_j w_j},
   * {@code w_j = p(x | t_j) N(t_j; 0, I) / q(t_j)}, {@code t_j = μ + e^{v/2} ε_j}, with respect to
   * {@code q = N(μ, diag e^v)}'s parameters, computed on the host in double precision.
   *
   * <p>No closed form exists for {@code k > 1}, and quadrature over the {@code k·L} noise dimensions is out
   * of reach, so it is a Monte-Carlo average over independent sets of {@code k} draws of
   * <ul>
   *   <li>{@code Y = Σ_j w̃_j² (∂log w_j/∂t_j)|_q fixed · ∂t_j/∂(μ, v)}, {@code w̃ = w / Σ w}: the doubly
   *       reparameterized form of {@code ∇L_k} (Tucker, Lawson, Gu &amp; Maddison 2018), unbiased for any
   *       reparameterizable {@code q} and of far lower variance than the plain {@code Σ_j w̃_j ∇ log w_j}
   *       (a sixth to a half of its standard deviation at {@code k = 5} on the kit's problems); that the
   *       plain form agrees with it is tested on its own ({@code ImportanceWeightedReferenceTest});
   *   <li>less {@code β(X − ∇ELBO)}, a control variate from common random numbers: {@code X = (1/k) Σ_j
   *       (∂log w_j/∂t_j)|_q fixed · ∂t_j/∂(μ, v)} is the path-derivative estimate of the ELBO's gradient at
   *       the same draws, whose mean is the closed form {@link ConjugateProblem#elboGradient}; {@code β}
   *       is fitted per coordinate by least squares (a bias of order {@code 1/n}). At {@code k = 1},
   *       {@code Y = X}, {@code β = 1} and the reference is the closed form (to rounding) with zero error.
   * </ul>
   *
   * <p>Precision: its standard error {@code sqrt(Var(Y − βX)/n)} is estimated from the same draws, and
   * {@code n} doubles from {@code 2^16} until it is at most {@code targetError} in every coordinate or
   * {@code n} reaches {@code 2^22}. The checks ask for a tenth of the estimator's standard error and add
   * the two in quadrature, so once the target is met the reference's error widens the tolerance by at most
   * 0.5 %; were the cap reached first, the check would stay sound (the larger error is in the tolerance)
   * and only lose power.
   *
   * @param mean {@code μ}, length {@code L}
   * @param logVariance {@code v}, length {@code L}
   * @param k importance samples, at least 1
   * @param targetError length {@code 2L}: the standard error to reach per coordinate
   * @param seed the host generator's seed
   */
  public static Reference importanceWeightedGradient(
      ConjugateProblem problem, double[] mean, double[] logVariance, int k, double[] targetError, long seed) {
    int l = problem.latentDimension();
    double[] exact = problem.elboGradient(mean, logVariance);
    double[] sigma = new double[l];
    for (int i = 0; i < l; i++) {
      sigma[i] = Math.exp(logVariance[i] / 2);
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    double[][] noise = new double[k][l];
    double[][] path = new double[k][l];
    double[] latent = new double[l];
    double[] logWeight = new double[k];
    double[] y = new double[2 * l];
    double[] x = new double[2 * l];
    // Sums of Y, X, Y², X², XY per coordinate.
    double[] sy = new double[2 * l];
    double[] sx = new double[2 * l];
    double[] syy = new double[2 * l];
    double[] sxx = new double[2 * l];
    double[] sxy = new double[2 * l];
    long n = 0;
    long next = MIN_REFERENCE_SETS;
    double[] gradient = new double[2 * l];
    double[] error = new double[2 * l];
    while (true) {
      for (; n < next; n++) {
        double largest = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          double squares = 0;
          for (int i = 0; i < l; i++) {
            noise[j][i] = random.nextGaussian();
            latent[i] = mean[i] + sigma[i] * noise[j][i];
            squares += noise[j][i] * noise[j][i] - latent[i] * latent[i];
          }
          // log w up to a constant: log p(x | t) + log N(t; 0, I) − log q(t), with (t − μ)/σ = ε.
          logWeight[j] = problem.logLikelihood(latent, path[j]) + squares / 2;
          for (int i = 0; i < l; i++) {
            // ∂/∂t [log p(x | t) + log N(t; 0, I) − log q(t)] with q's parameters fixed
            path[j][i] += -latent[i] + noise[j][i] / sigma[i];
          }
          largest = Math.max(largest, logWeight[j]);
        }
        double total = 0;
        for (int j = 0; j < k; j++) {
          logWeight[j] = Math.exp(logWeight[j] - largest);
          total += logWeight[j];
        }
        java.util.Arrays.fill(y, 0);
        java.util.Arrays.fill(x, 0);
        for (int j = 0; j < k; j++) {
          double w = logWeight[j] / total;
          for (int i = 0; i < l; i++) {
            double dt = path[j][i];
            double dtdv = 0.5 * sigma[i] * noise[j][i]; // ∂t/∂v
            y[i] += w * w * dt;
            y[l + i] += w * w * dt * dtdv;
            x[i] += dt / k;
            x[l + i] += dt * dtdv / k;
          }
        }
        for (int i = 0; i < 2 * l; i++) {
          sy[i] += y[i];
          sx[i] += x[i];
          syy[i] += y[i] * y[i];
          sxx[i] += x[i] * x[i];
          sxy[i] += x[i] * y[i];
        }
      }
      boolean precise = true;
      for (int i = 0; i < 2 * l; i++) {
        double my = sy[i] / n;
        double mx = sx[i] / n;
        double vyy = (syy[i] - n * my * my) / (n - 1);
        double vxx = (sxx[i] - n * mx * mx) / (n - 1);
        double vxy = (sxy[i] - n * mx * my) / (n - 1);
        double beta = vxx > 0 ? vxy / vxx : 0;
        gradient[i] = my - beta * (mx - exact[i]);
        error[i] = Math.sqrt(Math.max(vyy - beta * vxy, 0) / n);
        precise &= error[i] <= targetError[i];
      }
      if (precise || n >= MAX_REFERENCE_SETS) {
        return new Reference(gradient, error, n);
      }
      next = 2 * n;
    }
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
