package io.vi4j.plugins.decoders;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.kit.nn.ActivationName;
import java.util.List;
import java.util.Locale;

/**
 * Config of the {@code gaussian-mlp} decoder.
 *
 * @param hidden hidden layer widths (default {@code [400]})
 * @param activation hidden nonlinearity (default {@code relu})
 * @param variance {@code learned}: a per-dimension head σ²(t) (default); {@code shared}: one learned σ²
 *     for every dimension and every t (with no hidden layers, probabilistic PCA's likelihood);
 *     {@code fixed}: σ = {@code sigma}
 * @param sigma the fixed standard deviation (default 0.1); only with {@code variance: fixed}
 * @param minSigma floor on the learned σ (default 0.001), so that constant pixels cannot drive the
 *     density to infinity; with {@code variance: learned} or {@code shared}
 */
public record GaussianMlpDecoderSpec(
    List<Integer> hidden, ActivationName activation, Variance variance, Double sigma, Double minSigma)
    implements LikelihoodSpec {

  /** Fills defaults and validates. */
  public GaussianMlpDecoderSpec {
    hidden = Checks.widths("hidden", hidden, List.of(400));
    activation = activation == null ? ActivationName.RELU : activation;
    variance = variance == null ? Variance.LEARNED : variance;
    if (variance == Variance.LEARNED && sigma != null) {
      throw new IllegalArgumentException("sigma is used only with variance: fixed (variance is learned)");
    }
    if (variance == Variance.SHARED && sigma != null) {
      throw new IllegalArgumentException("sigma is used only with variance: fixed (variance is shared and learned)");
    }
    if (variance == Variance.FIXED && minSigma != null) {
      throw new IllegalArgumentException("min_sigma is used only with variance: learned or shared (variance is fixed)");
    }
    sigma = variance == Variance.FIXED ? Checks.positive("sigma", sigma, 0.1) : null;
    minSigma = variance != Variance.FIXED ? Checks.positive("min_sigma", minSigma, 1e-3) : null;
  }

  /** How σ² is obtained. */
  public enum Variance {
    LEARNED,
    SHARED,
    FIXED;

    /** @return the config spelling. */
    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code learned} or {@code fixed}. */
    @JsonCreator
    public static Variance parse(String text) {
      for (Variance v : values()) {
        if (v.configName().equals(text)) {
          return v;
        }
      }
      throw new IllegalArgumentException("variance must be learned, shared or fixed, got '" + text + "'");
    }
  }
}
