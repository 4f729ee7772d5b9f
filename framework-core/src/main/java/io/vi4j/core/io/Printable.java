package io.vi4j.core.io;

/**
 * Makes text from files safe to print on one line of a terminal: control characters, escape sequences
 * and bidirectional overrides that a damaged or hostile file carries into a message are shown escaped.
 */
public final class Printable {
  private Printable() {}

  /** @return {@code message} as one safe line: line breaks become "; ", other control characters escapes. */
  public static String line(String message) {
    if (message == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(message.length());
    String text = message.strip().replace("\r\n", "\n");
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\n') {
        while (i < text.length() && text.charAt(i) == '\n') {
          i++;
        }
        out.append("; ");
      } else {
        appendEscaped(out, c);
      }
    }
    return out.toString();
  }

  /**
   * @return {@code value} in single quotes, escaped as by {@link #line} (line breaks too), and cut after
   *     {@code max} characters with its full length said
   */
  public static String quote(CharSequence value, int max) {
    String text = value.toString();
    StringBuilder out = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < text.length() && shown < max; shown++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      appendEscaped(out, c);
    }
    out.append('\'');
    if (text.codePointCount(0, text.length()) > max) {
      out.append(" (cut; ").append(text.length()).append(" characters)");
    }
    return out.toString();
  }

  private static void appendEscaped(StringBuilder out, int c) {
    switch (c) {
      case '\t' -> out.append("\\t");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      default -> {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
          out.append(String.format("\\x%02x", c));
        } else if (c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
            || c == 0xfeff) {
          out.append(String.format("\\u%04x", c));
        } else {
          out.appendCodePoint(c);
        }
      }
    }
  }
}
