package io.vi4j.api.data;

import java.util.List;
import java.util.Objects;

/**
 * One value column of a table, as the model sees it after reading: its name, its kind, the levels of a
 * binary or categorical column (in code order) and the standardisation of a continuous one.
 *
 * <p>How a cell is stored in a {@link Dataset}: a continuous cell as {@code (value − center) / scale}; a
 * binary or categorical cell as its level's code {@code 0, 1, ..., levels − 1}; a count as it is (0, 1, 2,
 * ...); a missing cell as NaN.
 *
 * @param name the column's header name
 * @param kind what values it holds
 * @param levels the level names, code {@code i} being {@code levels.get(i)}: two for a binary column, at
 *     least two for a categorical one, empty for the others
 * @param center subtracted from a continuous value (its training mean); 0 for the other kinds
 * @param scale what a centered continuous value is divided by (its training standard deviation, or 1 when
 *     that is 0); 1 for the other kinds
 */
public record TableColumn(String name, Kind kind, List<String> levels, double center, double scale) {

  /** What a column holds. */
  public enum Kind {
    /** Real values, standardised. */
    CONTINUOUS,
    /** Two levels, stored as codes 0 and 1. */
    BINARY,
    /** Two or more unordered levels, stored as codes 0..L−1. */
    CATEGORICAL,
    /** Non-negative integers. */
    COUNT
  }

  /** Checks the fields against the kind. */
  public TableColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    levels = levels == null ? List.of() : List.copyOf(levels);
    if (kind == Kind.BINARY && levels.size() != 2) {
      throw new IllegalArgumentException("column '" + name + "' is binary but has " + levels.size() + " levels");
    }
    if (kind == Kind.CATEGORICAL && levels.size() < 2) {
      throw new IllegalArgumentException("column '" + name + "' is categorical but has " + levels.size() + " levels");
    }
    if ((kind == Kind.CONTINUOUS || kind == Kind.COUNT) && !levels.isEmpty()) {
      throw new IllegalArgumentException("column '" + name + "' is " + kind.name().toLowerCase()
          + " and takes no levels");
    }
    if (!(Double.isFinite(center) && Double.isFinite(scale) && scale > 0)) {
      throw new IllegalArgumentException("column '" + name + "': center " + center + " and scale " + scale
          + " must be finite, the scale positive");
    }
  }

  /** @return the stored value of a continuous cell in the table's own units. */
  public double toTableUnits(double stored) {
    return stored * scale + center;
  }
}
