package io.vi4j.plugins.priors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Prior;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

class PriorsPluginTest {

  @Test
  void loadedAsAUserWouldTheStandardNormalIsNZeroI() {
    PluginRegistry registry = PluginRegistry.load();
    assertThat(registry.names(ComponentKind.PRIOR)).contains("standard-normal");
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(3);
      Prior prior = registry.create(
          ComponentKind.PRIOR, new StandardNormalPriorSpec(), new BuildContext(10, 3, m, null));
      assertThat(prior.latentDimension()).isEqualTo(3);
      Distribution p = prior.distribution(m, 4);
      NDArray draws = p.sample(50_000);
      assertThat(draws.getShape().getShape()).containsExactly(50_000, 4, 3);
      assertThat((double) draws.mean().getFloat()).isCloseTo(0, within(5 / Math.sqrt(600_000)));
      assertThat((double) draws.square().mean().getFloat()).isCloseTo(1, within(0.01));
      // log N(0; 0, I_3) = −(3/2) log 2π
      assertThat((double) p.logProb(m.zeros(new ai.djl.ndarray.types.Shape(1, 3))).getFloat(0))
          .isCloseTo(-1.5 * Math.log(2 * Math.PI), within(1e-5));
    }
  }
}
