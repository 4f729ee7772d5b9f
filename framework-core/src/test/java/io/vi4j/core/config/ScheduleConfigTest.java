package io.vi4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.TestPlugins;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * The schedule and stopping settings of {@code training:}: every field read and its default, the resolved
 * config re-read to the same settings, a config without them resolved exactly as before they existed, and
 * a message naming the field for every bad setting.
 */
class ScheduleConfigTest {
  private static final String BASE = """
      name: t
      model:
        latent_dim: 3
        prior: {type: wide-prior}
        encoder: {type: deep-encoder}
        decoder: {type: plain-decoder}
      estimator: {type: plain-estimator}
      training:
        epochs: 6
      """;

  private final ConfigLoader loader =
      new ConfigLoader(PluginRegistry.of(List.of(new TestPlugins.Alpha(), new CoreDataPlugin())));

  private TrainingSpec training(String lines) {
    return loader.parse(BASE + lines, "ok.yaml").training();
  }

  private AbstractThrowableAssert<?, ? extends Throwable> refused(String lines) {
    return assertThatThrownBy(() -> loader.parse(BASE + lines, "bad.yaml")).isInstanceOf(ConfigException.class);
  }

  @Test
  void everyFieldIsReadAndEveryDefaultFilled() {
    TrainingSpec t = training("""
          kl_weight: {start: 0.1, final: 0.8, warmup_epochs: 3}
          lr_schedule: {type: step, step_epochs: 2, gamma: 0.5}
          validation: {fraction: 0.2, seed: 7}
          early_stopping: {patience: 2, min_delta: 0.5, restore_best: false}
        """);
    assertThat(t.klWeight()).isEqualTo(new KlWeightSpec(0.1, 0.8, 3));
    assertThat(t.lrSchedule()).isEqualTo(new LrScheduleSpec.Step(2, 0.5));
    assertThat(t.validation()).isEqualTo(new ValidationSpec(0.2, null, 7L));
    assertThat(t.earlyStopping()).isEqualTo(new EarlyStoppingSpec(2, 0.5, false));

    TrainingSpec defaults = training("""
          kl_weight: {warmup_epochs: 2}
          lr_schedule: {type: reduce-on-plateau}
          validation: {items: 30}
          early_stopping: {}
        """);
    assertThat(defaults.klWeight()).isEqualTo(new KlWeightSpec(0.0, 1.0, 2));
    assertThat(defaults.lrSchedule()).isEqualTo(new LrScheduleSpec.ReduceOnPlateau(0.1, 10, 1e-4, 0, 0.0));
    assertThat(defaults.validation()).isEqualTo(new ValidationSpec(null, 30, 0L));
    assertThat(defaults.earlyStopping()).isEqualTo(new EarlyStoppingSpec(5, 0.0, true));
    assertThat(training("  kl_weight: {final: 4}\n").klWeight()).isEqualTo(new KlWeightSpec(null, 4.0, 0));
    assertThat(training("  lr_schedule: {type: cosine}\n").lrSchedule()).isEqualTo(new LrScheduleSpec.Cosine(0.0));
    assertThat(training("  lr_schedule: {type: step, step_epochs: 5}\n").lrSchedule())
        .isEqualTo(new LrScheduleSpec.Step(5, 0.1));
    TrainingSpec none = training("");
    assertThat(java.util.Arrays.asList(none.klWeight(), none.lrSchedule(), none.validation(), none.earlyStopping()))
        .containsOnlyNulls();
  }

  @Test
  void theResolvedConfigReadsBackToTheSameSettings() {
    for (String lines : List.of(
        "  kl_weight: {start: 0.1, final: 0.8, warmup_epochs: 3}\n  lr_schedule: {type: cosine, min_learning_rate: 1.0e-5}\n",
        "  kl_weight: {final: 4}\n  lr_schedule: {type: reduce-on-plateau, factor: 0.5, patience: 1, cooldown: 2}\n"
            + "  validation: {items: 12, seed: 3}\n  early_stopping: {patience: 3}\n",
        "  lr_schedule: {type: step, step_epochs: 2}\n  validation: {fraction: 0.25}\n")) {
      ExperimentSpec spec = loader.parse(BASE + lines, "ok.yaml");
      String yaml = loader.toYaml(spec);
      assertThat(loader.parse(yaml, "resolved.yaml")).as(yaml).isEqualTo(spec);
    }
    String yaml = loader.toYaml(loader.parse(BASE + "  kl_weight: {start: 0.2, final: 1, warmup_epochs: 2}\n", "ok.yaml"));
    assertThat(yaml).contains("kl_weight:\n    start: 0.2\n    final: 1.0\n    warmup_epochs: 2");
    assertThat(loader.toYaml(loader.parse(BASE + "  lr_schedule: {type: step, step_epochs: 2}\n", "ok.yaml")))
        .contains("lr_schedule:\n    type: step\n    step_epochs: 2\n    gamma: 0.1");
  }

