package io.vi4j.plugins.estimators;

import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.api.kit.spec.Checks;
import java.util.List;

/**
 * Config of the {@code score-function} estimator.
 *
 * @param samples {@code K}, latent samples per data item (default 1; {@code leave-one-out} needs 2 or more)
 * @param controlVariate the baseline: {@code none} (default), {@code moving-average}, {@code leave-one-out},
 *     {@code batch-leave-one-out}
 * @param decay the moving average's decay {@code d} in [0, 1) (default 0.9); with {@code moving-average}
 *     and {@code input-dependent}
 * @param baselineHidden hidden widths of the learned baseline's MLP (default {@code [100]}); only with
 *     {@code input-dependent}
 */
public record ScoreFunctionSpec(
    Integer samples, ControlVariate controlVariate, Double decay, List<Integer> baselineHidden)
    implements EstimatorSpec {

  /** Without a learned baseline's settings. */
  public ScoreFunctionSpec(Integer samples, ControlVariate controlVariate, Double decay) {
    this(samples, controlVariate, decay, null);
  }

  /** Fills defaults and validates. */
  public ScoreFunctionSpec {
    samples = Checks.atLeast("samples", samples, 1, 1);
    controlVariate = controlVariate == null ? ControlVariate.NONE : controlVariate;
    if (controlVariate == ControlVariate.LEAVE_ONE_OUT && samples < 2) {
      throw new IllegalArgumentException(
          "control_variate: leave-one-out needs samples of at least 2 (it averages an item's other samples),"
              + " got samples: " + samples);
    }
    boolean averaged = controlVariate == ControlVariate.MOVING_AVERAGE || controlVariate == ControlVariate.INPUT_DEPENDENT;
    if (!averaged && decay != null) {
      throw new IllegalArgumentException("decay is used only with control_variate: moving-average or input-dependent");
    }
    decay = averaged ? Checks.inRange("decay", decay, 0.9, 0, 1) : null;
    if (controlVariate != ControlVariate.INPUT_DEPENDENT && baselineHidden != null) {
      throw new IllegalArgumentException("baseline_hidden is used only with control_variate: input-dependent");
    }
    baselineHidden = controlVariate == ControlVariate.INPUT_DEPENDENT
        ? Checks.widths("baseline_hidden", baselineHidden, List.of(100)) : null;
  }
}
