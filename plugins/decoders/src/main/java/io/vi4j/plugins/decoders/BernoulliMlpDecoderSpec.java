package io.vi4j.plugins.decoders;

import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.LayerSpec;
import java.util.List;

/**
 * Config of the {@code bernoulli-mlp} decoder.
 *
 * @param hidden hidden layer widths (default {@code [400]})
 * @param activation hidden nonlinearity (default {@code relu})
 * @param network layers from the latent ({@code L}) to the data item's shape (the logits), instead of
 *     {@code hidden} and {@code activation}; the last layer must give the data's shape
 */
public record BernoulliMlpDecoderSpec(List<Integer> hidden, ActivationName activation, List<LayerSpec> network)
    implements LikelihoodSpec {

  /** Fills defaults and validates. */
  public BernoulliMlpDecoderSpec {
    network = Checks.network(network, hidden, activation);
    if (network == null) {
      hidden = Checks.widths("hidden", hidden, List.of(400));
      activation = activation == null ? ActivationName.RELU : activation;
    }
  }

  /** An MLP. */
  public BernoulliMlpDecoderSpec(List<Integer> hidden, ActivationName activation) {
    this(hidden, activation, null);
  }

  /** A decoder of {@code network}, whose last layer gives the data's shape. */
  public static BernoulliMlpDecoderSpec of(List<LayerSpec> network) {
    return new BernoulliMlpDecoderSpec(null, null, network);
  }
}
