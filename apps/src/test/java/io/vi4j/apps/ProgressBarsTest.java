package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.api.kit.progress.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Progress off a terminal: one line per outermost stage, nothing for nested stages or with --no-progress. */
class ProgressBarsTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String shown() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aStageEndsWithOneLineNamingItsUnitsAndTime() {
    ProgressBars bars = new ProgressBars(out, false, false);
    try (Progress.Scope shown = Progress.show(bars);
        var named = bars.context("path-derivative");
        Progress.Stage stage = Progress.stage("gradient draws", 50, "draws")) {
      try (Progress.Stage inner = Progress.stage("inner", 3, "steps")) {
        inner.stepTo(3);
      }
      stage.stepTo(50);
    }
    assertThat(shown()).matches("path-derivative: gradient draws: 50 draws in \\d+\\.\\d s( \\(.* draws/s\\))?\\R");
    // the context ends with its scope, and the next stage is shown again
    try (Progress.Scope shown = Progress.show(bars); Progress.Stage stage = Progress.stage("EM iterations", 100, "iterations")) {
      stage.stepTo(7); // converged early
    }
    assertThat(shown()).contains("\nEM iterations: 7 iterations in ");
  }

  @Test
  void noProgressShowsNothingAndNoListenerMeansSilentStages() {
    ProgressBars bars = new ProgressBars(out, false, true);
    try (Progress.Scope shown = Progress.show(bars); Progress.Stage stage = Progress.stage("IWAE", 10, "items")) {
      stage.stepTo(10);
    }
    try (Progress.Stage stage = Progress.stage("nobody listens", 10, "items")) {
      stage.stepTo(10);
    }
    assertThat(shown()).isEmpty();
    assertThat(bars.bars()).isFalse();
  }

  @Test
  void longStagesReadInMinutes() {
    assertThat(ProgressBars.line("impute", 100, "iterations", 143.2))
        .isEqualTo("impute: 100 iterations in 2 min 23 s (0.698 iterations/s)");
  }
}
