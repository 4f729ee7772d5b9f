package io.vi4j.plugins.linear;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code ppca} baseline (probabilistic PCA). */
public final class LinearPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.BASELINE,
        "ppca",
        ComponentFactory.of(PpcaSpec.class, (spec, context) -> new Ppca(spec)));
  }
}
