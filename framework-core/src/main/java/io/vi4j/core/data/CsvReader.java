package io.vi4j.core.data;

import io.vi4j.api.data.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads numeric CSV files: one item per row, comma-separated, every row with the same number of
 * columns. Files may be gzip-compressed (detected by the magic bytes {@code 1f 8b}).
 *
 * <ul>
 *   <li>Cells are trimmed; a cell wrapped in double quotes is unwrapped (there is no escaping: a cell
 *       may not contain a comma). Blank lines are skipped; a UTF-8 byte-order mark is ignored.
 *   <li>Header row: {@code true} means the first non-blank line holds column names, {@code false}
 *       that it is data, {@code null} auto-detects: the first line is a header when any of its cells
 *       is not a number. (A header whose names are all numbers is only recognised with {@code true}.)
 *   <li>Label column: an optional column of integer labels, named either by its header name or by its
 *       0-based index (a negative index counts from the end: {@code -1} is the last column). A header
 *       name takes precedence over an index. It is removed from the values.
 *   <li>Values must be finite numbers. Values are returned as written (no scaling); see {@link
 *       Preprocessing#scale}.
 * </ul>
 *
 * <p>Errors are {@link DataException}s that name the file, and for a bad cell or row its line number
 * (1-based, counting every line of the file) and column (1-based, with the header name when there is
 * one): a non-numeric, non-finite or empty cell, a non-integer label, a row of the wrong width, an
 * unknown label column, or a file without data rows.
 */
public final class CsvReader {

  private CsvReader() {}

  /**
   * How to read a CSV file.
   *
   * @param header whether the first line is a header: true, false, or null to auto-detect
   * @param labelColumn the label column's header name or 0-based index (as text), or null for none
   */
  public record Options(Boolean header, String labelColumn) {

    /** @return auto-detected header, no labels */
    public static Options defaults() {
      return new Options(null, null);
    }
  }

  /** Reads a CSV file with an auto-detected header and no label column. */
  public static Dataset read(Path file) throws IOException {
    return read(file, Options.defaults());
  }

  /**
   * Reads a CSV file into a {@link Dataset} named by the file's path, with one item per data row.
   *
   * @param file the file, plain or gzip-compressed
   * @param options header and label column
   * @return the values (and labels, when a label column is given)
   * @throws DataException when the file is missing or its content is wrong; the message names the
   *     file, and for a bad cell or row the line and column
   */
  public static Dataset read(Path file, Options options) throws IOException {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8), 1 << 16)) {
      return read(file, reader, options);
    }
  }

  private static Dataset read(Path file, BufferedReader reader, Options options) throws IOException {
    String line;
    int lineNumber = 0;
    String[] first = null;
    int firstLine = 0;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (!line.isBlank()) {
        first = split(line);
        firstLine = lineNumber;
        break;
      }
    }
    if (first == null) {
      throw new DataException(file, "is empty: no header and no data rows");
    }
    int width = first.length;
    boolean header =
        options.header() != null ? options.header() : Arrays.stream(first).anyMatch(c -> !c.isEmpty() && !isNumber(c));
    String[] names = header ? first : null;
    int labelIndex = options.labelColumn() == null ? -1 : labelIndex(file, options.labelColumn(), names, width);
    int columns = width - (labelIndex >= 0 ? 1 : 0);
    if (columns == 0) {
      throw new DataException(file, "has only the label column, no values");
    }

    FloatList values = new FloatList(1 << 16);
    IntList labels = labelIndex >= 0 ? new IntList(1 << 10) : null;
    int rows = 0;
    String[] cells = header ? null : first;
    int cellsLine = firstLine;
    while (true) {
      if (cells == null) {
        line = reader.readLine();
        if (line == null) {
          break;
        }
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        cells = split(line);
        cellsLine = lineNumber;
      }
      if (cells.length != width) {
        throw new DataException(
            file,
            "line " + cellsLine + " has " + cells.length + " columns, expected " + width
                + " (as in line " + firstLine + ")");
      }
      for (int c = 0; c < width; c++) {
        String cell = cells[c];
        if (c == labelIndex) {
          labels.add(parseLabel(file, cell, cellsLine, c, names));
        } else {
          values.add(parseValue(file, cell, cellsLine, c, names));
        }
      }
      rows++;
      cells = null;
    }
    if (rows == 0) {
      throw new DataException(file, "has a header (line " + firstLine + ") but no data rows");
    }
    return new Dataset(
        file.toString(), values.toArray(), rows, columns, labels == null ? null : labels.toArray(), null);
  }

  private static int labelIndex(Path file, String labelColumn, String[] names, int width)
      throws DataException {
    String wanted = labelColumn.trim();
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(wanted)) {
          return i;
        }
      }
    }
    if (wanted.matches("[+-]?\\d{1,9}")) {
      int index = Integer.parseInt(wanted);
      int resolved = index < 0 ? width + index : index;
      if (resolved < 0 || resolved >= width) {
        throw new DataException(
            file,
            "label_column " + index + " is outside the " + width + " columns (0-based indexes 0.."
                + (width - 1) + ", or -1.." + (-width) + " from the end)");
      }
      return resolved;
    }
    throw new DataException(
        file,
        "label_column '" + labelColumn + "' is "
            + (names == null
                ? "not a column index, and the file has no header row to look names up in"
                : "neither a column name in the header " + Arrays.toString(names) + " nor a 0-based column index"));
  }

  private static float parseValue(Path file, String cell, int line, int column, String[] names)
      throws DataException {
    if (cell.isEmpty()) {
      throw new DataException(file, where(line, column, names) + ": empty cell, expected a number");
    }
    double v;
    try {
      v = Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      throw new DataException(file, where(line, column, names) + ": '" + cell + "' is not a number");
    }
    if (!Double.isFinite(v) || Float.isInfinite((float) v)) {
      throw new DataException(
          file, where(line, column, names) + ": '" + cell + "' is not a finite float");
    }
    return (float) v;
  }

  private static int parseLabel(Path file, String cell, int line, int column, String[] names)
      throws DataException {
    String where = where(line, column, names) + " (the label column)";
    if (cell.isEmpty()) {
      throw new DataException(file, where + ": empty cell, expected an integer label");
    }
    double v;
    try {
      v = Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      throw new DataException(file, where + ": '" + cell + "' is not an integer label");
    }
    if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
      throw new DataException(file, where + ": '" + cell + "' is not an integer label");
    }
    return (int) v;
  }

  private static String where(int line, int column, String[] names) {
    return "line " + line + ", column " + (column + 1)
        + (names != null ? " (\"" + names[column] + "\")" : "");
  }

  private static boolean isNumber(String cell) {
    try {
      Double.parseDouble(cell);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String[] split(String line) {
    String[] cells = line.split(",", -1);
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i].trim();
      if (c.length() >= 2 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"') {
        c = c.substring(1, c.length() - 1).trim();
      }
      cells[i] = c;
    }
    return cells;
  }

  /** A growable float array. */
  private static final class FloatList {
    private float[] data;
    private int size;

    FloatList(int capacity) {
      data = new float[capacity];
    }

    void add(float v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, 2L * data.length));
      }
      data[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] data;
    private int size;

    IntList(int capacity) {
      data = new int[capacity];
    }

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, 2 * data.length);
      }
      data[size++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
