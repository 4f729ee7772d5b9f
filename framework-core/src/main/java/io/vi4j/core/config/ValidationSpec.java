package io.vi4j.core.config;

import io.vi4j.api.kit.spec.Checks;

/**
 * A validation split carved from the training split before training: {@code fraction} of its items, or
 * {@code items} of them, chosen by a seeded shuffle. The carved items are never trained on; their −ELBO is
 * evaluated after every epoch (for early stopping and for {@code reduce-on-plateau}).
 *
 * @param fraction the share of the training items to hold out, in (0, 1); or
 * @param items how many training items to hold out, at least 1 (one of the two, not both)
 * @param seed chooses the items (default 0); the same seed and data always give the same split
 */
public record ValidationSpec(Double fraction, Integer items, Long seed) {

  /** @return a split of {@code fraction} of the training items chosen by {@code seed}. */
  public static ValidationSpec fraction(double fraction, long seed) {
    return new ValidationSpec(fraction, null, seed);
  }

  /** @return a split of {@code items} training items chosen by {@code seed}. */
  public static ValidationSpec items(int items, long seed) {
    return new ValidationSpec(null, items, seed);
  }

  /** Fills defaults and validates. */
  public ValidationSpec {
    if (fraction == null && items == null) {
      throw new IllegalArgumentException("a validation split needs fraction (e.g. 0.1) or items (e.g. 1000)");
    }
    if (fraction != null && items != null) {
      throw new IllegalArgumentException("give fraction or items, not both (got fraction " + fraction
          + " and items " + items + ")");
    }
    if (fraction != null) {
      ScheduleChecks.fraction("fraction", fraction, 0.1, "the share of the training items held out");
    } else {
      Checks.atLeast("items", items, 1, 1);
    }
    seed = seed == null ? 0L : seed;
  }

  /**
   * @param trainingItems items in the training split before the carving
   * @return the number of items held out: {@code items}, or {@code fraction} of them rounded to the nearest
   * @throws IllegalArgumentException naming the field when that leaves no item to validate on or none to
   *     train on
   */
  public int heldOut(int trainingItems) {
    int count = items != null ? items : (int) Math.round(fraction * trainingItems);
    String setting = items != null ? "training.validation.items (" + items + ")"
        : "training.validation.fraction (" + fraction + ")";
    if (count < 1) {
      throw new IllegalArgumentException(setting + " holds out 0 of the " + trainingItems
          + " training items; raise it so that at least one item is validated on");
    }
    if (count >= trainingItems) {
      throw new IllegalArgumentException(setting + " holds out " + count + " of the " + trainingItems
          + " training items and leaves none to train on; lower it");
    }
    return count;
  }
}