  /**
   * A checkpoint is resumed only under the config whose resolved text it was written with (its digest):
   * the new sections must leave a config without them resolved exactly as before, so that older runs resume.
   */
  @Test
  void aConfigWithoutTheNewSectionsResolvesAsBefore() {
    String yaml = loader.toYaml(loader.parse(BASE, "ok.yaml"));
    assertThat(yaml).doesNotContain("kl_weight").doesNotContain("lr_schedule").doesNotContain("validation")
        .doesNotContain("early_stopping");
    assertThat(yaml).contains("""
        training:
          epochs: 6
          batch_size: 128
          learning_rate: 0.001
          beta1: 0.9
          beta2: 0.999
          epsilon: 1.0E-8
          evaluate_every: 1
          clip_gradient: 0.0
          checkpoint:
            every_steps: 500
            keep: 3
        evaluation:""");
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    refused("  kl_weight: {warmup_epochs: 7}\n").hasMessageStartingWith("bad.yaml: training (line 8, column 1):")
        .hasMessageContaining("kl_weight.warmup_epochs (7) is longer than training (epochs: 6)");
    refused("  kl_weight: {start: 0.2}\n")
        .hasMessageContaining("training.kl_weight (line 10, column 3): start is β at the warm-up's first step, but"
            + " warmup_epochs is 0");
    refused("  kl_weight: {final: -1}\n").hasMessageContaining("training.kl_weight")
        .hasMessageContaining("final must be a finite number ≥ 0, got -1.0");
    refused("  kl_weight: {final: .nan}\n").hasMessageContaining("final must be a finite number ≥ 0, got NaN");
    refused("  kl_weight: {end: 1}\n")
        .hasMessageContaining("unknown field 'end' in training.kl_weight (line 10, column 15); accepted fields: final,"
            + " start, warmup_epochs");

    refused("  lr_schedule: {type: exponential}\n")
        .hasMessage("bad.yaml: training.lr_schedule (line 10, column 3): unknown learning-rate schedule type"
            + " 'exponential'; known learning-rate schedule types: step, cosine, reduce-on-plateau");
    refused("  lr_schedule: {gamma: 0.5}\n")
        .hasMessageContaining("training.lr_schedule (line 10, column 3): a learning-rate schedule needs a 'type';"
            + " known learning-rate schedule types: step, cosine, reduce-on-plateau");
    refused("  lr_schedule: {type: cosine, gamma: 0.5}\n")
        .hasMessageContaining("unknown field 'gamma' in training.lr_schedule")
        .hasMessageContaining("accepted fields: min_learning_rate");
    refused("  lr_schedule: {type: step}\n").hasMessageContaining("step_epochs is required for a step schedule");
    refused("  lr_schedule: {type: step, step_epochs: 2, gamma: 0}\n")
        .hasMessageContaining("training.lr_schedule").hasMessageContaining("gamma must be in (0, 1), got 0.0");
    refused("  lr_schedule: {type: step, step_epochs: 2, gamma: -0.5}\n").hasMessageContaining("gamma must be in (0, 1)");
    refused("  lr_schedule: {type: step, step_epochs: 6}\n")
        .hasMessageContaining("lr_schedule.step_epochs (6) is not below epochs (6): the rate would never change");
    refused("  lr_schedule: {type: reduce-on-plateau, factor: 0}\n").hasMessageContaining("factor must be in (0, 1), got 0.0");
    refused("  lr_schedule: {type: reduce-on-plateau, factor: 2}\n").hasMessageContaining("factor must be in (0, 1), got 2.0");
    refused("  lr_schedule: {type: reduce-on-plateau, patience: -1}\n").hasMessageContaining("patience must be at least 0, got -1");
    refused("  lr_schedule: {type: reduce-on-plateau, min_learning_rate: 0.01}\n")
        .hasMessageContaining("lr_schedule.min_learning_rate (0.01) must be at most learning_rate (0.001)");
    refused("  lr_schedule: {type: cosine, min_learning_rate: 0.001}\n")
        .hasMessageContaining("lr_schedule.min_learning_rate (0.001) must be below learning_rate (0.001)");

    refused("  validation: {seed: 3}\n")
        .hasMessageContaining("training.validation (line 10, column 3): a validation split needs fraction (e.g. 0.1) or"
            + " items");
    refused("  validation: {fraction: 0.1, items: 5}\n").hasMessageContaining("give fraction or items, not both");
    refused("  validation: {fraction: 1.0}\n").hasMessageContaining("fraction must be in (0, 1), got 1.0");
    refused("  validation: {fraction: 0}\n").hasMessageContaining("fraction must be in (0, 1), got 0.0");
    refused("  validation: {items: 0}\n").hasMessageContaining("items must be at least 1, got 0");

    refused("  early_stopping: {patience: 3}\n")
        .hasMessageContaining("training (line 8, column 1): early_stopping needs a validation split to monitor: add"
            + " training.validation");
    refused("  validation: {items: 3}\n  early_stopping: {patience: 0}\n")
        .hasMessageContaining("training.early_stopping").hasMessageContaining("patience must be at least 1, got 0");
    refused("  validation: {items: 3}\n  early_stopping: {min_delta: -0.1}\n")
        .hasMessageContaining("min_delta must be a finite number ≥ 0, got -0.1");
  }

