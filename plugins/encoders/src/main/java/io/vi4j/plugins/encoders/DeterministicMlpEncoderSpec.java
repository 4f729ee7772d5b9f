package io.vi4j.plugins.encoders;

import io.vi4j.api.plugin.VariationalFamilySpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.kit.nn.ActivationName;
import java.util.List;

/**
 * Config of the {@code deterministic-mlp} encoder (a plain autoencoder's).
 *
 * @param hidden hidden layer widths (default {@code [400]})
 * @param activation hidden nonlinearity (default {@code relu})
 */
public record DeterministicMlpEncoderSpec(List<Integer> hidden, ActivationName activation)
    implements VariationalFamilySpec {

  /** Fills defaults and validates. */
  public DeterministicMlpEncoderSpec {
    hidden = Checks.widths("hidden", hidden, List.of(400));
    activation = activation == null ? ActivationName.RELU : activation;
  }
}
