package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vi4j.api.data.Dataset;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Path.of(CsvReaderTest.class.getResource("/data/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void readsHeaderAndLabelColumnByName() throws IOException {
    Path file = resource("small-header.csv");
    Dataset data = CsvReader.read(file, new CsvReader.Options(null, "label"));
    assertThat(data.name()).isEqualTo(file.toString());
    assertThat(data.rows()).isEqualTo(3); // the blank line is skipped
    assertThat(data.columns()).isEqualTo(3);
    assertThat(data.values()).containsExactly(0f, 0.5f, 1f, 0.25f, 0.75f, 0.125f, 1f, 0f, 0.5f);
    assertThat(data.labels()).containsExactly(1, 0, 2);
    assertThat(data.itemShape()).containsExactly(3);
  }

  @Test
  void labelColumnByIndexAndFromTheEnd() throws IOException {
    Dataset first = CsvReader.read(resource("small-header.csv"), new CsvReader.Options(true, "0"));
    assertThat(first.labels()).containsExactly(1, 0, 2);
    Path file = write("last.csv", "1,2,3\n4,5,6\n");
    Dataset last = CsvReader.read(file, new CsvReader.Options(null, "-1"));
    assertThat(last.labels()).containsExactly(3, 6);
    assertThat(last.values()).containsExactly(1f, 2f, 4f, 5f);
  }

  @Test
  void autoDetectsHeaderOrNot() throws IOException {
    Dataset noHeader = CsvReader.read(resource("small-noheader.csv"));
    assertThat(noHeader.rows()).isEqualTo(2);
    assertThat(noHeader.columns()).isEqualTo(3);
    assertThat(noHeader.hasLabels()).isFalse();
    assertThat(noHeader.values()).containsExactly(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f);

    Dataset header = CsvReader.read(resource("small-header.csv"));
    assertThat(header.rows()).isEqualTo(3);
    assertThat(header.columns()).isEqualTo(4);

    // An all-numeric header is only recognised when asked for.
    Path numericNames = write("numeric-header.csv", "1,2\n0.5,0.25\n");
    assertThat(CsvReader.read(numericNames).rows()).isEqualTo(2);
    assertThat(CsvReader.read(numericNames, new CsvReader.Options(true, null)).rows()).isEqualTo(1);
  }

  @Test
  void quotedHeaderBomAndGzip() throws IOException {
    Path file = dir.resolve("q.csv.whatever");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write("\uFEFF\"y\", \"v\"\n 3 , 0.5 \n".getBytes(StandardCharsets.UTF_8));
    }
    Dataset data = CsvReader.read(file, new CsvReader.Options(null, "y"));
    assertThat(data.labels()).containsExactly(3);
    assertThat(data.values()).containsExactly(0.5f);
  }

  @Test
  void badCellNamesFileLineAndColumn() {
    Path file = resource("bad-cell.csv");
    assertThatThrownBy(() -> CsvReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": line 3, column 2 (\"y\"): 'oops' is not a decimal number");
  }

  @Test
  void emptyAndNonFiniteCells() throws IOException {
    Path empty = write("empty.csv", "1,2\n3,\n");
    assertThatThrownBy(() -> CsvReader.read(empty))
        .hasMessage(empty + ": line 2, column 2: empty cell, expected a number (the csv source reads complete numeric"
            + " tables; data.type: table reads missing cells)");
    Path nan = write("nan.csv", "1,2\nNaN,4\n");
    assertThatThrownBy(() -> CsvReader.read(nan))
        .hasMessage(nan + ": line 2, column 1: 'NaN' is not a finite float");
    Path forcedData = write("forced.csv", "a,b\n1,2\n");
    assertThatThrownBy(() -> CsvReader.read(forcedData, new CsvReader.Options(false, null)))
        .hasMessage(forcedData + ": line 1, column 1: 'a' is not a decimal number");
  }

  @Test
  void wrongWidthNamesLine() {
    Path file = resource("wrong-width.csv");
    assertThatThrownBy(() -> CsvReader.read(file))
        .isInstanceOf(DataException.class)
        .hasMessage(file + ": line 3 has 2 columns, expected 3 (as in line 1)");
  }

  @Test
  void badLabels() throws IOException {
    Path file = write("labels.csv", "label,v\n1,0.5\n2.5,0.5\n");
    assertThatThrownBy(() -> CsvReader.read(file, new CsvReader.Options(null, "label")))
        .hasMessage(file + ": line 3, column 1 (\"label\") (the label column): '2.5' is not an integer label");
    assertThatThrownBy(() -> CsvReader.read(file, new CsvReader.Options(null, "class")))
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("label_column 'class' is neither a column name in the header [label, v]");
    assertThatThrownBy(() -> CsvReader.read(file, new CsvReader.Options(null, "5")))
        .hasMessageContaining("label_column 5 is outside the 2 columns");
    Path noHeader = write("nh.csv", "1,2\n");
    assertThatThrownBy(() -> CsvReader.read(noHeader, new CsvReader.Options(null, "label")))
        .hasMessageContaining("the file has no header row");
  }

  @Test
  void emptyFilesAndMissingFiles() throws IOException {
    Path empty = write("e.csv", "\n\n");
    assertThatThrownBy(() -> CsvReader.read(empty)).hasMessage(empty + ": is empty: no header and no data rows");
    Path headerOnly = write("h.csv", "a,b\n");
    assertThatThrownBy(() -> CsvReader.read(headerOnly)).hasMessageContaining("no data rows");
    Path missing = dir.resolve("missing.csv");
    assertThatThrownBy(() -> CsvReader.read(missing)).hasMessage(missing + ": file not found");
  }
}
