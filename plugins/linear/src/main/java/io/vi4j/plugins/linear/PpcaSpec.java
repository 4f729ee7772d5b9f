package io.vi4j.plugins.linear;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.api.plugin.BaselineSpec;
import io.vi4j.api.kit.spec.Checks;
import java.util.Locale;

/**
 * Config of the {@code ppca} baseline: probabilistic PCA (Tipping &amp; Bishop 1999).
 *
 * <p>The closed form does not depend on the seed (its eigen-solver starts from a fixed block); EM draws
 * its initial {@code W} from the seed.
 *
 * @param latentDim {@code q}, the number of principal directions kept (default 20, at least 1, and below
 *     the data dimension {@code D}, which is checked when fitting)
 * @param method {@code closed-form} (default): the maximum-likelihood solution from the eigen-decomposition
 *     of the sample covariance; {@code em}: Tipping &amp; Bishop's EM in its sample-covariance form
 * @param maxIterations EM iterations at most (default 200). With {@code method: em}, the EM of complete
 *     data; with either method, the EM that fits training data with missing cells (NaN), which starts from
 *     the closed form on the mean-filled data. Unset with {@code closed-form}, it stays null and a fit with
 *     missing cells uses the default
 * @param tolerance EM stops when the mean training log-likelihood per item changes by less than this many
 *     nats in one iteration (default 1e-5); with missing cells the change is relative: less than {@code
 *     tolerance · max(1, |ℓ|)} of the mean observed-data log-likelihood {@code ℓ}. Unset with {@code
 *     closed-form}, it stays null and a fit with missing cells uses the default
 * @param varianceFloor lower bound on the noise variance σ² (default 1e-6), so that data lying in a
 *     {@code q}-dimensional subspace does not make the density infinite
 */
public record PpcaSpec(
    Integer latentDim, Method method, Integer maxIterations, Double tolerance, Double varianceFloor)
    implements BaselineSpec {

  /** Fills defaults and validates. */
  public PpcaSpec {
    latentDim = Checks.atLeast("latent_dim", latentDim, 20, 1);
    method = method == null ? Method.CLOSED_FORM : method;
    // With closed-form they serve only a fit to data with missing cells (EM), so they stay unset unless given.
    maxIterations = method == Method.EM || maxIterations != null
        ? Checks.atLeast("max_iterations", maxIterations, DEFAULT_MAX_ITERATIONS, 1)
        : null;
    tolerance = method == Method.EM || tolerance != null
        ? Checks.positive("tolerance", tolerance, DEFAULT_TOLERANCE)
        : null;
    varianceFloor = Checks.positive("variance_floor", varianceFloor, 1e-6);
  }

  /** EM iterations at most when {@code max_iterations} is unset. */
  public static final int DEFAULT_MAX_ITERATIONS = 200;

  /** EM's stopping tolerance when {@code tolerance} is unset. */
  public static final double DEFAULT_TOLERANCE = 1e-5;

  /** @return the defaults: {@code q = 20}, closed form. */
  public static PpcaSpec defaults() {
    return new PpcaSpec(null, null, null, null, null);
  }

  /** How the maximum-likelihood parameters are found. */
  public enum Method {
    /** Eigen-decomposition of the sample covariance (Tipping &amp; Bishop 1999, section 3.2). */
    CLOSED_FORM,
    /** EM (Tipping &amp; Bishop 1999, section 4.2 and appendix B), each step {@code O(D²q)}. */
    EM;

    /** @return the config spelling: {@code closed-form} or {@code em}. */
    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code closed-form} or {@code em}. */
    @JsonCreator
    public static Method parse(String text) {
      for (Method m : values()) {
        if (m.configName().equals(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException("method must be closed-form or em, got '" + text + "'");
    }
  }
}
