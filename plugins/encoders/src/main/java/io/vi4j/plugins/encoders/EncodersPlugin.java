package io.vi4j.plugins.encoders;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code gaussian-mlp} variational family and the {@code deterministic-mlp} encoder. */
public final class EncodersPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.VARIATIONAL_FAMILY,
        "gaussian-mlp",
        ComponentFactory.of(
            GaussianMlpEncoderSpec.class,
            (spec, c) -> new GaussianMlpEncoder(c.manager(), c.shape(), c.latentDimension(), spec)));
    register(
        ComponentKind.VARIATIONAL_FAMILY,
        "deterministic-mlp",
        ComponentFactory.of(
            DeterministicMlpEncoderSpec.class,
            (spec, c) -> new DeterministicMlpEncoder(c.manager(), c.shape(), c.latentDimension(), spec)));
  }
}
