package io.vi4j.core.data;

/**
 * Text taken from a data file (a CSV cell, a header name) made safe to quote in a one-line message:
 * control characters, terminal escape sequences and invisible format characters are escaped, and long
 * values are cut.
 *
 * <p>Escaped: C0 controls and DEL ({@code \x00}..{@code \x1f}, {@code \x7f}) and C1 controls ({@code
 * \x80}..{@code \x9f}) as {@code \xNN}; format characters (bidirectional overrides, zero-width
 * characters, the byte-order mark), line and paragraph separators and lone surrogates as <code>&#92;uNNNN</code>.
 * Everything else, including non-ASCII letters, is kept.
 *
 * <p>(A general utility, {@code io.vi4j.core.io.Printable}, is being added elsewhere; this class is
 * package-private so that the two can be merged later.)
 */
final class CellText {

  /** Values longer than this many characters are cut and end in {@code ...}. */
  static final int MAX_CHARS = 40;

  private CellText() {}

  /** @return {@code text} escaped and cut, in single quotes: {@code '0x1p-1'} */
  static String quote(String text) {
    return "'" + escape(text) + "'";
  }

  /**
   * @return {@code text} with unprintable characters escaped, cut after {@link #MAX_CHARS} characters
   *     of the original (never inside a surrogate pair) with {@code ...} appended
   */
  static String escape(String text) {
    int end = text.length();
    boolean cut = end > MAX_CHARS;
    if (cut) {
      end = MAX_CHARS;
      if (Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
        end--;
      }
    }
    StringBuilder out = new StringBuilder(end + 8);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        out.append(String.format("\\x%02x", (int) c));
      } else if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c)
            ? i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))
            : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
        out.append(paired ? String.valueOf(c) : String.format("\\u%04x", (int) c));
      } else if (isInvisible(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return cut ? out.append("...").toString() : out.toString();
  }

  private static boolean isInvisible(char c) {
    int type = Character.getType(c);
    return type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
