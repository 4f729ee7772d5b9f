package io.vi4j.plugins.factorized;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code factorized-bernoulli} and {@code factorized-gaussian} baselines. */
public final class FactorizedPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.BASELINE,
        "factorized-bernoulli",
        ComponentFactory.of(FactorizedBernoulliSpec.class, (spec, context) -> new FactorizedBernoulli(spec)));
    register(
        ComponentKind.BASELINE,
        "factorized-gaussian",
        ComponentFactory.of(FactorizedGaussianSpec.class, (spec, context) -> new FactorizedGaussian(spec)));
  }
}
