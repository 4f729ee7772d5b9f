package io.vi4j.core.train.schedule;

/**
 * When to stop on the validation −ELBO, as Keras's and Lightning's {@code EarlyStopping} decide (mode
 * {@code min}): an epoch improves when its value is below the best so far minus {@code minDelta}; training
 * stops after the first epoch that ends {@code patience} epochs without improvement. A function of the
 * figures so far only, so a resumed run decides exactly as an uninterrupted one.
 */
public final class EarlyStopping {
  private EarlyStopping() {}

  /**
   * Where early stopping stands after some epochs.
   *
   * @param bestEpoch the 1-based epoch that last improved (0 when none has: every value was NaN)
   * @param best its validation −ELBO (infinite when none)
   * @param epochsWithoutImprovement epochs since it
   * @param stop whether training stops now
   */
  public record State(int bestEpoch, double best, int epochsWithoutImprovement, boolean stop) {}

  /**
   * @param validation the validation −ELBO per item of epochs {@code 1..n} (index {@code i} is epoch
   *     {@code i + 1}); a NaN or infinite value never improves
   * @param patience epochs without improvement after which training stops, at least 1
   * @param minDelta the smallest decrease that counts, ≥ 0
   * @return the state after epoch {@code n}
   */
  public static State after(double[] validation, int patience, double minDelta) {
    int bestEpoch = 0;
    double best = Double.POSITIVE_INFINITY;
    int wait = 0;
    for (int i = 0; i < validation.length; i++) {
      double value = validation[i];
      if (Double.isFinite(value) && value < best - minDelta) {
        best = value;
        bestEpoch = i + 1;
        wait = 0;
      } else {
        wait++;
      }
    }
    return new State(bestEpoch, best, wait, wait >= patience);
  }
}
