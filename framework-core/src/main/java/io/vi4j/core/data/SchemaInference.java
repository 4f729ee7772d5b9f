package io.vi4j.core.data;

import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableColumn.Kind;
import io.vi4j.api.data.TableSchema;
import io.vi4j.core.data.TableDataSpec.ColumnSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides the {@link TableSchema} of a table from its config and its cells: which columns are values, id and
 * label, each value column's kind, levels and standardisation. What the config gives is taken as it is; the
 * rest is inferred:
 *
 * <ul>
 *   <li>Kinds and levels come from the observed (not missing) cells of both splits, so that a level seen only
 *       in the test split still has a code. A column whose every observed cell is a number:
 *       <ul>
 *         <li>whole numbers ≥ 0 with 2 distinct values: {@code binary} (levels in numeric order, so 0/1 stay 0/1);
 *         <li>whole numbers ≥ 0 with more distinct values, the largest at most {@link #COUNT_MAX}: {@code count};
 *         <li>any other numbers: {@code continuous}.
 *       </ul>
 *       A column with a cell that is not a number: {@code binary} with 2 distinct values, else {@code categorical}
 *       (levels sorted as text; numbers among them are written {@code 3}, not {@code 3.0}), refused beyond
 *       {@link #MAX_LEVELS} levels (an id or free text). A column with a single distinct value is refused: it
 *       carries nothing to model.
 *   <li>A continuous column's center and scale are the mean and the standard deviation (dividing by n) of the
 *       training split's observed cells; a scale of 0 becomes 1.
 *   <li>The label's levels are the distinct label cells of both splits, sorted as levels are.
 * </ul>
 */
final class SchemaInference {
  /** The largest value of an inferred {@code count} column: whole numbers beyond it are taken as continuous. */
  static final double COUNT_MAX = 20;

  /** The most levels an inferred categorical column may have. */
  static final int MAX_LEVELS = 100;

  private SchemaInference() {}

  /**
   * The schema and where its columns stand in each file.
   *
   * @param schema the value columns, id and label
   * @param inferred whether anything was inferred (the schema is then worth printing)
   */
  record Layout(TableSchema schema, boolean inferred) {
    /** @return the 0-based positions in {@code table}'s header of the value columns, in the schema's order */
    int[] positions(RawTable table) {
      return schema.columns().stream().mapToInt(c -> table.column(c.name())).toArray();
    }
  }

  /**
   * @param spec the config
   * @param train the training split's rows
   * @param test the test split's rows (of the same file or another)
   * @throws DataException naming the file, and the row and column of a cell that fits no kind
   */
  static Layout infer(TableDataSpec spec, RawTable train, RawTable test) throws DataException {
    Set<String> missing = new HashSet<>(spec.missing());
    requireColumn(train, "id_column", spec.idColumn()); // a test file without it has no ids
    for (RawTable table : distinctTables(train, test)) {
      requireColumn(table, "label_column", spec.labelColumn());
    }
    for (String name : spec.exclude()) {
      requireColumn(train, "exclude", name);
    }
    List<ColumnSpec> declared = spec.columns();
    Map<String, ColumnSpec> byName = declared == null ? Map.of()
        : declared.stream().collect(Collectors.toMap(ColumnSpec::name, Function.identity()));
    List<String> names = new ArrayList<>();
    for (String name : train.header) {
      boolean kept = !name.equals(spec.idColumn()) && !name.equals(spec.labelColumn()) && !spec.exclude().contains(name);
      if (kept && declared != null && !byName.containsKey(name)) {
        throw new DataException(train.file, "column " + RawTable.quote(name) + " is in the header but not in columns;"
            + " list it there, or add it to exclude");
      }
      if (kept && declared == null) {
        names.add(name);
      }
    }
    if (declared != null) {
      declared.forEach(c -> names.add(c.name()));
    }
    if (names.isEmpty()) {
      throw new DataException(train.file, "has no value columns: every column is the id, the label or excluded");
    }
    for (RawTable table : distinctTables(train, test)) {
      for (String name : names) {
        requireColumn(table, "columns", name);
      }
    }
    boolean inferred = declared == null || (spec.labelColumn() != null && spec.labelLevels() == null);
    List<TableColumn> columns = new ArrayList<>();
    for (String name : names) {
      ColumnSpec given = byName.get(name);
      inferred |= given == null || !given.isResolved();
      columns.add(column(name, given, train, test, missing));
    }
    List<String> labelLevels = spec.labelColumn() == null ? List.of()
        : spec.labelLevels() != null ? spec.labelLevels() : labelLevels(spec.labelColumn(), train, test, missing);
    return new Layout(new TableSchema(columns, spec.idColumn(), spec.labelColumn(), labelLevels), inferred);
  }

  private static List<RawTable> distinctTables(RawTable train, RawTable test) {
    return train.file.equals(test.file) && train.header == test.header ? List.of(train) : List.of(train, test);
  }

  private static void requireColumn(RawTable table, String field, String name) throws DataException {
    if (name != null && table.column(name) < 0) {
      throw new DataException(table.file, field + " names " + RawTable.quote(name) + ", which is not a column of"
          + " the header " + table.headerList());
    }
  }

  private static TableColumn column(String name, ColumnSpec given, RawTable train, RawTable test, Set<String> missing)
      throws DataException {
    Kind kind = given == null ? null : given.kind();
    List<String> levels = given == null ? null : given.levels();
    if (kind == null) {
      kind = inferKind(name, train, test, missing);
    }
    if ((kind == Kind.BINARY || kind == Kind.CATEGORICAL) && levels == null) {
      levels = inferLevels(name, kind, train, test, missing);
    }
    if (kind == Kind.CONTINUOUS) {
      if (given != null && given.center() != null) {
        return new TableColumn(name, kind, List.of(), given.center(), given.scale());
      }
      double[] fit = standardisation(name, train, missing);
      return new TableColumn(name, kind, List.of(), fit[0], fit[1]);
    }
    if (kind == Kind.CATEGORICAL && levels.size() < 2) {
      throw new DataException(train.file, "column " + RawTable.quote(name) + " is categorical but its cells hold only "
          + levels + "; give its levels, or exclude it");
    }
    return new TableColumn(name, kind, kind == Kind.COUNT ? List.of() : levels, 0, 1);
  }

  /** @return the observed cells of one column in both splits, in order: train's rows, then test's */
  private static List<Cell> observed(String name, RawTable train, RawTable test, Set<String> missing) {
    List<Cell> cells = new ArrayList<>();
    for (RawTable table : train == test ? List.of(train) : List.of(train, test)) {
      int c = table.column(name);
      for (int r = 0; r < table.rows.size(); r++) {
        String cell = table.rows.get(r)[c];
        if (!TableCells.isMissing(cell, missing)) {
          cells.add(new Cell(table, r, c, cell));
        }
      }
    }
    return cells;
  }

  private record Cell(RawTable table, int row, int column, String text) {}

  private static Kind inferKind(String name, RawTable train, RawTable test, Set<String> missing)
      throws DataException {
    requireObservedInTrain(name, train, missing);
    List<Cell> cells = observed(name, train, test, missing);
    boolean numbers = true;
    boolean counts = true;
    double max = 0;
    Set<Double> values = new HashSet<>();
    Set<String> texts = new LinkedHashSet<>();
    for (Cell cell : cells) {
      double v = TableCells.number(cell.text());
      texts.add(canonical(cell.text()));
      if (Double.isNaN(v)) {
        numbers = false;
      } else {
        values.add(v == 0 ? 0.0 : v);
        counts &= TableCells.isCount(v);
        max = Math.max(max, v);
      }
    }
    int distinct = numbers ? values.size() : texts.size();
    if (distinct == 1) {
      throw new DataException(train.file, "column " + RawTable.quote(name) + " holds one value ("
          + RawTable.quote(texts.iterator().next()) + ") in every observed cell, nothing to model; exclude it");
    }
    if (!numbers) {
      if (texts.size() > MAX_LEVELS) {
        throw new DataException(train.file, "column " + RawTable.quote(name) + " holds " + texts.size()
            + " distinct values that are not all numbers, more than the " + MAX_LEVELS + " levels a categorical"
            + " column is inferred with: if it is an id, name it id_column; if it is text, exclude it; else give"
            + " its type in columns");
      }
      return distinct == 2 ? Kind.BINARY : Kind.CATEGORICAL;
    }
    if (counts && distinct == 2) {
      return Kind.BINARY;
    }
    return counts && max <= COUNT_MAX ? Kind.COUNT : Kind.CONTINUOUS;
  }

  private static void requireObservedInTrain(String name, RawTable train, Set<String> missing)
      throws DataException {
    int c = train.column(name);
    for (String[] row : train.rows) {
      if (!TableCells.isMissing(row[c], missing)) {
        return;
      }
    }
    throw new DataException(train.file, "column " + RawTable.quote(name) + " has no observed cell in the training"
        + " split (every one is missing); exclude it");
  }

  private static List<String> inferLevels(String name, Kind kind, RawTable train, RawTable test, Set<String> missing)
      throws DataException {
    Set<String> levels = new LinkedHashSet<>();
    for (Cell cell : observed(name, train, test, missing)) {
      String level = canonical(cell.text());
      if (levels.add(level) && kind == Kind.BINARY && levels.size() > 2) {
        List<String> two = new ArrayList<>(levels).subList(0, 2);
        throw new DataException(cell.table().file, cell.table().where(cell.row(), cell.column()) + ": "
            + RawTable.quote(cell.text()) + " is a third value in a binary column (after " + two
            + "); make it categorical");
      }
    }
    if (kind == Kind.BINARY && levels.size() < 2) {
      throw new DataException(train.file, "column " + RawTable.quote(name) + " is binary but its cells hold only "
          + levels + "; give its two levels");
    }
    return TableCells.sortLevels(levels);
  }

  private static List<String> labelLevels(String name, RawTable train, RawTable test, Set<String> missing)
      throws DataException {
    Set<String> levels = new TreeSet<>();
    for (RawTable table : train == test ? List.of(train) : List.of(train, test)) {
      int c = table.column(name);
      for (int r = 0; r < table.rows.size(); r++) {
        String cell = table.rows.get(r)[c];
        if (TableCells.isMissing(cell, missing)) {
          throw TableEncoder.missingLabel(table, r, c);
        }
        levels.add(canonical(cell));
      }
    }
    return TableCells.sortLevels(levels);
  }

  /** @return a number's canonical text ({@code 3} for {@code 3.0}, {@code 0.5} for {@code .50}), else the cell */
  static String canonical(String cell) {
    double v = TableCells.number(cell);
    if (Double.isNaN(v)) {
      return cell;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** @return the mean and standard deviation of the training split's observed cells (a deviation of 0 as 1) */
  private static double[] standardisation(String name, RawTable train, Set<String> missing) throws DataException {
    requireObservedInTrain(name, train, missing);
    int c = train.column(name);
    double sum = 0;
    int n = 0;
    double[] values = new double[train.rows.size()];
    for (int r = 0; r < train.rows.size(); r++) {
      String cell = train.rows.get(r)[c];
      if (!TableCells.isMissing(cell, missing)) {
        double v = TableEncoder.continuous(train, r, c, cell);
        values[n++] = v;
        sum += v;
      }
    }
    double mean = sum / n;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      squares += (values[i] - mean) * (values[i] - mean);
    }
    double sd = Math.sqrt(squares / n);
    return new double[] {mean, sd > 0 && Double.isFinite(sd) ? sd : 1};
  }
}
