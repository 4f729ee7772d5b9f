package io.vi4j.plugins.mixtures;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.api.plugin.BaselineSpec;
import io.vi4j.api.kit.spec.Checks;
import java.util.Locale;

/**
 * Config of the {@code gmm} baseline, a Gaussian mixture fitted by EM.
 *
 * @param components the number of components {@code K} (default 10, at least 1)
 * @param covariance {@code diagonal} (default) or {@code full} covariance matrices
 * @param restarts independent EM runs from different k-means++ seeds (default 3, at least 1); the run with
 *     the best final mean training log-likelihood is kept
 * @param maxIterations the most EM iterations per restart (default 100, at least 1)
 * @param tolerance EM stops when the mean training log-likelihood per item (nats) improves by less than
 *     this (default 1e-4, positive)
 * @param covarianceFloor the least variance (diagonal) or covariance eigenvalue (full) an M-step may
 *     produce, so that covariances stay positive definite on degenerate data such as constant pixels
 *     (default 1e-3, positive). It is a lower bound, not an added constant: a bound keeps every M-step
 *     exact on the constrained set, so EM never lowers the training log-likelihood
 * @param batchSize items per E-step chunk (default 4096, at least 1)
 */
public record GaussianMixtureSpec(
    Integer components,
    Covariance covariance,
    Integer restarts,
    Integer maxIterations,
    Double tolerance,
    Double covarianceFloor,
    Integer batchSize)
    implements BaselineSpec {

  /** Fills defaults and validates. */
  public GaussianMixtureSpec {
    components = Checks.atLeast("components", components, 10, 1);
    covariance = covariance == null ? Covariance.DIAGONAL : covariance;
    restarts = Checks.atLeast("restarts", restarts, 3, 1);
    maxIterations = Checks.atLeast("max_iterations", maxIterations, 100, 1);
    tolerance = Checks.positive("tolerance", tolerance, 1e-4);
    covarianceFloor = Checks.positive("covariance_floor", covarianceFloor, 1e-3);
    batchSize = Checks.atLeast("batch_size", batchSize, 4096, 1);
  }

  /** @return a spec with every default. */
  public static GaussianMixtureSpec defaults() {
    return new GaussianMixtureSpec(null, null, null, null, null, null, null);
  }

  /** @return a spec with {@code K} components and the given covariance form, other fields defaulted. */
  public static GaussianMixtureSpec of(int components, Covariance covariance) {
    return new GaussianMixtureSpec(components, covariance, null, null, null, null, null);
  }

  /** The form of each component's covariance matrix. */
  public enum Covariance {
    /** {@code Σ_k = diag(σ²_k)}: {@code D} variances per component. */
    DIAGONAL,
    /** A full symmetric positive definite {@code D × D} matrix per component. */
    FULL;

    /** @return the config spelling. */
    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code diagonal} or {@code full}. */
    @JsonCreator
    public static Covariance parse(String text) {
      for (Covariance c : values()) {
        if (c.configName().equals(text)) {
          return c;
        }
      }
      throw new IllegalArgumentException("covariance must be diagonal or full, got '" + text + "'");
    }
  }
}
