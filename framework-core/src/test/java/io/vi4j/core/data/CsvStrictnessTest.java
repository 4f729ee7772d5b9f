package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.Dataset;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cells are plain decimal numbers only; overlong lines are refused naming the line; file bytes quoted in
 * a message are escaped and cut.
 */
class CsvStrictnessTest {

  @TempDir Path dir;

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("data.csv"), content);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "0x1p-1", "0x10", "0.5f", "0.5F", "1e5d", "2D", "0.1\0", "\" 1\"", "\"1 \"", "\"\t1\"", "1_000",
      "١", "1e", "1e+", ".", "+", "-", "--1", "+-1", "e5", ".e5", "1..2", "1.2.3", "1e5.5", "0.5 0.5", "1\u00a0"})
  void looseNumbersAreRefused(String cell) throws IOException {
    Path file = write("a,b\n0.5," + cell + "\n");
    String shown = io.vi4j.core.io.Printable.quote(
        cell.startsWith("\"") ? cell.substring(1, cell.length() - 1) : cell, CsvReader.CELL_CHARS);
    assertThatThrownBy(() -> CsvReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": line 2, column 2 (\"b\"): " + shown + " is not a decimal number");
  }

  @Test
  void plainDecimalsWithSurroundingBlanksAndQuotesAreRead() throws IOException {
    Path file = write("1, -2.5 ,+3,\t.5\t,5.,1E-3,1e+2,\"0.25\",007,-0\n");
    Dataset data = CsvReader.read(file);
    assertThat(data.values()).containsExactly(1f, -2.5f, 3f, 0.5f, 5f, 0.001f, 100f, 0.25f, 7f, -0f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nan", "NaN", "NAN", "-nan", "inf", "-Inf", "Infinity", "+infinity", "1e39", "-1e400"})
  void nanAndInfinitiesAreNotFinite(String cell) throws IOException {
    Path file = write("1,2\n3," + cell + "\n");
    assertThatThrownBy(() -> CsvReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": line 2, column 2: '" + cell + "' is not a finite float");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x1", "1L", "1.5", "2147483648", "-2147483649", "1e10", "nan", "1f", "\" 1\""})
  void looseLabelsAreRefused(String cell) throws IOException {
    Path file = write("label,v\n1,0.5\n" + cell + ",0.5\n");
    String shown = cell.startsWith("\"") ? cell.substring(1, cell.length() - 1) : cell;
    assertThatThrownBy(() -> CsvReader.read(file, new CsvReader.Options(null, "label")))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": line 3, column 1 (\"label\") (the label column): '" + shown
            + "' is not an integer label");
  }

  @Test
  void integralLabelsInAnyDecimalFormAreRead() throws IOException {
    Path file = write("label,v\n1.0,0.5\n+3,0.5\n-2147483648,0.5\n2147483647,0.5\n 2e1 ,0.5\n");
    Dataset data = CsvReader.read(file, new CsvReader.Options(null, "label"));
    assertThat(data.labels()).containsExactly(1, 3, Integer.MIN_VALUE, Integer.MAX_VALUE, 20);
  }

  @Test
  void overlongLineIsRefusedNamingTheLine() throws IOException {
    Path file = dir.resolve("long.csv");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("1,2\n");
      char[] zeros = new char[1 << 20];
      java.util.Arrays.fill(zeros, '0');
      for (int i = 0; i <= CsvReader.MAX_LINE_CHARS >> 20; i++) {
        out.write(zeros); // one line of 16 MiB + 1 MiB characters, no newline
      }
    }
    assertThatThrownBy(() -> CsvReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": line 2 is longer than 16777216 characters, the most a CSV line may hold;"
            + " is this a CSV file?");
  }

  @Test
  void lineAtTheLimitIsRead() throws IOException {
    Path file = dir.resolve("wide.csv");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("0".repeat(CsvReader.MAX_LINE_CHARS - 1) + "1\r\n2\r\n");
    }
    assertThat(CsvReader.read(file).values()).containsExactly(1f, 2f);
  }

  @Test
  void lineEndingsAreThoseOfAReader() throws IOException {
    Path file = write("a,b\r\n1,2\r3,4\n\n5,6");
    Dataset data = CsvReader.read(file);
    assertThat(data.values()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
    Path bad = write("a,b\r\n1,2\r3,x\n");
    assertThatThrownBy(() -> CsvReader.read(bad)).hasMessageStartingWith(bad + ": line 3, column 2");
  }

  @Test
  void controlCharactersInCellsAndNamesAreEscaped() throws IOException {
    Path file = write("a,\u001b[31mred\n1,\u001b[2J\u001b[H\n");
    assertThatThrownBy(() -> CsvReader.read(file))
        .hasMessage(file + ": line 2, column 2 (\"\\x1B[31mred\"): '\\x1B[2J\\x1B[H' is not a decimal number");
    Path cr = write("1,2\n3,4\r\r\n"); // a lone CR ends a line, as in a Reader
    assertThat(CsvReader.read(cr).rows()).isEqualTo(2);
  }

  @Test
  void longCellsAreCut() throws IOException {
    Path file = write("1,2\n3," + "x".repeat(100_000) + "\n");
    assertThatThrownBy(() -> CsvReader.read(file))
        .hasMessage(file + ": line 2, column 2: '" + "x".repeat(40) + "...' (100000 characters) is not a decimal number");
  }

  @Test
  void headerNamesInMessagesAreEscapedAndListedBriefly() throws IOException {
    StringBuilder header = new StringBuilder("\u001b]0;x\u0007");
    for (int i = 1; i < 30; i++) {
      header.append(",c").append(i);
    }
    Path file = write(header + "\n" + "1,".repeat(29) + "1\n");
    assertThatThrownBy(() -> CsvReader.read(file, new CsvReader.Options(null, "class")))
        .hasMessage(file + ": label_column 'class' is neither a column name in the header"
            + " [\\x1B]0;x\\x07, c1, c2, c3, c4, c5, c6, c7, c8, c9, ... (30 columns)] nor a 0-based column index");
    Path named = write("\"y\",\" v \"\n1,2\n");
    assertThat(CsvReader.read(named, new CsvReader.Options(null, "v")).labels()).containsExactly(2);
  }

  @Test
  void headerIsStillAutoDetectedFromNonNumbers() throws IOException {
    // A loose number in the first line is data (and an error), not a header that hides the line.
    Path loose = write("0.5f,1\n2,3\n");
    assertThatThrownBy(() -> CsvReader.read(loose))
        .hasMessage(loose + ": line 1, column 1: '0.5f' is not a decimal number");
    Path nan = write("nan,1\n2,3\n");
    assertThatThrownBy(() -> CsvReader.read(nan)).hasMessage(nan + ": line 1, column 1: 'nan' is not a finite float");
    Path words = write("x,y\n2,3\n");
    assertThat(CsvReader.read(words).rows()).isEqualTo(1);
  }
}
