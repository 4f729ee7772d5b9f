package io.vi4j.plugins.autoregressive;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.DensitySpec;
import java.util.List;
import java.util.Locale;

/**
 * The config of a MADE ({@code density: {type: made}}).
 *
 * @param hidden the hidden layers' widths (default {@code [500]}, Germain et al.'s one-layer setting); a
 *     layer narrower than {@code D − 1} leaves some conditionals without hidden units (they keep their bias)
 * @param activation the hidden nonlinearity (default {@code relu})
 * @param likelihood each conditional {@code p(x_d | x_<d)}: {@code bernoulli} (a mass on {0, 1}, for
 *     binarized data; the default) or {@code gaussian} (a density on reals, for dequantized data)
 * @param minSigma with {@code gaussian}: the floor on each conditional's σ (default 0.001)
 * @param maskSeed seeds the hidden units' degrees, which fix the connectivity (default 0)
 */
public record MadeSpec(
    List<Integer> hidden, ActivationName activation, Likelihood likelihood, Double minSigma, Long maskSeed)
    implements DensitySpec {

  /** The family of each conditional. */
  public enum Likelihood {
    /** {@code Bernoulli(σ(logit_d(x_<d)))}. */
    BERNOULLI,
    /** {@code N(μ_d(x_<d), σ_d²(x_<d))}. */
    GAUSSIAN;

    /** @return the config spelling. */
    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code bernoulli} or {@code gaussian}. */
    @JsonCreator
    public static Likelihood parse(String text) {
      for (Likelihood l : values()) {
        if (l.configName().equals(text)) {
          return l;
        }
      }
      throw new IllegalArgumentException("likelihood must be bernoulli or gaussian, got '" + text + "'");
    }
  }

  /** Fills defaults and validates. */
  public MadeSpec {
    hidden = Checks.widths("hidden", hidden, List.of(500));
    activation = activation == null ? ActivationName.RELU : activation;
    likelihood = likelihood == null ? Likelihood.BERNOULLI : likelihood;
    if (likelihood == Likelihood.BERNOULLI && minSigma != null) {
      throw new IllegalArgumentException("min_sigma is used only with likelihood: gaussian");
    }
    minSigma = likelihood == Likelihood.GAUSSIAN ? Checks.positive("min_sigma", minSigma, 1e-3) : null;
    maskSeed = maskSeed == null ? 0L : maskSeed;
  }

  /** @return a Bernoulli MADE with one hidden layer of {@code width} units. */
  public static MadeSpec bernoulli(int width) {
    return new MadeSpec(List.of(width), null, Likelihood.BERNOULLI, null, null);
  }

  /** @return a Gaussian MADE with one hidden layer of {@code width} units. */
  public static MadeSpec gaussian(int width) {
    return new MadeSpec(List.of(width), null, Likelihood.GAUSSIAN, null, null);
  }
}
