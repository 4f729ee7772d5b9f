package io.vi4j.plugins.estimators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.LikelihoodCapability;
import io.vi4j.api.model.Prior;
import io.vi4j.api.model.Support;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.api.plugin.PriorSpec;
import io.vi4j.api.plugin.VariationalFamilySpec;
import io.vi4j.api.plugin.Vi4jPlugin;
import io.vi4j.core.config.ModelSpec;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.run.ModelAssembler;
import io.vi4j.core.run.ModelAssembler.IncompatibleAssemblyException;
import io.vi4j.core.testing.StandardNormalTestPrior;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An estimator that needs what a part lacks fails when the model is built, naming both. */
class AssemblyCompatibilityTest {

  record TestPriorSpec() implements PriorSpec {}

  record SampleOnlyEncoderSpec() implements VariationalFamilySpec {}

  record FullEncoderSpec() implements VariationalFamilySpec {}

  record UndetachableEncoderSpec() implements VariationalFamilySpec {}

  record OpaqueDecoderSpec() implements LikelihoodSpec {}

  record SmoothDecoderSpec() implements LikelihoodSpec {}

  /** Parts with chosen capabilities. */
  static final class Parts extends Vi4jPlugin {
    @Override
    protected void configure() {
      register(ComponentKind.PRIOR, "test-prior",
          ComponentFactory.<TestPriorSpec, Prior>of(TestPriorSpec.class, (s, c) -> new StandardNormalTestPrior(c.latentDimension())));
      register(ComponentKind.VARIATIONAL_FAMILY, "sample-only",
          ComponentFactory.<SampleOnlyEncoderSpec, VariationalFamily>of(SampleOnlyEncoderSpec.class, (s, c) -> new VariationalFamily() {
            @Override
            public Distribution posterior(NDArray data) {
              return new DiagonalGaussian(data, data);
            }

            @Override
            public Set<Capability> posteriorCapabilities() {
              return EnumSet.of(Capability.DENSITY, Capability.SAMPLE);
            }
          }));
      register(ComponentKind.VARIATIONAL_FAMILY, "full",
          ComponentFactory.<FullEncoderSpec, VariationalFamily>of(FullEncoderSpec.class, (s, c) -> new VariationalFamily() {
            @Override
            public Distribution posterior(NDArray data) {
              return new DiagonalGaussian(data, data);
            }

            @Override
            public Set<Capability> posteriorCapabilities() {
              return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.DETACH);
            }
          }));
      register(ComponentKind.VARIATIONAL_FAMILY, "undetachable",
          ComponentFactory.<UndetachableEncoderSpec, VariationalFamily>of(UndetachableEncoderSpec.class, (s, c) -> new VariationalFamily() {
            @Override
            public Distribution posterior(NDArray data) {
              return new DiagonalGaussian(data, data);
            }

            @Override
            public Set<Capability> posteriorCapabilities() {
              return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE);
            }
          }));
      register(ComponentKind.LIKELIHOOD, "opaque", ComponentFactory.<OpaqueDecoderSpec, Likelihood>of(OpaqueDecoderSpec.class, (s, c) -> decoder(Set.of())));
      register(ComponentKind.LIKELIHOOD, "smooth", ComponentFactory.<SmoothDecoderSpec, Likelihood>of(SmoothDecoderSpec.class,
          (s, c) -> decoder(EnumSet.of(LikelihoodCapability.LATENT_GRADIENT))));
    }

    private static Likelihood decoder(Set<LikelihoodCapability> capabilities) {
      return new Likelihood() {
        @Override
        public Distribution conditional(NDArray latent) {
          return new DiagonalGaussian(latent, latent);
        }

        @Override
        public Support support() {
          return Support.REAL;
        }

        @Override
        public Set<LikelihoodCapability> capabilities() {
          return capabilities;
        }
      };
    }
  }

  private final PluginRegistry registry = PluginRegistry.of(List.of(new Parts(), new EstimatorsPlugin()));
  private final ModelAssembler assembler = new ModelAssembler(registry, null);

  @Test
  void reparameterizationWithAFamilyWithoutRsampleFailsNamingBoth() {
    ModelSpec spec = new ModelSpec(2, new TestPriorSpec(), new SampleOnlyEncoderSpec(), new SmoothDecoderSpec());
    try (AssembledModel model = assembler.model(spec, 2, Device.cpu(), 0)) {
      assertThatThrownBy(() -> assembler.estimator(new ReparameterizationSpec(1), spec, model))
          .isInstanceOf(IncompatibleAssemblyException.class)
          .hasMessageContaining("estimator 'reparameterization' (estimator.samples: 1) needs [RSAMPLE]")
          .hasMessageContaining("encoder 'sample-only' provides only [DENSITY, SAMPLE]");
      assertThatThrownBy(() -> assembler.estimator(new PathDerivativeSpec(1), spec, model))
          .hasMessageContaining("needs [RSAMPLE, DETACH]");
      // The score function needs only sample and logProb.
      assertThat(assembler.estimator(new ScoreFunctionSpec(1, null, null), spec, model)).isNotNull();
    }
  }

  @Test
  void doublyReparameterizedIwaeWithAFamilyThatCannotDetachFailsNamingTheGradientSetting() {
    ModelSpec spec = new ModelSpec(2, new TestPriorSpec(), new UndetachableEncoderSpec(), new SmoothDecoderSpec());
    try (AssembledModel model = assembler.model(spec, 2, Device.cpu(), 0)) {
      assertThatThrownBy(() -> assembler.estimator(new IwaeSpec(5, IwaeGradient.DREG), spec, model))
          .isInstanceOf(IncompatibleAssemblyException.class)
          .hasMessageContaining("estimator 'iwae' (estimator.samples: 5, estimator.gradient: dreg) needs [DETACH]")
          .hasMessageContaining("encoder 'undetachable' provides only [DENSITY, SAMPLE, RSAMPLE]");
      // The standard gradient differentiates log q whole: it needs no detached copy.
      assertThat(assembler.estimator(new IwaeSpec(5, null), spec, model).samplesPerItem()).isEqualTo(5);
    }
  }

  @Test
  void pathwiseEstimatorsNeedALikelihoodDifferentiableInTheLatent() {
    ModelSpec spec = new ModelSpec(2, new TestPriorSpec(), new FullEncoderSpec(), new OpaqueDecoderSpec());
    try (AssembledModel model = assembler.model(spec, 2, Device.cpu(), 0)) {
      assertThatThrownBy(() -> assembler.estimator(new ReparameterizationSpec(1), spec, model))
          .isInstanceOf(IncompatibleAssemblyException.class)
          .hasMessageContaining("needs [LATENT_GRADIENT] from the likelihood")
          .hasMessageContaining("decoder 'opaque' provides only []");
      assertThat(assembler.estimator(new ScoreFunctionSpec(2, ControlVariate.LEAVE_ONE_OUT, null), spec, model))
          .isNotNull();
    }
  }
}
