package io.vi4j.core.page;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Numbers as a page shows them, and series read from JSON lines. */
final class Numbers {
  private Numbers() {}

  /** @return a JSON value as text: whole numbers in full, others to 6 significant digits, objects as JSON */
  static String text(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "—";
    }
    if (value.isIntegralNumber()) {
      return value.asText();
    }
    if (value.isNumber()) {
      return text(value.asDouble());
    }
    if (value.isTextual()) {
      return value.asText();
    }
    return value.toString();
  }

  /** @return a number to 6 significant digits ({@code NaN} as a dash) */
  static String text(double value) {
    if (Double.isNaN(value)) {
      return "—";
    }
    return String.format(Locale.ROOT, "%.6g", value).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
        .replaceFirst("\\.(e|$)", "$1");
  }

  /** @return {x, y} of the lines that have a finite number at both keys, in order */
  static double[][] series(List<JsonNode> lines, String xKey, String yKey) {
    List<double[]> points = new ArrayList<>();
    for (JsonNode line : lines) {
      JsonNode x = line.get(xKey);
      JsonNode y = line.get(yKey);
      if (x != null && y != null && x.isNumber() && y.isNumber() && Double.isFinite(y.asDouble())) {
        points.add(new double[] {x.asDouble(), y.asDouble()});
      }
    }
    double[][] out = new double[2][points.size()];
    for (int i = 0; i < points.size(); i++) {
      out[0][i] = points.get(i)[0];
      out[1][i] = points.get(i)[1];
    }
    return out;
  }
}
