package io.vi4j.plugins.priors;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code standard-normal}, {@code mixture} and {@code vamp} priors. */
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
            (spec, context) -> new MixtureOfGaussiansPrior(context.manager(), spec.components(), context.latentDimension(),
                spec.minVariance())));
    register(
        ComponentKind.PRIOR,
        "vamp",
        ComponentFactory.of(VampPriorSpec.class, (spec, context) -> {
          if (context.trainItems() > 0 && spec.pseudoInputs() > context.trainItems()) {
            throw new IllegalArgumentException("pseudo_inputs: " + spec.pseudoInputs() + " pseudo-inputs, more than the "
                + context.trainItems() + " items of the training split; use at most " + context.trainItems());
          }
          return new VampPrior(context.manager(), spec.pseudoInputs(), context.dataDimension(), context.latentDimension());
        }));
  }
}
