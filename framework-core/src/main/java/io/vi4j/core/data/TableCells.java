package io.vi4j.core.data;

import io.vi4j.api.data.TableColumn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How the text of one cell is read: missing tokens, numbers, and the codes of levels. */
final class TableCells {
  /** The largest count stored exactly (a float holds every integer up to 2^24). */
  static final double MAX_COUNT = 1 << 24;

  private TableCells() {}

  /** @return whether the cell is missing: null (a Parquet NULL) or one of the missing tokens */
  static boolean isMissing(String cell, Set<String> missing) {
    return cell == null || missing.contains(cell);
  }

  /** @return the cell's value when it is a plain decimal number with a finite double value, else NaN */
  static double number(String cell) {
    if (!CsvNumbers.isDecimal(cell)) {
      return Double.NaN;
    }
    double v = Double.parseDouble(cell);
    return Double.isFinite(v) ? v : Double.NaN;
  }

  /** @return whether {@code v} is a whole number from 0 up to {@link #MAX_COUNT} */
  static boolean isCount(double v) {
    return v >= 0 && v <= MAX_COUNT && v == Math.rint(v);
  }

  /** @return the levels sorted: by value when every one is a number, else as text */
  static List<String> sortLevels(Set<String> levels) {
    List<String> sorted = new ArrayList<>(levels);
    if (sorted.stream().allMatch(l -> !Double.isNaN(number(l)))) {
      sorted.sort(Comparator.comparingDouble(TableCells::number).thenComparing(Comparator.naturalOrder()));
    } else {
      sorted.sort(Comparator.naturalOrder());
    }
    return sorted;
  }

  /** The codes of a column's levels: a cell is its level's code when it spells it, or is a number equal to it. */
  static final class Codes {
    private final Map<String, Integer> byText = new HashMap<>();
    private final Map<Double, Integer> byValue = new HashMap<>();
    final List<String> levels;

    Codes(List<String> levels) {
      this.levels = levels;
      for (int i = 0; i < levels.size(); i++) {
        byText.put(levels.get(i), i);
        double v = number(levels.get(i));
        if (!Double.isNaN(v)) {
          byValue.putIfAbsent(v == 0 ? 0.0 : v, i);
        }
      }
    }

    /** @return the cell's code, or -1 when it is none of the levels */
    int code(String cell) {
      Integer code = byText.get(cell);
      if (code == null) {
        double v = number(cell);
        code = Double.isNaN(v) ? null : byValue.get(v == 0 ? 0.0 : v);
      }
      return code == null ? -1 : code;
    }

    /** @return the levels for a message: {@code [f, m]}, the first 20 and how many there are */
    String list() {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < Math.min(levels.size(), 20); i++) {
        out.append(i == 0 ? "" : ", ").append(io.vi4j.core.io.Printable.escape(levels.get(i), CsvReader.CELL_CHARS));
      }
      if (levels.size() > 20) {
        out.append(", ... (").append(levels.size()).append(" levels)");
      }
      return out.append("]").toString();
    }
  }

  /** @return the kind's config spelling, such as {@code continuous} */
  static String kindName(TableColumn.Kind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
