package io.vi4j.core.io;

/**
 * Makes text from files and command lines safe to print in a one-line error message: control characters,
 * line and paragraph separators, invisible formatting characters (zero-width characters, bidirectional
 * overrides and isolates) and unpaired surrogates are written as escapes ({@code \n}, {@code \t}, {@code \r}, {@code \xNN} below U+0100, <code>&#92;uNNNN</code>
 * above), so that a hostile file cannot move the cursor, recolour the terminal, reorder what is shown or
 * add lines to a log. Long values are shortened.
 */
public final class Printable {
  /** The most characters of a value {@link #quote} keeps. */
  public static final int QUOTE_LIMIT = 80;

  /** The most characters {@link #line} keeps of a message. */
  public static final int LINE_LIMIT = 2000;

  private Printable() {}

  /**
   * Quotes a value taken from input, for a message such as {@code unknown field 'X'}: the value between
   * single quotes, with backslashes and single quotes escaped as well as the characters listed above,
   * and, when longer than {@link #QUOTE_LIMIT} characters, cut there and followed by {@code ...} and the
   * whole length, e.g. {@code 'aaaa...' (5000 characters)}.
   *
   * @param value any text; null is written {@code null}
   * @return a quoted, escaped value of one line
   */
  public static String quote(CharSequence value) {
    return quote(value, QUOTE_LIMIT);
  }

  /**
   * As {@link #quote(CharSequence)}, keeping at most {@code limit} characters (a CSV cell is shown
   * shorter than a config value).
   */
  public static String quote(CharSequence value, int limit) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder().append('\'');
    int end = cut(value, limit);
    escape(value, 0, end, true, out);
    out.append('\'');
    if (end < value.length()) {
      out.insert(out.length() - 1, "...").append(" (").append(value.length()).append(" characters)");
    }
    return out.toString();
  }

  /**
   * @return {@code value} escaped as by {@link #line} but without quotes (line breaks escaped too), cut
   *     after {@code limit} characters with {@code ...} appended: for text set into a message of its own,
   *     such as a header name between double quotes or a library's exception message
   */
  public static String escape(CharSequence value, int limit) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    int end = cut(value, limit);
    escape(value, 0, end, false, out);
    return end < value.length() ? out.append("...").toString() : out.toString();
  }

  /**
   * Makes a message one safe line: each line break (CR, LF, CRLF, NEL, U+2028, U+2029) with the blanks
   * around it becomes {@code "; "} (blank lines are dropped), every other control or invisible character
   * is escaped as listed above (backslashes are left as they are), and a message longer than
   * {@link #LINE_LIMIT} characters is cut there and followed by {@code ... (N characters)}.
   *
   * @param message any text, such as an exception's message; null is written {@code null}
   * @return one line without control characters
   */
  public static String line(String message) {
    if (message == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(message.length(), LINE_LIMIT) + 16);
    int end = cut(message, LINE_LIMIT);
    int start = 0;
    for (int i = 0; i <= end; i++) {
      if (i == end || isLineBreak(message.charAt(i))) {
        String part = message.substring(start, i).strip();
        if (!part.isEmpty()) {
          if (out.length() > 0) {
            out.append("; ");
          }
          escape(part, 0, part.length(), false, out);
        }
        if (i < end && message.charAt(i) == '\r' && i + 1 < end && message.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (end < message.length()) {
      out.append("... (").append(message.length()).append(" characters)");
    }
    return out.toString();
  }

  /**
   * @return whether {@code c} is escaped by {@link #quote} and {@link #line}: a control character
   *     (U+0000–U+001F, U+007F–U+009F), a line or paragraph separator, or an invisible formatting character
   *     (Unicode's category Cf: zero-width characters, bidirectional marks, embeddings, overrides and
   *     isolates U+202A–U+202E and U+2066–U+2069, the byte order mark, ...)
   */
  public static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
        || Character.getType(c) == Character.FORMAT;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  /** @return where to cut {@code text} to keep at most {@code max} characters, never inside a surrogate pair */
  private static int cut(CharSequence text, int max) {
    if (text.length() <= max) {
      return text.length();
    }
    return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
  }

  private static void escape(CharSequence text, int from, int to, boolean quoted, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c) || needsEscape(c)) {
        switch (c) {
          case '\n' -> out.append("\\n");
          case '\t' -> out.append("\\t");
          case '\r' -> out.append("\\r");
          default -> out.append(c < 0x100 ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c));
        }
      } else if (quoted && (c == '\\' || c == '\'')) {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
  }
}
