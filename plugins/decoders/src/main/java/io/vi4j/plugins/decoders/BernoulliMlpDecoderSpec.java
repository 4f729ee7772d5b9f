package io.vi4j.plugins.decoders;

import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.api.kit.spec.Checks;
import io.vi4j.api.kit.nn.ActivationName;
import java.util.List;

/**
 * Config of the {@code bernoulli-mlp} decoder.
 *
 * @param hidden hidden layer widths (default {@code [400]})
 * @param activation hidden nonlinearity (default {@code relu})
 */
public record BernoulliMlpDecoderSpec(List<Integer> hidden, ActivationName activation)
    implements LikelihoodSpec {

  /** Fills defaults and validates. */
  public BernoulliMlpDecoderSpec {
    hidden = Checks.widths("hidden", hidden, List.of(400));
    activation = activation == null ? ActivationName.RELU : activation;
  }
}
