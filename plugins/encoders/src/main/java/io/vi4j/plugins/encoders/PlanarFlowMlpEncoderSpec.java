package io.vi4j.plugins.encoders;

import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.LayerSpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.VariationalFamilySpec;
import java.util.List;

/**
 * Config of the {@code planar-flow-mlp} encoder: an MLP ({@code hidden}, {@code activation}), or any
 * {@code network} of layers, whose last linear layer of {@code 2L + F(2L + 1)} units gives the base
 * Gaussian's μ and log σ² and each planar transform's {@code u}, {@code w} and {@code b}.
 *
 * @param hidden hidden layer widths (default {@code [400]}); each at least 1
 * @param activation hidden nonlinearity (default {@code relu})
 * @param network layers from the data item's shape to features, instead of {@code hidden} and
 *     {@code activation}
 * @param flowLength {@code flow_length}, the number {@code F} of planar transforms (default 4); at least 1
 */
public record PlanarFlowMlpEncoderSpec(
    List<Integer> hidden, ActivationName activation, List<LayerSpec> network, Integer flowLength)
    implements VariationalFamilySpec {

  /** Fills defaults and validates. */
  public PlanarFlowMlpEncoderSpec {
    network = Checks.network(network, hidden, activation);
    if (network == null) {
      hidden = Checks.widths("hidden", hidden, List.of(400));
      activation = activation == null ? ActivationName.RELU : activation;
    }
    flowLength = Checks.atLeast("flow_length", flowLength, 4, 1);
  }

  /** An MLP encoder with {@code flowLength} transforms. */
  public PlanarFlowMlpEncoderSpec(List<Integer> hidden, ActivationName activation, Integer flowLength) {
    this(hidden, activation, null, flowLength);
  }
}
