package io.vi4j.plugins.factorized;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.BaselineModel;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.FitReport;
import java.util.List;
import java.util.Objects;

/**
 * The fully factorized Bernoulli model {@code p(x) = Π_d p_d^{x_d} (1 − p_d)^{1 − x_d}}, fitted by maximum
 * likelihood: {@code p_d} is the mean of {@code x_d} over the training items, clamped to
 * {@code [ε, 1 − ε]}. The log-likelihood {@code Σ_d x_d log p_d + (1 − x_d) log(1 − p_d)} is also defined
 * for soft targets in {@code [0, 1]} (grey levels), for which the same {@code p_d} is the maximizer.
 *
 * <p>The fitted arrays live in a sub-manager of the manager given to {@link #fit} (a new fit closes the
 * previous one's); results go to the argument's manager and temporaries are freed.
 */
public final class FactorizedBernoulli implements BaselineModel {
  private final FactorizedBernoulliSpec spec;

  private double[] probabilities;
  private NDManager fitted;
  private NDArray logOddsNd;
  private NDArray probabilityNd;
  private double logNotSum;

  /** @param spec the clamping ε */
  public FactorizedBernoulli(FactorizedBernoulliSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  /** @return the configuration. */
  public FactorizedBernoulliSpec spec() {
    return spec;
  }

  @Override
  public DataKind dataKind() {
    return DataKind.BINARY;
  }

  /**
   * Sets {@code p_d} to the clamped column means, accumulated on the device in float64.
   *
   * @param train {@code N × D} items, values in {@code [0, 1]}
   * @param seed unused (the fit is exact)
   * @return 0 iterations, converged, the mean training log-likelihood and an empty trace
   */
  @Override
  public FitReport fit(Dataset train, NDManager manager, long seed) {
    double[] mean = ColumnMoments.mean(train, manager);
    int d = mean.length;
    double eps = spec.epsilon();
    double[] p = new double[d];
    double[] logOdds = new double[d];
    double logNot = 0;
    double trainLl = 0;
    for (int i = 0; i < d; i++) {
      p[i] = Math.min(1 - eps, Math.max(eps, mean[i]));
      double logP = Math.log(p[i]);
      double log1mP = Math.log1p(-p[i]);
      logOdds[i] = logP - log1mP;
      logNot += log1mP;
      trainLl += mean[i] * logP + (1 - mean[i]) * log1mP;
    }
    if (fitted != null) {
      fitted.close();
    }
    fitted = manager.newSubManager();
    logOddsNd = fitted.create(logOdds);
    probabilityNd = fitted.create(p).toType(DataType.FLOAT32, false);
    probabilities = p;
    logNotSum = logNot;
    return new FitReport(0, true, trainLl, List.of());
  }

  /**
   * @param data shape {@code (B, D)}, values in {@code [0, 1]}
   * @return shape {@code (B)}, float64, nats, on {@code data}'s manager:
   *     {@code Σ_d x_d log p_d + (1 − x_d) log(1 − p_d) = x · logit(p) + Σ_d log(1 − p_d)}
   */
  @Override
  public NDArray logLikelihood(NDArray data) {
    requireFitted();
    requireBatch(data);
    NDManager home = data.getManager();
    try (NDManager scratch = home.newSubManager()) {
      NDArray x = data.toType(DataType.FLOAT64, true);
      x.attach(scratch);
      NDArray result = x.mul(logOddsNd).sum(new int[] {1}).add(logNotSum);
      result.attach(home);
      return result;
    }
  }

  /**
   * Independent Bernoulli draws from the engine's random stream.
   *
   * @return shape {@code (count, D)}, float32 values in {0, 1}, on {@code manager}
   */
  @Override
  public NDArray sample(int count, NDManager manager) {
    requireFitted();
    if (count < 0) {
      throw new IllegalArgumentException("count must be at least 0, got " + count);
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray x = scratch.randomUniform(0f, 1f, new Shape(count, probabilities.length))
          .lt(probabilityNd)
          .toType(DataType.FLOAT32, false);
      x.attach(manager);
      return x;
    }
  }

  /** @return {@code D}. */
  @Override
  public long parameterCount() {
    requireFitted();
    return probabilities.length;
  }

  /** @return a copy of the fitted {@code p_d}, length {@code D}. */
  public double[] probabilities() {
    requireFitted();
    return probabilities.clone();
  }

  private void requireFitted() {
    if (fitted == null) {
      throw new IllegalStateException("factorized-bernoulli is not fitted yet; call fit first");
    }
  }

  private void requireBatch(NDArray data) {
    Shape shape = data.getShape();
    if (shape.dimension() != 2 || shape.get(1) != probabilities.length) {
      throw new IllegalArgumentException(
          "factorized-bernoulli expects items of shape (B, " + probabilities.length + "), got " + shape);
    }
  }
}
