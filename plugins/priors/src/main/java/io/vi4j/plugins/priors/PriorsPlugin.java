package io.vi4j.plugins.priors;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code standard-normal} and {@code mixture} priors. */
public final class PriorsPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.PRIOR,
        "standard-normal",
        ComponentFactory.of(
            StandardNormalPriorSpec.class,
            (spec, context) -> new StandardNormalPrior(context.latentDimension())));
    register(
        ComponentKind.PRIOR,
        "mixture",
        ComponentFactory.of(
            MixturePriorSpec.class,
            (spec, context) -> new MixtureOfGaussiansPrior(context.manager(), spec.components(), context.latentDimension())));
  }
}
