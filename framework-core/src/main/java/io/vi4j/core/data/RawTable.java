package io.vi4j.core.data;

import io.vi4j.core.io.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table as read from its file, before any column is interpreted: the header's names and each row's cells
 * as text (null for a cell that is absent, such as a Parquet {@code NULL}), with where each row stands in the
 * file, for messages.
 */
final class RawTable {
  final Path file;
  final String[] header;
  /** {@code line} for a CSV file (1-based, every line counted), {@code row} for a Parquet file. */
  final String rowWord;
  final List<String[]> rows;
  final List<Long> places;
  /** Where the header stands, for messages: {@code line 1}, or {@code the header} of a Parquet file. */
  final String headerPlace;
  private final Map<String, Integer> index = new HashMap<>();

  RawTable(Path file, String[] header, String rowWord, List<String[]> rows, List<Long> places, String headerPlace)
      throws DataException {
    this.file = file;
    this.header = header;
    this.rowWord = rowWord;
    this.rows = rows;
    this.places = places;
    this.headerPlace = headerPlace;
    for (int c = 0; c < header.length; c++) {
      String name = header[c];
      if (name == null || name.isEmpty()) {
        throw new DataException(file, headerPlace + ", column " + (c + 1)
            + ": the header names no column; every column needs a name");
      }
      Integer before = index.putIfAbsent(name, c);
      if (before != null) {
        throw new DataException(file, headerPlace + ", column " + (c + 1) + ": the header repeats "
            + quote(name) + " (column " + (before + 1) + "); every column needs its own name");
      }
    }
  }

  /** @return the 0-based position of the column named {@code name}, or -1 */
  int column(String name) {
    return index.getOrDefault(name, -1);
  }

  /** @return the rows at {@code picked} (in that order), as a table of the same file */
  RawTable subset(int[] picked) throws DataException {
    List<String[]> keptRows = new ArrayList<>(picked.length);
    List<Long> keptPlaces = new ArrayList<>(picked.length);
    for (int i : picked) {
      keptRows.add(rows.get(i));
      keptPlaces.add(places.get(i));
    }
    return new RawTable(file, header, rowWord, keptRows, keptPlaces, headerPlace);
  }

  /** @return {@code line 7, column 3 ("age")} for row {@code r} and column {@code c} */
  String where(int r, int c) {
    return rowWord + " " + places.get(r) + ", column " + (c + 1) + " (" + quote(header[c]) + ")";
  }

  /** @return the header's names, escaped, the first ten and how many there are */
  String headerList() {
    StringBuilder list = new StringBuilder("[");
    for (int i = 0; i < Math.min(header.length, 10); i++) {
      list.append(i == 0 ? "" : ", ").append(Printable.escape(header[i], CsvReader.CELL_CHARS));
    }
    if (header.length > 10) {
      list.append(", ... (").append(header.length).append(" columns)");
    }
    return list.append("]").toString();
  }

  /** @return a cell or name from the file, in double quotes, escaped and cut */
  static String quote(String text) {
    return Printable.quote(text, CsvReader.CELL_CHARS);
  }
}
