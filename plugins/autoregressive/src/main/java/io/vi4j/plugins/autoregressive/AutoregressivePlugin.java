package io.vi4j.plugins.autoregressive;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the density {@code made}. */
public final class AutoregressivePlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(ComponentKind.DENSITY, "made",
        ComponentFactory.of(MadeSpec.class, (spec, context) -> new Made(context.manager(), context.dataDimension(), spec)));
  }
}
