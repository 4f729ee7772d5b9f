package io.vi4j.core.testing.gradient;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.StandardNormal;
import io.vi4j.core.engine.Engines;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kit's log-density gradient check passes a correct density and fails one whose gradient is wrong. */
class LogDensityGradientCheckTest {
  private static final float[] POINTS = {0.3f, -1.2f, 2.0f, 0.7f, -0.4f, 0.05f};

  @Test
  void aCorrectDensityPassesAndAWrongGradientIsNamed() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Distribution normal = new StandardNormal(manager, 3, 2);
      GradientTestKit.checkLogDensityGradient(normal, POINTS, 1e-2);
      // The same values, but the gradient of the quadratic term is cut off: −½t² with t detached.
      Distribution detached = new Distribution() {
        @Override
        public long eventSize() {
          return 2;
        }

        @Override
        public NDArray logProb(NDArray value) {
          return normal.logProb(value.stopGradient()).add(value.sub(value).sum(new int[] {-1}));
        }

        @Override
        public NDArray sample(int k) {
          return normal.sample(k);
        }

        @Override
        public Set<Capability> capabilities() {
          return EnumSet.of(Capability.DENSITY);
        }
      };
      assertThatThrownBy(() -> GradientTestKit.checkLogDensityGradient(detached, POINTS, 1e-2))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("d log p / d t[0] at point 0");
    }
  }
}
