package io.vi4j.core.testing;

import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Prior;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.api.plugin.PriorSpec;
import io.vi4j.api.plugin.VariationalFamilySpec;
import io.vi4j.api.plugin.Vi4jPlugin;

/** Plugins made of specs only, for registry and config tests (their factories are never called). */
public final class TestPlugins {
  private TestPlugins() {}

  /** @param width a validated field */
  public record WidePriorSpec(Integer width) implements PriorSpec {
    /** Fills the default and validates. */
    public WidePriorSpec {
      width = io.vi4j.api.kit.spec.Checks.atLeast("width", width, 3, 1);
    }
  }

  /** @param depth a field */
  public record DeepEncoderSpec(Integer depth) implements VariationalFamilySpec {}

  /** A decoder spec without fields. */
  public record PlainDecoderSpec() implements LikelihoodSpec {}

  /** An estimator spec without fields. */
  public record PlainEstimatorSpec() implements EstimatorSpec {}

  private static <S extends io.vi4j.api.plugin.ComponentSpec, C> ComponentFactory<S, C> unused(Class<S> spec) {
    return ComponentFactory.of(spec, (s, c) -> {
      throw new UnsupportedOperationException("not built in this test");
    });
  }

  /** Registers wide-prior, deep-encoder, plain-decoder and plain-estimator. */
  public static final class Alpha extends Vi4jPlugin {
    @Override
    protected void configure() {
      register(ComponentKind.PRIOR, "wide-prior", TestPlugins.<WidePriorSpec, Prior>unused(WidePriorSpec.class));
      register(ComponentKind.VARIATIONAL_FAMILY, "deep-encoder",
          TestPlugins.<DeepEncoderSpec, VariationalFamily>unused(DeepEncoderSpec.class));
      register(ComponentKind.LIKELIHOOD, "plain-decoder",
          TestPlugins.<PlainDecoderSpec, Likelihood>unused(PlainDecoderSpec.class));
      register(ComponentKind.ESTIMATOR, "plain-estimator",
          TestPlugins.<PlainEstimatorSpec, GradientEstimator>unused(PlainEstimatorSpec.class));
    }
  }

  /** A second plugin that claims the prior name "wide-prior" too. */
  public static final class Beta extends Vi4jPlugin {
    /** Another spec class under the clashing name. */
    public record OtherSpec() implements PriorSpec {}

    @Override
    protected void configure() {
      register(ComponentKind.PRIOR, "wide-prior", TestPlugins.<OtherSpec, Prior>unused(OtherSpec.class));
    }
  }
}
