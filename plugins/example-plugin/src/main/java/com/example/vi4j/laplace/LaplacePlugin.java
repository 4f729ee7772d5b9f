package com.example.vi4j.laplace;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code laplace} prior. Listed in this jar's {@code META-INF/services} only. */
public final class LaplacePlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.PRIOR,
        "laplace",
        ComponentFactory.of(
            LaplacePriorSpec.class, (spec, c) -> new LaplacePrior(c.latentDimension(), spec.scale())));
  }
}
