package io.vi4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void quoteEscapesControlCharactersBackslashesAndQuotes() {
    assertThat(Printable.quote("plain")).isEqualTo("'plain'");
    assertThat(Printable.quote("a\nb\tc\rd")).isEqualTo("'a\\nb\\tc\\rd'");
    assertThat(Printable.quote("\u001b[31mred\u001b[0m")).isEqualTo("'\\x1B[31mred\\x1B[0m'");
    assertThat(Printable.quote("\u0000\u007f\u0085\u009b")).isEqualTo("'\\x00\\x7F\\x85\\x9B'");
    assertThat(Printable.quote("it's a\\b")).isEqualTo("'it\\'s a\\\\b'");
    assertThat(Printable.quote(null)).isEqualTo("null");
  }

  @Test
  void quoteEscapesSeparatorsBidiOverridesAndLoneSurrogatesButKeepsOtherText() {
    assertThat(Printable.quote("a\u2028b\u2029c")).isEqualTo("'a\\u2028b\\u2029c'");
    assertThat(Printable.quote("\u202eevil\u202c\u2066x\u2069\u200f\ufeff"))
        .isEqualTo("'\\u202Eevil\\u202C\\u2066x\\u2069\\u200F\\uFEFF'");
    assertThat(Printable.quote("x\ud800y")).isEqualTo("'x\\uD800y'");
    assertThat(Printable.quote("σ·ε 😀 é")).isEqualTo("'σ·ε 😀 é'");
  }

  @Test
  void quoteShortensLongValuesAndSaysHowLongTheyWere() {
    String quoted = Printable.quote("a".repeat(5000));
    assertThat(quoted).isEqualTo("'" + "a".repeat(Printable.QUOTE_LIMIT) + "...' (5000 characters)");
    String emoji = "b".repeat(Printable.QUOTE_LIMIT - 1) + "😀" + "c";
    assertThat(Printable.quote(emoji)).startsWith("'" + "b".repeat(Printable.QUOTE_LIMIT - 1) + "...'");
  }

  @Test
  void lineJoinsLinesAndEscapesTheRest() {
    assertThat(Printable.line("while parsing\n  in 'reader', line 1:\r\n    [1\n    ^\n"))
        .isEqualTo("while parsing; in 'reader', line 1:; [1; ^");
    assertThat(Printable.line("a\u2028b\u0085c\rd")).isEqualTo("a; b; c; d");
    assertThat(Printable.line("bad \u001b]0;title\u0007 here\tC:\\dir")).isEqualTo("bad \\x1B]0;title\\x07 here\\tC:\\dir");
    assertThat(Printable.line("one line")).isEqualTo("one line");
    assertThat(Printable.line("x".repeat(Printable.LINE_LIMIT + 5)))
        .endsWith("x... (" + (Printable.LINE_LIMIT + 5) + " characters)")
        .doesNotContain("\n");
  }
}
