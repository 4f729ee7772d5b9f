package io.vi4j.plugins.linear;

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

class LinearPluginTest {

  @Test
  void loadedAsAUserWouldPpcaResolves() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.names(ComponentKind.BASELINE)).contains("ppca");
    BaselineSpec spec = new ConfigLoader(registry)
        .parseSection("{type: ppca, latent_dim: 3, method: em, max_iterations: 7}", BaselineSpec.class, "test");
    assertThat(spec).isEqualTo(new PpcaSpec(3, PpcaSpec.Method.EM, 7, 1e-5, 1e-6));
    assertThat(registry.nameOf(spec)).isEqualTo("ppca");
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      BaselineModel model = registry.create(ComponentKind.BASELINE, spec, new BuildContext(10, 0, m, null));
      assertThat(model).isInstanceOf(Ppca.class);
      assertThat(((Ppca) model).spec().maxIterations()).isEqualTo(7);
    }
  }

  @Test
  void specDefaults() {
    PpcaSpec d = PpcaSpec.defaults();
    assertThat(d.latentDim()).isEqualTo(20);
    assertThat(d.method()).isEqualTo(PpcaSpec.Method.CLOSED_FORM);
    assertThat(d.maxIterations()).isNull();
    assertThat(d.tolerance()).isNull();
    assertThat(d.varianceFloor()).isEqualTo(1e-6);
    PpcaSpec em = new PpcaSpec(null, PpcaSpec.Method.EM, null, null, null);
    assertThat(em.maxIterations()).isEqualTo(200);
    assertThat(em.tolerance()).isEqualTo(1e-5);
    assertThat(PpcaSpec.Method.parse("closed-form")).isEqualTo(PpcaSpec.Method.CLOSED_FORM);
    assertThat(PpcaSpec.Method.EM.configName()).isEqualTo("em");
  }

  @Test
  void specValidationNamesTheField() {
    assertThatThrownBy(() -> new PpcaSpec(0, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latent_dim must be at least 1, got 0");
    assertThatThrownBy(() -> new PpcaSpec(null, PpcaSpec.Method.EM, 0, null, null))
        .hasMessage("max_iterations must be at least 1, got 0");
    assertThatThrownBy(() -> new PpcaSpec(null, PpcaSpec.Method.EM, null, -1.0, null))
        .hasMessage("tolerance must be a positive finite number, got -1.0");
    assertThatThrownBy(() -> new PpcaSpec(null, null, null, null, 0.0))
        .hasMessage("variance_floor must be a positive finite number, got 0.0");
    // With closed-form, max_iterations and tolerance serve a fit to data with missing cells: unset they stay
    // null, given they are checked.
    assertThat(new PpcaSpec(null, null, null, null, null).maxIterations()).isNull();
    assertThat(new PpcaSpec(null, null, 10, null, null).maxIterations()).isEqualTo(10);
    assertThat(new PpcaSpec(null, PpcaSpec.Method.CLOSED_FORM, null, 1e-3, null).tolerance()).isEqualTo(1e-3);
    assertThatThrownBy(() -> new PpcaSpec(null, null, 0, null, null))
        .hasMessage("max_iterations must be at least 1, got 0");
    assertThatThrownBy(() -> PpcaSpec.Method.parse("svd"))
        .hasMessage("method must be closed-form or em, got 'svd'");
  }

  @Test
  void configErrorsReachTheUser() {
    ConfigLoader loader = new ConfigLoader(PluginRegistry.load());
    assertThatThrownBy(() -> loader.parseSection("{type: ppca, latent_dim: 0}", BaselineSpec.class, "cfg"))
        .hasMessageContaining("latent_dim must be at least 1");
    assertThatThrownBy(() -> loader.parseSection("{type: ppca, method: svd}", BaselineSpec.class, "cfg"))
        .hasMessageContaining("method must be closed-form or em");
  }
}
