package io.vi4j.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.vi4j.api.kit.spec.Checks;

/**
 * The weight β of the KL term in the training objective {@code E_q log p(x|t) − β·KL(q(t|x) ‖ p(t))}:
 * raised linearly, step by step, from {@code start} to {@code final} over the first {@code warmup_epochs}
 * epochs, then held at {@code final}. This is KL annealing (Bowman et al. 2016, "Generating sentences from
 * a continuous space") and the warm-up of Sønderby et al. (2016, "Ladder variational autoencoders"); a
 * final β other than 1 is the β-VAE (Higgins et al. 2017). Only the gradient is weighted: every figure
 * reported (training and test −ELBO, their reconstruction and KL) stays the unweighted −ELBO. The
 * estimator must support a KL weight ({@code GradientEstimator.supportsKlWeight}).
 *
 * @param start β at the warm-up's first step, ≥ 0; given only with {@code warmup_epochs ≥ 1} (default 0
 *     then)
 * @param finalWeight β after the warm-up, ≥ 0 (config key {@code final}; default 1)
 * @param warmupEpochs epochs over which β rises, at most {@code training.epochs} (default 0: β is
 *     {@code final} from the first step)
 */
@JsonPropertyOrder({"start", "final", "warmup_epochs"})
public record KlWeightSpec(Double start, @JsonProperty("final") Double finalWeight, Integer warmupEpochs) {

  /** @return β rising linearly from {@code start} to {@code end} over {@code epochs} epochs. */
  public static KlWeightSpec warmup(double start, double end, int epochs) {
    return new KlWeightSpec(start, end, epochs);
  }

  /** @return β held at {@code value} from the first step (a β-VAE). */
  public static KlWeightSpec constant(double value) {
    return new KlWeightSpec(null, value, null);
  }

  /** Fills defaults and validates. */
  public KlWeightSpec {
    finalWeight = ScheduleChecks.nonNegative("final", finalWeight, 1.0);
    warmupEpochs = Checks.atLeast("warmup_epochs", warmupEpochs, 0, 0);
    if (warmupEpochs == 0 && start != null) {
      throw new IllegalArgumentException("start is β at the warm-up's first step, but warmup_epochs is 0 (no"
          + " warm-up): give warmup_epochs ≥ 1, or leave start out");
    }
    start = warmupEpochs == 0 ? null : ScheduleChecks.nonNegative("start", start, 0.0);
  }
}
