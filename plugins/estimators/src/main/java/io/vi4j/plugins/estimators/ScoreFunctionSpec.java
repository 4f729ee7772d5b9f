package io.vi4j.plugins.estimators;

import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.core.config.Checks;

/**
 * Config of the {@code score-function} estimator.
 *
 * @param samples {@code K}, latent samples per data item (default 1; {@code leave-one-out} needs 2 or more)
 * @param controlVariate the baseline: {@code none} (default), {@code moving-average}, {@code leave-one-out},
 *     {@code batch-leave-one-out}
 * @param decay the moving average's decay {@code d} in [0, 1) (default 0.9); only with {@code moving-average}
 */
public record ScoreFunctionSpec(Integer samples, ControlVariate controlVariate, Double decay)
    implements EstimatorSpec {

  /** Fills defaults and validates. */
  public ScoreFunctionSpec {
    samples = Checks.atLeast("samples", samples, 1, 1);
    controlVariate = controlVariate == null ? ControlVariate.NONE : controlVariate;
    if (controlVariate == ControlVariate.LEAVE_ONE_OUT && samples < 2) {
      throw new IllegalArgumentException(
          "control_variate: leave-one-out needs samples of at least 2 (it averages an item's other samples),"
              + " got samples: " + samples);
    }
    if (controlVariate != ControlVariate.MOVING_AVERAGE && decay != null) {
      throw new IllegalArgumentException("decay is used only with control_variate: moving-average");
    }
    decay = controlVariate == ControlVariate.MOVING_AVERAGE ? Checks.inRange("decay", decay, 0.9, 0, 1) : null;
  }
}
