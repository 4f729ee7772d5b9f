package io.vi4j.core.config;

import io.vi4j.core.engine.DeviceChoice;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vi4j.api.plugin.BaselineSpec;
import io.vi4j.api.plugin.DataSpec;
import io.vi4j.api.plugin.DensitySpec;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.core.data.SpritesDataSpec;
import io.vi4j.core.io.Printable;
import java.util.Locale;
import java.util.Objects;

/**
 * One experiment: data, model, estimator, training and evaluation, and one seed from which every random
 * stream (initialization, minibatch order, latent noise) is derived.
 *
 * @param name a label for the run (defaults to "experiment"), part of the default run directory's name:
 *     letters, digits, '.', '_' and '-', not starting with '.' or '-', at most {@value #MAX_NAME_LENGTH}
 *     characters
 * @param seed the master seed
 * @param device where arrays live: {@code auto} (a GPU when the engine sees one), {@code cpu} or {@code gpu}
 * @param data the data source, by {@code type}; the built-in sprites when absent
 * @param model prior, encoder, decoder and latent dimension
 * @param estimator the gradient estimator, by {@code type}; required
 * @param training trainer settings
 * @param evaluation test-set evaluation settings
 * @param compare optional: train variants of this config side by side ({@code vi4j compare})
 * @param baseline instead of {@code model} and {@code estimator}: a density model fitted by closed form
 *     or EM (factorized, Gaussian mixture, PPCA), by {@code type}
 * @param excludeTrainLabels labels whose items are removed from the training split (the test split keeps
 *     them): train without a class, then score it as outliers
 * @param density instead of {@code model} and {@code estimator}: a density trained by maximum likelihood
 *     with the trainer (MADE), by {@code type}
 */
public record ExperimentSpec(
    String name,
    Long seed,
    DeviceChoice device,
    DataSpec data,
    ModelSpec model,
    EstimatorSpec estimator,
    TrainingSpec training,
    EvaluationSpec evaluation,
    CompareSpec compare,
    BaselineSpec baseline,
    java.util.List<Integer> excludeTrainLabels,
    DensitySpec density) {

  /** The longest {@code name} accepted. */
  public static final int MAX_NAME_LENGTH = 100;

  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0," + (MAX_NAME_LENGTH - 1) + "}");

  /** An experiment without a comparison section. */
  public ExperimentSpec(
      String name,
      Long seed,
      DeviceChoice device,
      DataSpec data,
      ModelSpec model,
      EstimatorSpec estimator,
      TrainingSpec training,
      EvaluationSpec evaluation) {
    this(name, seed, device, data, model, estimator, training, evaluation, null, null, null, null);
  }

  /** An experiment without a density section. */
  public ExperimentSpec(
      String name,
      Long seed,
      DeviceChoice device,
      DataSpec data,
      ModelSpec model,
      EstimatorSpec estimator,
      TrainingSpec training,
      EvaluationSpec evaluation,
      CompareSpec compare,
      BaselineSpec baseline,
      java.util.List<Integer> excludeTrainLabels) {
    this(name, seed, device, data, model, estimator, training, evaluation, compare, baseline, excludeTrainLabels,
        null);
  }

  /** Fills defaults and checks required sections. */
  public ExperimentSpec {
    name = name == null ? "experiment" : name;
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name: " + Printable.quote(name) + " is not accepted: a name is used in"
          + " the run directory's name; use letters, digits, '.', '_' and '-', at most " + MAX_NAME_LENGTH
          + " characters, not starting with '.' or '-'");
    }
    seed = seed == null ? 0L : seed;
    device = device == null ? DeviceChoice.AUTO : device;
    data = data == null ? SpritesDataSpec.defaults() : data;
    for (int i = 0; excludeTrainLabels != null && i < excludeTrainLabels.size(); i++) {
      if (excludeTrainLabels.get(i) == null) { // not contains(null): an immutable list throws on it
        throw new IllegalArgumentException("exclude_train_labels[" + i + "] is null; give label numbers");
      }
    }
    excludeTrainLabels = excludeTrainLabels == null ? java.util.List.of() : java.util.List.copyOf(excludeTrainLabels);
    if (baseline != null && density != null) {
      throw new IllegalArgumentException("a config has either a baseline section or a density section, not both");
    }
    if (baseline == null && density == null) {
      Objects.requireNonNull(model, "model is required (or a baseline or density section)");
      Objects.requireNonNull(estimator, "estimator is required (a section with a 'type')");
    } else if (model != null || estimator != null) {
      throw new IllegalArgumentException("a config has either a " + (baseline != null ? "baseline" : "density")
          + " section or model and estimator sections, not both");
    }
    training = training == null ? TrainingSpec.defaults() : training;
    evaluation = evaluation == null ? EvaluationSpec.defaults() : evaluation;
  }

  /** @return this config with {@code data} in place of its data section. */
  public ExperimentSpec withData(DataSpec data) {
    return new ExperimentSpec(name, seed, device, data, model, estimator, training, evaluation, compare, baseline,
        excludeTrainLabels, density);
  }
}