  /** The library's builder sets the same settings a config does (both then train through Experiment). */
  @Test
  void theBuilderGivesTheSameSettingsAsTheConfig() {
    ExperimentSpec built = io.vi4j.core.Vi4j.vae()
        .prior(new TestPlugins.WidePriorSpec(null)).encoder(new TestPlugins.DeepEncoderSpec(null))
        .decoder(new TestPlugins.PlainDecoderSpec()).estimator(new TestPlugins.PlainEstimatorSpec())
        .epochs(6)
        .klWeight(KlWeightSpec.warmup(0.0, 1.0, 3))
        .learningRateSchedule(new LrScheduleSpec.Cosine(1e-5))
        .validation(ValidationSpec.fraction(0.1, 7))
        .earlyStopping(new EarlyStoppingSpec(4, null, null))
        .spec();
    TrainingSpec fromConfig = training("""
          batch_size: 128
          kl_weight: {start: 0, final: 1, warmup_epochs: 3}
          lr_schedule: {type: cosine, min_learning_rate: 1.0e-5}
          validation: {fraction: 0.1, seed: 7}
          early_stopping: {patience: 4}
        """);
    assertThat(built.training()).isEqualTo(fromConfig);
    assertThat(loader.toYaml(built)).contains("early_stopping:\n    patience: 4\n    min_delta: 0.0\n    restore_best: true");
  }

  @Test
  void aValidationSplitThatLeavesNothingIsNamed() {
    assertThat(ValidationSpec.fraction(0.1, 0).heldOut(200)).isEqualTo(20);
    assertThat(ValidationSpec.fraction(0.25, 0).heldOut(10)).isEqualTo(3); // 2.5 rounds up
    assertThat(ValidationSpec.items(7, 0).heldOut(8)).isEqualTo(7);
    assertThatThrownBy(() -> ValidationSpec.items(8, 0).heldOut(8))
        .hasMessage("training.validation.items (8) holds out 8 of the 8 training items and leaves none to train on;"
            + " lower it");
    assertThatThrownBy(() -> ValidationSpec.fraction(0.01, 0).heldOut(20))
        .hasMessage("training.validation.fraction (0.01) holds out 0 of the 20 training items; raise it so that at"
            + " least one item is validated on");
    assertThatThrownBy(() -> ValidationSpec.fraction(0.99, 0).heldOut(20))
        .hasMessageContaining("holds out 20 of the 20 training items and leaves none to train on");
  }
}
