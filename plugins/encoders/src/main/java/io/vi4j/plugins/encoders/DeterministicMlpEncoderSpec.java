package io.vi4j.plugins.encoders;

import io.vi4j.api.plugin.VariationalFamilySpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.LayerSpec;
import java.util.List;

/**
 * Config of the {@code deterministic-mlp} encoder (a plain autoencoder's).
 *
 * @param hidden hidden layer widths (default {@code [400]})
 * @param activation hidden nonlinearity (default {@code relu})
 * @param network layers from the data item's shape to features, instead of {@code hidden} and {@code activation}; a
 *     linear layer of {@code L} units follows
 */
public record DeterministicMlpEncoderSpec(List<Integer> hidden, ActivationName activation, List<LayerSpec> network)
    implements VariationalFamilySpec {

  /** Fills defaults and validates. */
  public DeterministicMlpEncoderSpec {
    network = Checks.network(network, hidden, activation);
    if (network == null) {
      hidden = Checks.widths("hidden", hidden, List.of(400));
      activation = activation == null ? ActivationName.RELU : activation;
    }
  }

  /** An MLP. */
  public DeterministicMlpEncoderSpec(List<Integer> hidden, ActivationName activation) {
    this(hidden, activation, null);
  }

  /** An encoder of {@code network} (its features go to a linear layer of {@code L} units). */
  public static DeterministicMlpEncoderSpec of(List<LayerSpec> network) {
    return new DeterministicMlpEncoderSpec(null, null, network);
  }
}
