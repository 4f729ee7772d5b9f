package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CellTextTest {

  @Test
  void plainTextIsKept() {
    assertThat(CellText.escape("0.5")).isEqualTo("0.5");
    assertThat(CellText.escape("ünïcödé €")).isEqualTo("ünïcödé €");
    assertThat(CellText.quote("oops")).isEqualTo("'oops'");
  }

  @Test
  void controlCharactersAndEscapeSequencesAreEscaped() {
    assertThat(CellText.escape("0.1\0")).isEqualTo("0.1\\x00");
    assertThat(CellText.escape("\u001b[2J\u001b]0;title\u0007")).isEqualTo("\\x1b[2J\\x1b]0;title\\x07");
    assertThat(CellText.escape("a\r\nb\tc\u007f")).isEqualTo("a\\x0d\\x0ab\\x09c\\x7f");
    assertThat(CellText.escape("\u009b31m")).isEqualTo("\\x9b31m"); // the one-character CSI
    // Bidirectional overrides, zero-width and line-separator characters, a lone surrogate.
    assertThat(CellText.escape("\u202eabc\u200b\u2028\ud800")).isEqualTo("\\u202eabc\\u200b\\u2028\\ud800");
    assertThat(CellText.escape("\uFEFFx")).isEqualTo("\\ufeffx");
  }

  @Test
  void longValuesAreCutAfter40Characters() {
    String cut = CellText.escape("x".repeat(1000));
    assertThat(cut).isEqualTo("x".repeat(40) + "...");
    assertThat(CellText.escape("y".repeat(40))).isEqualTo("y".repeat(40));
    // A surrogate pair is not split.
    String emoji = "a".repeat(39) + "\uD83D\uDE00" + "zz";
    assertThat(CellText.escape(emoji)).isEqualTo("a".repeat(39) + "...");
    // The cut counts characters of the value, before escaping.
    assertThat(CellText.escape("\0".repeat(50))).isEqualTo("\\x00".repeat(40) + "...");
  }
}
