package io.vi4j.plugins.estimators;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code reparameterization} estimator. */
public final class EstimatorsPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.ESTIMATOR,
        "reparameterization",
        ComponentFactory.of(
            ReparameterizationSpec.class, (spec, c) -> new ReparameterizationEstimator(spec.samples())));
  }
}
