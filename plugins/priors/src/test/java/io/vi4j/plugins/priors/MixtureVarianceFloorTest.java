package io.vi4j.plugins.priors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.core.engine.Engines;
import org.junit.jupiter.api.Test;

/** {@code min_variance}: a component's variance below the floor acts as the floor. */
class MixtureVarianceFloorTest {

  private static void setLogVariances(MixtureOfGaussiansPrior prior, float value) {
    for (var p : prior.parameters()) {
      if (p.getKey().contains("log_variances")) {
        NDArray array = p.getValue().getArray();
        array.set(array.zerosLike().add(value).toFloatArray());
      }
    }
  }

  @Test
  void aVarianceBelowTheFloorScoresAsTheFloor() {
    try (NDManager m = Engines.pytorch().newBaseManager()) {
      Engines.seed(4);
      MixtureOfGaussiansPrior floored = new MixtureOfGaussiansPrior(m, 3, 2, 0.5);
      Engines.seed(4); // the same means
      MixtureOfGaussiansPrior atFloor = new MixtureOfGaussiansPrior(m, 3, 2);
      setLogVariances(floored, -5f);
      setLogVariances(atFloor, (float) Math.log(0.5));
      try (NDManager step = m.newSubManager()) {
        NDArray t = step.create(new float[] {0.3f, -1.2f, 2f, 0.5f}, new Shape(2, 2));
        float[] a = floored.distribution(step, 2).logProb(t).toFloatArray();
        float[] b = atFloor.distribution(step, 2).logProb(t).toFloatArray();
        assertThat(a[0]).isCloseTo(b[0], within(1e-5f));
        assertThat(a[1]).isCloseTo(b[1], within(1e-5f));
      }
      setLogVariances(floored, 0f); // above the floor: untouched
      setLogVariances(atFloor, 0f);
      try (NDManager step = m.newSubManager()) {
        NDArray t = step.create(new float[] {0.3f, -1.2f}, new Shape(1, 2));
        assertThat(floored.distribution(step, 1).logProb(t).toFloatArray())
            .containsExactly(atFloor.distribution(step, 1).logProb(t).toFloatArray());
      }
    }
    assertThatThrownBy(() -> new MixturePriorSpec(3, -1.0)).hasMessageContaining("min_variance");
  }
}
