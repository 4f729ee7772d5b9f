package io.vi4j.plugins.encoders;

import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.LayerSpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.plugin.VariationalFamilySpec;
import java.util.List;

/**
 * Config of the {@code full-covariance-mlp} encoder: an MLP ({@code hidden}, {@code activation}), or any
 * {@code network} of layers whose features go to one linear layer of {@code 2L + L(L−1)/2} units: μ, the
 * log of the Cholesky factor's diagonal and its strictly lower triangle.
 *
 * @param hidden hidden layer widths (default {@code [400]}); each at least 1
 * @param activation hidden nonlinearity (default {@code relu})
 * @param network layers from the data item's shape to features, instead of {@code hidden} and
 *     {@code activation}
 */
public record FullCovarianceMlpEncoderSpec(List<Integer> hidden, ActivationName activation, List<LayerSpec> network)
    implements VariationalFamilySpec {

  /** Fills defaults and validates. */
  public FullCovarianceMlpEncoderSpec {
    network = Checks.network(network, hidden, activation);
    if (network == null) {
      hidden = Checks.widths("hidden", hidden, List.of(400));
      activation = activation == null ? ActivationName.RELU : activation;
    }
  }

  /** An MLP encoder. */
  public FullCovarianceMlpEncoderSpec(List<Integer> hidden, ActivationName activation) {
    this(hidden, activation, null);
  }
}
