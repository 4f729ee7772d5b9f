package io.vi4j.core.data;

import java.util.Locale;

/**
 * What a CSV cell may hold: plain decimal numbers only. {@link Double#parseDouble} alone is lenient: it
 * also takes hexadecimal ({@code 0x1p-1}), type suffixes ({@code 0.5f}, {@code 1e5d}) and strips control
 * characters ({@code 0.1\0}); those are refused here.
 */
final class CsvNumbers {
  private CsvNumbers() {}

  /**
   * @return whether {@code cell} is a plain decimal number: an optional sign, ASCII digits with an
   *     optional fraction ({@code 1}, {@code -2.5}, {@code .5}, {@code 5.}), then an optional exponent
   *     ({@code 1e-3}, {@code 2E+4}); nothing else, not even blanks
   */
  static boolean isDecimal(String cell) {
    int n = cell.length();
    int i = 0;
    if (i < n && (cell.charAt(i) == '+' || cell.charAt(i) == '-')) {
      i++;
    }
    int start = i;
    i = digits(cell, i);
    int mantissaDigits = i - start;
    if (i < n && cell.charAt(i) == '.') {
      int fraction = i + 1;
      i = digits(cell, fraction);
      mantissaDigits += i - fraction;
    }
    if (mantissaDigits == 0) {
      return false;
    }
    if (i < n && (cell.charAt(i) == 'e' || cell.charAt(i) == 'E')) {
      i++;
      if (i < n && (cell.charAt(i) == '+' || cell.charAt(i) == '-')) {
        i++;
      }
      int exponent = i;
      i = digits(cell, exponent);
      if (i == exponent) {
        return false;
      }
    }
    return i == n;
  }

  /** @return whether {@code cell} spells NaN or an infinity: {@code nan}, {@code -inf}, {@code Infinity}, any case */
  static boolean isNonFiniteWord(String cell) {
    String word = cell.startsWith("+") || cell.startsWith("-") ? cell.substring(1) : cell;
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "nan", "inf", "infinity" -> true;
      default -> false;
    };
  }

  /**
   * @return whether {@code cell} looks like a number at all, strict or not; used to tell a header from a
   *     data line, so that a data line with a loose number is reported rather than taken as a header
   */
  static boolean looksNumeric(String cell) {
    if (isDecimal(cell) || isNonFiniteWord(cell)) {
      return true;
    }
    try {
      Double.parseDouble(cell);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static int digits(String s, int i) {
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }
}
