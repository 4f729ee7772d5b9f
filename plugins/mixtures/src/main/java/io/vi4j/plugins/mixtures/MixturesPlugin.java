package io.vi4j.plugins.mixtures;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/**
 * Registers the {@code gmm} baseline: a Gaussian mixture fitted by EM. The factory only builds the
 * (unfitted) model for the context's data dimension; fitting happens later through
 * {@link GaussianMixture#fit}.
 */
public final class MixturesPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.BASELINE,
        "gmm",
        ComponentFactory.of(
            GaussianMixtureSpec.class,
            (spec, context) -> new GaussianMixture(spec, context.dataDimension())));
  }
}
