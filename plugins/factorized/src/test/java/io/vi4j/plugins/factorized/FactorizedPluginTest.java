package io.vi4j.plugins.factorized;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.density.BaselineModel;
import io.vi4j.api.plugin.BaselineSpec;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

class FactorizedPluginTest {

  @Test
  void loadedAsAUserWouldBothNamesResolve() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.names(ComponentKind.BASELINE))
        .contains("factorized-bernoulli", "factorized-gaussian");
    ConfigLoader loader = new ConfigLoader(registry);
    BaselineSpec bernoulli =
        loader.parseSection("{type: factorized-bernoulli, epsilon: 0.001}", BaselineSpec.class, "test");
    BaselineSpec gaussian = loader.parseSection("{type: factorized-gaussian}", BaselineSpec.class, "test");
    assertThat(bernoulli).isEqualTo(new FactorizedBernoulliSpec(1e-3));
    assertThat(gaussian).isEqualTo(new FactorizedGaussianSpec(1e-6));
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      BuildContext context = new BuildContext(6, 0, m, null);
      BaselineModel b = registry.create(ComponentKind.BASELINE, bernoulli, context);
      BaselineModel g = registry.create(ComponentKind.BASELINE, gaussian, context);
      assertThat(b).isInstanceOf(FactorizedBernoulli.class);
      assertThat(((FactorizedBernoulli) b).spec().epsilon()).isEqualTo(1e-3);
      assertThat(g).isInstanceOf(FactorizedGaussian.class);
    }
  }

  @Test
  void specValidationNamesTheField() {
    assertThat(FactorizedBernoulliSpec.defaults().epsilon()).isEqualTo(1e-6);
    assertThat(FactorizedGaussianSpec.defaults().varianceFloor()).isEqualTo(1e-6);
    assertThatThrownBy(() -> new FactorizedBernoulliSpec(0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epsilon must be in (0, 0.5), got 0.0");
    assertThatThrownBy(() -> new FactorizedBernoulliSpec(0.5))
        .hasMessage("epsilon must be in (0, 0.5), got 0.5");
    assertThatThrownBy(() -> new FactorizedGaussianSpec(-1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("variance_floor must be a positive finite number, got -1.0");
    ConfigLoader loader = new ConfigLoader(PluginRegistry.load());
    assertThatThrownBy(() -> loader.parseSection(
            "{type: factorized-gaussian, variance_floor: 0}", BaselineSpec.class, "cfg"))
        .hasMessageContaining("variance_floor must be a positive finite number");
  }
}
