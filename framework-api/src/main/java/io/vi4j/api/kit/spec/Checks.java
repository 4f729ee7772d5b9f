package io.vi4j.api.kit.spec;

/** Small validations for spec constructors; each failure names the field and what is accepted. */
public final class Checks {
  private Checks() {}

  /** @return {@code value}, or {@code fallback} when null; fails unless at least {@code min}. */
  public static int atLeast(String field, Integer value, int fallback, int min) {
    int v = value == null ? fallback : value;
    if (v < min) {
      throw new IllegalArgumentException(field + " must be at least " + min + ", got " + v);
    }
    return v;
  }

  /** @return {@code value}, or {@code fallback} when null; fails unless finite and positive. */
  public static double positive(String field, Double value, double fallback) {
    double v = value == null ? fallback : value;
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(field + " must be a positive finite number, got " + v);
    }
    return v;
  }

  /** @return {@code value}, or {@code fallback} when null; fails unless in {@code [lo, hi)}. */
  public static double inRange(String field, Double value, double fallback, double lo, double hi) {
    double v = value == null ? fallback : value;
    if (!(v >= lo && v < hi)) {
      throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + "), got " + v);
    }
    return v;
  }

  /** @return an immutable copy of layer widths, or {@code fallback} when null; each must be at least 1. */
  public static java.util.List<Integer> widths(
      String field, java.util.List<Integer> value, java.util.List<Integer> fallback) {
    java.util.List<Integer> v = value == null ? fallback : value;
    for (int i = 0; i < v.size(); i++) {
      if (v.get(i) == null || v.get(i) < 1) {
        throw new IllegalArgumentException(
            field + "[" + i + "] must be a layer width of at least 1, got " + v.get(i));
      }
    }
    return java.util.List.copyOf(v);
  }

  /**
   * Validates a component's network settings: either {@code network} (a list of layers) or an MLP's
   * {@code hidden} widths and {@code activation}, not both.
   *
   * @return the layers, copied; null when the MLP settings are used
   * @throws IllegalArgumentException naming the fields
   */
  public static java.util.List<io.vi4j.api.kit.nn.LayerSpec> network(
      java.util.List<io.vi4j.api.kit.nn.LayerSpec> network, java.util.List<Integer> hidden, Object activation) {
    if (network == null) {
      return null;
    }
    if (hidden != null || activation != null) {
      throw new IllegalArgumentException("network replaces hidden and activation (an MLP's settings); give either"
          + " network or hidden and activation");
    }
    if (network.isEmpty()) {
      throw new IllegalArgumentException("network must list at least one layer");
    }
    for (int i = 0; i < network.size(); i++) {
      if (network.get(i) == null) {
        throw new IllegalArgumentException("network[" + i + "] is empty; give each layer a type");
      }
    }
    return java.util.List.copyOf(network);
  }
}
