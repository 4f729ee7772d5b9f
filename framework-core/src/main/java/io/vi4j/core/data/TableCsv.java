package io.vi4j.core.data;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file of a {@code table} source as text cells: the first non-blank line is the header, every
 * other non-blank line a row as wide as it. Cells are separated by commas; spaces and tabs around a cell are
 * ignored; a cell in double quotes may hold commas and a doubled quote ({@code ""}) stands for one quote, but
 * it may not span lines. Files may be gzip-compressed; a UTF-8 byte-order mark is ignored; lines end at
 * {@code \n}, {@code \r\n} or {@code \r} and hold at most {@link CsvReader#MAX_LINE_CHARS} characters.
 */
final class TableCsv {
  private TableCsv() {}

  /**
   * @throws DataException naming the file, and the line of a row of the wrong width or an unclosed quote
   */
  static RawTable read(Path file) throws IOException {
    try (Reader reader = new InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8)) {
      CsvLines lines = new CsvLines(reader, file, CsvReader.MAX_LINE_CHARS);
      String[] header = null;
      long headerLine = 0;
      List<String[]> rows = new ArrayList<>();
      List<Long> places = new ArrayList<>();
      String line;
      while ((line = lines.next()) != null) {
        if (lines.number() == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.chars().allMatch(ch -> ch == ' ' || ch == '\t')) {
          continue;
        }
        String[] cells = split(file, line, lines.number());
        if (header == null) {
          header = cells;
          headerLine = lines.number();
          continue;
        }
        if (cells.length != header.length) {
          throw new DataException(file, "line " + lines.number() + " has " + cells.length + " cells, but the header"
              + " (line " + headerLine + ") names " + header.length + " columns");
        }
        rows.add(cells);
        places.add(lines.number());
      }
      if (header == null) {
        throw new DataException(file, "is empty: no header and no rows");
      }
      if (rows.isEmpty()) {
        throw new DataException(file, "has a header (line " + headerLine + ") but no rows");
      }
      return new RawTable(file, header, "line", rows, places, "line " + headerLine);
    }
  }

  /** @return the cells of one line, unquoted, without the blanks around them */
  static String[] split(Path file, String line, long number) throws DataException {
    List<String> cells = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && isBlank(line.charAt(i))) {
        i++;
      }
      StringBuilder cell = new StringBuilder();
      if (i < n && line.charAt(i) == '"') {
        int column = cells.size() + 1;
        i++;
        boolean closed = false;
        while (i < n) {
          char ch = line.charAt(i++);
          if (ch == '"') {
            if (i < n && line.charAt(i) == '"') {
              cell.append('"');
              i++;
            } else {
              closed = true;
              break;
            }
          } else {
            cell.append(ch);
          }
        }
        if (!closed) {
          throw new DataException(file, "line " + number + ", column " + column + ": a quoted cell is not closed"
              + " (a cell cannot span lines)");
        }
        while (i < n && isBlank(line.charAt(i))) {
          i++;
        }
        if (i < n && line.charAt(i) != ',') {
          throw new DataException(file, "line " + number + ", column " + column + ": text after a quoted cell's"
              + " closing quote; quote the whole cell, and double a quote inside it (\"\")");
        }
        cells.add(cell.toString());
      } else {
        int start = i;
        while (i < n && line.charAt(i) != ',') {
          i++;
        }
        int end = i;
        while (end > start && isBlank(line.charAt(end - 1))) {
          end--;
        }
        cells.add(line.substring(start, end));
      }
      if (i >= n) {
        break;
      }
      i++; // the comma
    }
    return cells.toArray(new String[0]);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
