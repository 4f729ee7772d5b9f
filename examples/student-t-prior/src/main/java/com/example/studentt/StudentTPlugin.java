package com.example.studentt;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Registers the {@code student-t} prior; listed in this jar's {@code META-INF/services}. */
public final class StudentTPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(ComponentKind.PRIOR, "student-t", ComponentFactory.of(StudentTPriorSpec.class,
        (spec, context) -> new StudentTPrior(context.latentDimension(), spec.degreesOfFreedom(), spec.scale())));
  }
}
