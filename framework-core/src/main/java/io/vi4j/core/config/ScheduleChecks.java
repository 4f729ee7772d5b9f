package io.vi4j.core.config;

/** Range checks of the training schedules' settings; each failure names the field and what is accepted. */
final class ScheduleChecks {
  private ScheduleChecks() {}

  /** @return {@code value}, or {@code fallback} when null; fails unless finite and ≥ 0. */
  static double nonNegative(String field, Double value, double fallback) {
    double v = value == null ? fallback : value;
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(field + " must be a finite number ≥ 0, got " + v);
    }
    return v;
  }

  /** @return {@code value}, or {@code fallback} when null; fails unless strictly between 0 and 1. */
  static double fraction(String field, Double value, double fallback, String meaning) {
    double v = value == null ? fallback : value;
    if (!(v > 0 && v < 1)) {
      throw new IllegalArgumentException(field + " must be in (0, 1), got " + v + ": " + meaning);
    }
    return v;
  }
}
