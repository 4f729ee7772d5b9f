package io.vi4j.plugins.mixtures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which EM restart is kept: the best, and the first of those equal to rounding. */
class RestartChoiceTest {

  @Test
  void aLaterRestartWinsOnlyByMoreThanRounding() {
    // The two restarts of GaussianMixturePinnedFitTest's diagonal case on an Intel processor: the same
    // optimum with the components in another order, the second higher by one ulp. The first is kept.
    assertThat(ExpectationMaximization.better(-4.564276999217045, -4.5642769992170455)).isFalse();
    assertThat(ExpectationMaximization.better(-4.5642769992170455, -4.5642769992170455)).isFalse();
    assertThat(ExpectationMaximization.better(-4.564276, -4.564277)).isTrue();
    assertThat(ExpectationMaximization.better(-4.5 + 1e-10, -4.5)).isTrue();
    assertThat(ExpectationMaximization.better(1e6 * (1 + 1e-13), 1e6)).as("relative to the size").isFalse();
    assertThat(ExpectationMaximization.better(1e6 * (1 + 1e-11), 1e6)).isTrue();
  }

  @Test
  void notANumberNeverWinsAndAlwaysLoses() {
    assertThat(ExpectationMaximization.better(Double.NaN, -4.5)).isFalse();
    assertThat(ExpectationMaximization.better(Double.NaN, Double.NaN)).isFalse();
    assertThat(ExpectationMaximization.better(-1e300, Double.NaN)).isTrue();
  }
}
