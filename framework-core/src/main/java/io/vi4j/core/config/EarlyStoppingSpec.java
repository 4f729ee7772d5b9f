package io.vi4j.core.config;

import io.vi4j.api.kit.spec.Checks;

/**
 * Stops training when the validation −ELBO has not improved for {@code patience} epochs, as Keras's
 * {@code EarlyStopping} and Lightning's {@code EarlyStopping} do: an epoch improves when its validation
 * −ELBO is below the best so far minus {@code min_delta}. Needs {@code training.validation}.
 *
 * @param patience epochs without improvement after which training stops, at least 1 (default 5)
 * @param minDelta the smallest decrease of the validation −ELBO, in nats per item, that counts as an
 *     improvement, ≥ 0 (default 0)
 * @param restoreBest whether training ends with the parameters of the best epoch (the one with the lowest
 *     validation −ELBO) rather than the last one's, whether it stopped early or ran all its epochs
 *     (default true; Keras's {@code restore_best_weights} restores only when it stops early)
 */
public record EarlyStoppingSpec(Integer patience, Double minDelta, Boolean restoreBest) {

  /** Fills defaults and validates. */
  public EarlyStoppingSpec {
    patience = Checks.atLeast("patience", patience, 5, 1);
    minDelta = ScheduleChecks.nonNegative("min_delta", minDelta, 0.0);
    restoreBest = restoreBest == null ? Boolean.TRUE : restoreBest;
  }
}
