package io.vi4j.plugins.decoders;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code bernoulli-mlp} and {@code gaussian-mlp} likelihoods. */
public final class DecodersPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.LIKELIHOOD,
        "bernoulli-mlp",
        ComponentFactory.of(
            BernoulliMlpDecoderSpec.class,
            (spec, c) -> new BernoulliMlpDecoder(c.manager(), c.latentDimension(), c.shape(), spec)));
    register(
        ComponentKind.LIKELIHOOD,
        "gaussian-mlp",
        ComponentFactory.of(
            GaussianMlpDecoderSpec.class,
            (spec, c) -> new GaussianMlpDecoder(c.manager(), c.latentDimension(), c.shape(), spec)));
    register(
        ComponentKind.LIKELIHOOD,
        "mixed-mlp",
        ComponentFactory.of(
            MixedMlpDecoderSpec.class,
            (spec, c) -> new MixedMlpDecoder(c.manager(), c.latentDimension(), c.dataDimension(),
                spec.withColumnsOf(c.table()))));
  }
}
