package io.vi4j.core.train.schedule;

import io.vi4j.core.config.LrScheduleSpec;

/**
 * Adam's learning rate of every epoch, set at the epoch's start and kept for its steps: constant, or one
 * of the {@link LrScheduleSpec} schedules. The rate of epoch {@code e} is a function of {@code e} and of the
 * monitored −ELBO of the epochs before it only (the plateau schedule replays them), so a resumed run
 * recomputes it.
 */
public final class LearningRateSchedule {
  /** PyTorch's {@code ReduceLROnPlateau.eps}: a reduction smaller than this is not made. */
  static final double PLATEAU_EPSILON = 1e-8;

  private final double base;
  private final LrScheduleSpec spec;
  private final int epochs;

  private LearningRateSchedule(double base, LrScheduleSpec spec, int epochs) {
    this.base = base;
    this.spec = spec;
    this.epochs = epochs;
  }

  /**
   * @param learningRate {@code training.learning_rate}, the first epoch's rate
   * @param spec {@code training.lr_schedule}, or null for a constant rate
   * @param epochs {@code training.epochs}
   */
  public static LearningRateSchedule of(double learningRate, LrScheduleSpec spec, int epochs) {
    return new LearningRateSchedule(learningRate, spec, epochs);
  }

  /** @return whether the rate depends on the monitored figures (reduce-on-plateau). */
  public boolean monitors() {
    return spec instanceof LrScheduleSpec.ReduceOnPlateau;
  }

  /**
   * @param epoch the 1-based epoch
   * @param monitored the monitored −ELBO per item of epochs {@code 1, 2, …} (index {@code i} is epoch
   *     {@code i + 1}), at least those before {@code epoch}; NaN where unknown (never an improvement);
   *     read by reduce-on-plateau only
   * @return the rate epoch {@code epoch} trains at
   */
  public double at(int epoch, double[] monitored) {
    if (spec == null) {
      return base;
    }
    if (spec instanceof LrScheduleSpec.Step step) {
      return base * Math.pow(step.gamma(), (epoch - 1) / step.stepEpochs());
    }
    if (spec instanceof LrScheduleSpec.Cosine cosine) {
      double min = cosine.minLearningRate();
      return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
    }
    return plateau((LrScheduleSpec.ReduceOnPlateau) spec, epoch, monitored);
  }

  /** PyTorch's {@code ReduceLROnPlateau.step}, mode {@code min}, replayed over the epochs before {@code epoch}. */
  private double plateau(LrScheduleSpec.ReduceOnPlateau plateau, int epoch, double[] monitored) {
    if (monitored.length < epoch - 1) {
      throw new IllegalArgumentException("the rate of epoch " + epoch + " depends on the " + (epoch - 1)
          + " epochs before it, " + monitored.length + " given");
    }
    double rate = base;
    double best = Double.POSITIVE_INFINITY;
    int bad = 0;
    int cooldown = 0;
    for (int i = 0; i < epoch - 1; i++) {
      double value = monitored[i];
      if (improves(value, best, plateau.threshold())) {
        best = value;
        bad = 0;
      } else {
        bad++;
      }
      if (cooldown > 0) {
        cooldown--;
        bad = 0;
      }
      if (bad > plateau.patience()) {
        double lower = Math.max(rate * plateau.factor(), plateau.minLearningRate());
        if (rate - lower > PLATEAU_EPSILON) {
          rate = lower;
        }
        cooldown = plateau.cooldown();
        bad = 0;
      }
    }
    return rate;
  }

  /** Relative improvement: below {@code best − threshold·|best|} (PyTorch's {@code rel} mode for minimum). */
  private static boolean improves(double value, double best, double threshold) {
    if (Double.isNaN(value)) {
      return false;
    }
    return best == Double.POSITIVE_INFINITY ? value < best : value < best - threshold * Math.abs(best);
  }
}
