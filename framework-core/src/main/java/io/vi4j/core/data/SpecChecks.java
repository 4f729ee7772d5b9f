package io.vi4j.core.data;

import io.vi4j.api.plugin.BuildContext;
import java.nio.file.Path;
import java.util.Locale;

/** Validation shared by the data specs' compact constructors, and path resolution for factories. */
final class SpecChecks {
  private SpecChecks() {}

  /** @return the binarization name in lower case, {@code none} when absent */
  static String binarize(String value) {
    return Preprocessing.binarizationName(Preprocessing.parseBinarization(value)).toLowerCase(Locale.ROOT);
  }

  /** @return the limit, or null for all items */
  static Integer limit(String field, Integer value) {
    if (value != null && value <= 0) {
      throw new IllegalArgumentException(
          field + ": " + value + " is not accepted; use a positive number of items, or leave it out"
              + " to keep all");
    }
    return value;
  }

  static int positive(String field, Integer value, int defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    if (value <= 0) {
      throw new IllegalArgumentException(
          field + ": " + value + " is not accepted; use a positive number (default " + defaultValue + ")");
    }
    return value;
  }

  static String requiredPath(String field, String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required: the path of " + what);
    }
    return value;
  }

  static String optionalPath(String field, String value, String what) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(
          field + " is blank; give the path of " + what + " or leave it out");
    }
    return value;
  }

  static Path resolve(BuildContext context, String path) {
    return context == null ? Path.of(path) : context.resolve(path);
  }
}
