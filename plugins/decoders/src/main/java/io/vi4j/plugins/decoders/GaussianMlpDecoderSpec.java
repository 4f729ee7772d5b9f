package io.vi4j.plugins.decoders;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.LayerSpec;
import java.util.List;
import java.util.Locale;

/**
 * Config of the {@code gaussian-mlp} decoder: the mean is an MLP of the latent ({@code hidden},
 * {@code activation}) or any {@code network} of layers; the variance is a second head of it, one shared
 * learned value, a constant, or a second network of the latent ({@code variance_network}, the model's
 * {@code Σ(t) = CNN₂(t)}).
 *
 * @param hidden hidden layer widths (default {@code [400]})
 * @param activation hidden nonlinearity (default {@code relu})
 * @param variance {@code learned}: a per-dimension head σ²(t) (default); {@code shared}: one learned σ²
 *     for every dimension and every t (with no hidden layers, probabilistic PCA's likelihood);
 *     {@code fixed}: σ = {@code sigma}; {@code network}: log σ²(t) is {@code variance_network}'s output
 * @param sigma the fixed standard deviation (default 0.1); only with {@code variance: fixed}
 * @param minSigma floor on the learned σ (default 0.001), so that constant pixels cannot drive the
 *     density to infinity; with {@code variance: learned}, {@code shared} or {@code network}
 * @param network layers from the latent to the data's shape (the mean), instead of {@code hidden} and
 *     {@code activation}; with {@code variance: learned} the last layer gives twice the data's channels
 *     (or values): the means, then the log-variances
 * @param varianceNetwork layers from the latent to the data's shape, giving log σ²(t); only with
 *     {@code variance: network}
 */
public record GaussianMlpDecoderSpec(
    List<Integer> hidden, ActivationName activation, Variance variance, Double sigma, Double minSigma,
    List<LayerSpec> network, List<LayerSpec> varianceNetwork)
    implements LikelihoodSpec {

  /** Fills defaults and validates. */
  public GaussianMlpDecoderSpec {
    network = Checks.network(network, hidden, activation);
    if (network == null) {
      hidden = Checks.widths("hidden", hidden, List.of(400));
      activation = activation == null ? ActivationName.RELU : activation;
    }
    variance = variance == null ? Variance.LEARNED : variance;
    if (variance != Variance.FIXED && sigma != null) {
      throw new IllegalArgumentException("sigma is used only with variance: fixed (variance is "
          + variance.configName() + ")");
    }
    if (variance == Variance.FIXED && minSigma != null) {
      throw new IllegalArgumentException("min_sigma is used only with variance: learned, shared or network"
          + " (variance is fixed)");
    }
    if (variance == Variance.NETWORK && varianceNetwork == null) {
      throw new IllegalArgumentException("variance: network needs variance_network, the layers from the latent to"
          + " the data's shape that give log σ²");
    }
    if (variance != Variance.NETWORK && varianceNetwork != null) {
      throw new IllegalArgumentException("variance_network is used only with variance: network (variance is "
          + variance.configName() + ")");
    }
    if (varianceNetwork != null) {
      if (varianceNetwork.isEmpty() || varianceNetwork.contains(null)) {
        throw new IllegalArgumentException("variance_network must list at least one layer, each with a type");
      }
      varianceNetwork = List.copyOf(varianceNetwork);
    }
    sigma = variance == Variance.FIXED ? Checks.positive("sigma", sigma, 0.1) : null;
    minSigma = variance != Variance.FIXED ? Checks.positive("min_sigma", minSigma, 1e-3) : null;
  }

  /** An MLP decoder. */
  public GaussianMlpDecoderSpec(
      List<Integer> hidden, ActivationName activation, Variance variance, Double sigma, Double minSigma) {
    this(hidden, activation, variance, sigma, minSigma, null, null);
  }

  /** How σ² is obtained. */
  public enum Variance {
    LEARNED,
    SHARED,
    FIXED,
    NETWORK;

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
      throw new IllegalArgumentException("variance must be learned, shared, fixed or network, got '" + text + "'");
    }
  }
}
