package io.vi4j.plugins.estimators;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Baselines {@code b} subtracted from the score function's learning signal {@code f}; each leaves the
 * gradient unbiased because {@code b} does not depend on the sample it multiplies
 * ({@code E_q[b ∇ log q] = b ∇ ∫q = 0}).
 */
public enum ControlVariate {
  /** {@code b = 0}. */
  NONE,
  /**
   * An exponential moving average of the batch-mean signal of earlier steps, {@code b ← d·b + (1−d)·f̄}
   * (Williams 1992; the first step uses {@code b = 0}).
   */
  MOVING_AVERAGE,
  /**
   * For sample {@code k} of item {@code i}, the mean signal of the item's other {@code K − 1} samples
   * (the per-data-point baseline of Mnih &amp; Rezende 2016; Kool et al. 2019). Needs {@code K ≥ 2}.
   */
  LEAVE_ONE_OUT,
  /**
   * For item {@code i}, the mean signal of the other items of the minibatch with the same sample index;
   * works with {@code K = 1}; a batch of one item gets {@code b = 0}.
   */
  BATCH_LEAVE_ONE_OUT,
  /**
   * The moving average plus a learned input-dependent baseline {@code b_ψ(x)}: a small MLP of the data
   * item, fitted by least squares to the signal left after the moving average (NVIL, Mnih &amp; Gregor
   * 2014). A per-data-point baseline that works with {@code K = 1}; its parameters train with the model's.
   */
  INPUT_DEPENDENT;

  /** @return the config spelling, such as {@code leave-one-out}. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a config spelling; an unknown one fails listing the accepted ones. */
  @JsonCreator
  public static ControlVariate parse(String text) {
    for (ControlVariate c : values()) {
      if (c.configName().equals(text)) {
        return c;
      }
    }
    throw new IllegalArgumentException("control_variate must be one of "
        + Arrays.stream(values()).map(ControlVariate::configName).collect(Collectors.joining(", "))
        + "; got '" + text + "'");
  }
}
