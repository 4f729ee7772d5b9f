package io.vi4j.plugins.encoders;

import io.vi4j.api.plugin.VariationalFamilySpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.kit.nn.ActivationName;
import java.util.List;

/**
 * Config of the {@code gaussian-mlp} encoder.
 *
 * @param hidden hidden layer widths (default {@code [400]}); each at least 1
 * @param activation hidden nonlinearity (default {@code relu})
 */
public record GaussianMlpEncoderSpec(List<Integer> hidden, ActivationName activation)
    implements VariationalFamilySpec {

  /** Fills defaults and validates. */
  public GaussianMlpEncoderSpec {
    hidden = Checks.widths("hidden", hidden, List.of(400));
    activation = activation == null ? ActivationName.RELU : activation;
  }
}
