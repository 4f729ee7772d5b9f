package io.vi4j.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.vi4j.api.kit.spec.Checks;

/**
 * How Adam's learning rate changes from epoch to epoch ({@code training.lr_schedule}); without one it is
 * {@code training.learning_rate} throughout. Every schedule sets the rate at the start of an epoch and
 * keeps it for the epoch's steps; epoch 1 trains at {@code learning_rate}.
 *
 * <pre>
 * lr_schedule: {type: step, step_epochs: 10, gamma: 0.5}
 * lr_schedule: {type: cosine, min_learning_rate: 1.0e-5}
 * lr_schedule: {type: reduce-on-plateau, factor: 0.5, patience: 3}
 * </pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
    visible = true)
@JsonSubTypes({
  @JsonSubTypes.Type(value = LrScheduleSpec.Step.class, name = LrScheduleSpec.Step.TYPE),
  @JsonSubTypes.Type(value = LrScheduleSpec.Cosine.class, name = LrScheduleSpec.Cosine.TYPE),
  @JsonSubTypes.Type(value = LrScheduleSpec.ReduceOnPlateau.class, name = LrScheduleSpec.ReduceOnPlateau.TYPE),
})
public sealed interface LrScheduleSpec {

  /** @return the schedule's {@code type} as a config writes it. */
  @JsonProperty("type")
  String type();

  /**
   * The rate times {@code gamma} every {@code step_epochs} epochs: epoch {@code e} trains at
   * {@code learning_rate · gamma^⌊(e − 1)/step_epochs⌋} (PyTorch's {@code StepLR}).
   *
   * @param stepEpochs epochs between two reductions, at least 1 and below {@code training.epochs}; required
   * @param gamma the factor, in (0, 1) (default 0.1)
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "step_epochs", "gamma"})
  record Step(Integer stepEpochs, Double gamma) implements LrScheduleSpec {
    /** The config name. */
    public static final String TYPE = "step";

    /** Fills defaults and validates. */
    public Step {
      if (stepEpochs == null) {
        throw new IllegalArgumentException("step_epochs is required for a step schedule: the rate is multiplied"
            + " by gamma every step_epochs epochs");
      }
      Checks.atLeast("step_epochs", stepEpochs, 1, 1);
      gamma = ScheduleChecks.fraction("gamma", gamma, 0.1, "the rate is multiplied by gamma every step_epochs epochs");
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * Cosine annealing without restarts (Loshchilov &amp; Hutter 2017, "SGDR: stochastic gradient descent
   * with warm restarts"): epoch {@code e} of {@code E} trains at
   * {@code min_learning_rate + ½(learning_rate − min_learning_rate)(1 + cos(π(e − 1)/E))}, PyTorch's
   * {@code CosineAnnealingLR} with {@code T_max = E} stepped once per epoch: from {@code learning_rate} at
   * the first epoch down towards {@code min_learning_rate}, which the epoch after the last would reach.
   *
   * @param minLearningRate the rate the schedule falls towards, ≥ 0 and below {@code learning_rate}
   *     (default 0)
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "min_learning_rate"})
  record Cosine(Double minLearningRate) implements LrScheduleSpec {
    /** The config name. */
    public static final String TYPE = "cosine";

    /** Fills defaults and validates. */
    public Cosine {
      minLearningRate = ScheduleChecks.nonNegative("min_learning_rate", minLearningRate, 0.0);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * Lowers the rate when the monitored −ELBO stops improving, as PyTorch's {@code ReduceLROnPlateau}
   * (mode {@code min}, relative threshold) does: it monitors the validation −ELBO when there is a
   * validation split, the epoch's training −ELBO otherwise. An epoch improves when its value is below
   * {@code best − threshold·|best|}; after more than {@code patience} epochs in a row without improvement
   * the rate becomes {@code max(rate · factor, min_learning_rate)} for the next epoch, and the count
   * starts again after {@code cooldown} epochs in which no epoch counts as bad.
   *
   * @param factor the factor, in (0, 1) (default 0.1)
   * @param patience epochs without improvement tolerated, ≥ 0 (default 10)
   * @param threshold the relative improvement that counts, ≥ 0 (default 1e-4)
   * @param cooldown epochs after a reduction before bad epochs count again, ≥ 0 (default 0)
   * @param minLearningRate the lowest rate, ≥ 0 and at most {@code learning_rate} (default 0)
   */
  @JsonIgnoreProperties(value = "type", allowGetters = true)
  @JsonPropertyOrder({"type", "factor", "patience", "threshold", "cooldown", "min_learning_rate"})
  record ReduceOnPlateau(Double factor, Integer patience, Double threshold, Integer cooldown, Double minLearningRate)
      implements LrScheduleSpec {
    /** The config name. */
    public static final String TYPE = "reduce-on-plateau";

    /** Fills defaults and validates. */
    public ReduceOnPlateau {
      factor = ScheduleChecks.fraction("factor", factor, 0.1, "the rate is multiplied by factor on a plateau");
      patience = Checks.atLeast("patience", patience, 10, 0);
      threshold = ScheduleChecks.nonNegative("threshold", threshold, 1e-4);
      cooldown = Checks.atLeast("cooldown", cooldown, 0, 0);
      minLearningRate = ScheduleChecks.nonNegative("min_learning_rate", minLearningRate, 0.0);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
