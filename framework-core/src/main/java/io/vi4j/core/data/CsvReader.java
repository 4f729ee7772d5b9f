package io.vi4j.core.data;

import io.vi4j.core.io.Printable;
import io.vi4j.api.data.Dataset;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * Reads numeric CSV files: one item per row, comma-separated, every row with the same number of
 * columns. Files may be gzip-compressed (detected by the magic bytes {@code 1f 8b}).
 *
 * <ul>
 *   <li>Spaces and tabs around a cell are ignored; a cell wrapped in double quotes is unwrapped and
 *       taken as it stands inside them (there is no escaping: a cell may not contain a comma). Blank
 *       lines (nothing but spaces and tabs) are skipped; a UTF-8 byte-order mark is ignored. Lines end
 *       at {@code \n}, {@code \r\n} or {@code \r}, and may hold at most {@link #MAX_LINE_CHARS}
 *       characters.
 *   <li>Header row: {@code true} means the first non-blank line holds column names, {@code false}
 *       that it is data, {@code null} auto-detects: the first line is a header when any of its cells
 *       is not a number. (A header whose names are all numbers is only recognised with {@code true}.)
 *       Spaces and tabs around a name are ignored, inside quotes too.
 *   <li>Label column: an optional column of integer labels, named either by its header name or by its
 *       0-based index (a negative index counts from the end: {@code -1} is the last column). A header
 *       name takes precedence over an index. It is removed from the values.
 *   <li>Values must be plain decimal numbers ({@link CsvNumbers#isDecimal}: an optional sign, digits,
 *       an optional fraction and exponent, such as {@code -1.5e-3}) that are finite as floats; NaN and
 *       infinities (in any spelling) are refused, and so are hexadecimal numbers, type suffixes
 *       ({@code 0.5f}) and control characters. Labels are decimal numbers with an integer value in the
 *       {@code int} range ({@code 3}, {@code 3.0}). Values are returned as written (no scaling); see
 *       {@link Preprocessing#scale}.
 * </ul>
 *
 * <p>Errors are {@link DataException}s that name the file, and for a bad cell or row its line number
 * (1-based, counting every line of the file) and column (1-based, with the header name when there is
 * one): a non-decimal, non-finite or empty cell, a non-integer label, a row of the wrong width, an
 * overlong line, an unknown label column, or a file without data rows. Cell values and names quoted in
 * a message are escaped and cut ({@link io.vi4j.core.io.Printable}, at {@link #CELL_CHARS} characters).
 */
public final class CsvReader {
  /** The most characters of a cell or a header name a message shows (longer ones are cut, with "..."). */
  static final int CELL_CHARS = 40;


  /** The most characters a line may hold (16 MiB, over two million columns of short numbers). */
  public static final int MAX_LINE_CHARS = 1 << 24;

  /** Header names listed in a message before the rest is summarised. */
  private static final int LISTED_NAMES = 10;

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
   * Reads a CSV file into a {@link Dataset} named by the file's path, with one item per data row: values
   * {@code rows × columns} row-major, labels (when a label column is given) of length {@code rows}.
   *
   * @param file the file, plain or gzip-compressed
   * @param options header and label column
   * @return the values (and labels, when a label column is given)
   * @throws DataException when the file is missing or its content is wrong; the message names the
   *     file, and for a bad cell or row the line and column
   */
  public static Dataset read(Path file, Options options) throws IOException {
    try (Reader reader = new InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8)) {
      return read(file, new CsvLines(reader, file, MAX_LINE_CHARS), options);
    }
  }

  private static Dataset read(Path file, CsvLines lines, Options options) throws IOException {
    String line;
    String[] first = null;
    long firstLine = 0;
    while ((line = lines.next()) != null) {
      if (lines.number() == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (!isBlank(line)) {
        first = split(line);
        firstLine = lines.number();
        break;
      }
    }
    if (first == null) {
      throw new DataException(file, "is empty: no header and no data rows");
    }
    int width = first.length;
    boolean header =
        options.header() != null
            ? options.header()
            : Arrays.stream(first).anyMatch(c -> !c.isEmpty() && !CsvNumbers.looksNumeric(c));
    String[] names = header ? names(first) : null;
    int labelIndex = options.labelColumn() == null ? -1 : labelIndex(file, options.labelColumn(), names, width);
    int columns = width - (labelIndex >= 0 ? 1 : 0);
    if (columns == 0) {
      throw new DataException(file, "has only the label column, no values");
    }

    String source = file.toString();
    FloatList values = new FloatList(source);
    IntList labels = labelIndex >= 0 ? new IntList(source) : null;
    int rows = 0;
    String[] cells = header ? null : first;
    long cellsLine = firstLine;
    while (true) {
      if (cells == null) {
        line = lines.next();
        if (line == null) {
          break;
        }
        if (isBlank(line)) {
          continue;
        }
        cells = split(line);
        cellsLine = lines.number();
      }
      if (cells.length != width) {
        throw new DataException(
            file,
            "line " + cellsLine + " has " + cells.length + " columns, expected " + width
                + " (as in line " + firstLine + ")");
      }
      if ((long) values.size() + columns > HeapArrays.MAX_VALUES) {
        throw new DataException(
            file,
            "line " + cellsLine + " brings the values past " + HeapArrays.MAX_VALUES
                + ", the most a Java float array can hold; split the file");
      }
      for (int c = 0; c < width; c++) {
        String cell = cells[c];
        if (c == labelIndex) {
          labels.add(parseLabel(file, cell, cellsLine, c, names), cellsLine);
        } else {
          values.add(parseValue(file, cell, cellsLine, c, names), cellsLine);
        }
      }
      rows++;
      cells = null;
    }
    if (rows == 0) {
      throw new DataException(file, "has a header (line " + firstLine + ") but no data rows");
    }
    return new Dataset(
        source, values.toArray(), rows, columns, labels == null ? null : labels.toArray(), null);
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
        "label_column " + Printable.quote(labelColumn, CELL_CHARS) + " is "
            + (names == null
                ? "not a column index, and the file has no header row to look names up in"
                : "neither a column name in the header " + listNames(names) + " nor a 0-based column index"));
  }

  /** @return the first names, escaped, then how many there are: {@code [a, b, ... (30 columns)]} */
  private static String listNames(String[] names) {
    StringJoiner list = new StringJoiner(", ", "[", "]");
    for (int i = 0; i < Math.min(names.length, LISTED_NAMES); i++) {
      list.add(Printable.escape(names[i], CELL_CHARS));
    }
    if (names.length > LISTED_NAMES) {
      list.add("... (" + names.length + " columns)");
    }
    return list.toString();
  }

  private static float parseValue(Path file, String cell, long line, int column, String[] names)
      throws DataException {
    if (cell.isEmpty()) {
      throw new DataException(file, where(line, column, names) + ": empty cell, expected a number (the csv source"
          + " reads complete numeric tables; data.type: table reads missing cells)");
    }
    if (CsvNumbers.isNonFiniteWord(cell)) {
      throw notFinite(file, cell, line, column, names);
    }
    if (!CsvNumbers.isDecimal(cell)) {
      throw new DataException(
          file, where(line, column, names) + ": " + Printable.quote(cell, CELL_CHARS) + " is not a decimal number");
    }
    float v = (float) Double.parseDouble(cell);
    if (Float.isInfinite(v)) {
      throw notFinite(file, cell, line, column, names);
    }
    return v;
  }

  private static DataException notFinite(Path file, String cell, long line, int column, String[] names) {
    return new DataException(
        file, where(line, column, names) + ": " + Printable.quote(cell, CELL_CHARS) + " is not a finite float");
  }

  private static int parseLabel(Path file, String cell, long line, int column, String[] names)
      throws DataException {
    String where = where(line, column, names) + " (the label column)";
    if (cell.isEmpty()) {
      throw new DataException(file, where + ": empty cell, expected an integer label");
    }
    double v = CsvNumbers.isDecimal(cell) ? Double.parseDouble(cell) : Double.NaN;
    if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new DataException(file, where + ": " + Printable.quote(cell, CELL_CHARS) + " is not an integer label");
    }
    return (int) v;
  }

  private static String where(long line, int column, String[] names) {
    return "line " + line + ", column " + (column + 1)
        + (names != null ? " (\"" + Printable.escape(names[column], CELL_CHARS) + "\")" : "");
  }

  private static boolean isBlank(String line) {
    return stripBlanks(line).isEmpty();
  }

  /** @return {@code s} without the spaces and tabs around it (not other control characters) */
  private static String stripBlanks(String s) {
    int begin = 0;
    int end = s.length();
    while (begin < end && isBlank(s.charAt(begin))) {
      begin++;
    }
    while (end > begin && isBlank(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(begin, end);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static String[] names(String[] cells) {
    String[] names = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      names[i] = stripBlanks(cells[i]);
    }
    return names;
  }

  private static String[] split(String line) {
    String[] cells = line.split(",", -1);
    for (int i = 0; i < cells.length; i++) {
      String c = stripBlanks(cells[i]);
      if (c.length() >= 2 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"') {
        c = c.substring(1, c.length() - 1);
      }
      cells[i] = c;
    }
    return cells;
  }

  /** A growable float array, at most {@link HeapArrays#MAX_VALUES} long. */
  private static final class FloatList {
    private final String source;
    private float[] data = new float[1 << 16];
    private int size;

    FloatList(String source) {
      this.source = source;
    }

    int size() {
      return size;
    }

    void add(float v, long line) throws DataException {
      if (size == data.length) {
        int capacity = HeapArrays.nextCapacity(data.length, size + 1L, HeapArrays.MAX_VALUES);
        data = HeapArrays.grow(source, data, capacity, "the values up to line " + line);
      }
      data[size++] = v;
    }

    float[] toArray() throws DataException {
      return size == data.length ? data : HeapArrays.grow(source, data, size, "its " + size + " values");
    }
  }

  /** A growable int array, at most {@link HeapArrays#MAX_VALUES} long. */
  private static final class IntList {
    private final String source;
    private int[] data = new int[1 << 10];
    private int size;

    IntList(String source) {
      this.source = source;
    }

    void add(int v, long line) throws DataException {
      if (size == data.length) {
        int capacity = HeapArrays.nextCapacity(data.length, size + 1L, HeapArrays.MAX_VALUES);
        data = HeapArrays.grow(source, data, capacity, "the labels up to line " + line);
      }
      data[size++] = v;
    }

    int[] toArray() throws DataException {
      return size == data.length ? data : HeapArrays.grow(source, data, size, "its " + size + " labels");
    }
  }
}
