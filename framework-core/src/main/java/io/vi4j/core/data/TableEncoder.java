package io.vi4j.core.data;

import io.vi4j.api.data.Dataset;
import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableSchema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a table's rows into a {@link Dataset} under a fixed {@link TableSchema}: a continuous cell becomes
 * {@code (value − center) / scale}, a binary or categorical cell its level's code, a count its value, a
 * missing cell NaN; the id and label columns are kept apart. A cell that does not fit its column fails naming
 * the file, the row and the column.
 */
final class TableEncoder {
  private TableEncoder() {}

  /**
   * @param table the rows
   * @param schema the columns, found in {@code table} by name
   * @param missing the cells read as missing
   * @param declaredLevels whether the levels were given (a run's stored levels) rather than inferred, for the
   *     message of an unknown level
   * @throws DataException naming the file, the row and the column of the first bad cell, or a row whose every
   *     value cell is missing
   */
  static Dataset encode(RawTable table, TableSchema schema, List<String> missing, boolean declaredLevels)
      throws DataException {
    Set<String> missingSet = new HashSet<>(missing);
    List<TableColumn> columns = schema.columns();
    int d = columns.size();
    int n = table.rows.size();
    long size = (long) n * d;
    if (size > HeapArrays.MAX_VALUES) {
      throw new DataException(table.file, n + " rows of " + d + " values are more than the " + HeapArrays.MAX_VALUES
          + " a Java float array holds; split the file");
    }
    int[] positions = columns.stream().mapToInt(c -> table.column(c.name())).toArray();
    TableCells.Codes[] codes = new TableCells.Codes[d];
    for (int j = 0; j < d; j++) {
      codes[j] = columns.get(j).levels().isEmpty() ? null : new TableCells.Codes(columns.get(j).levels());
    }
    float[] values = new float[(int) size];
    int idColumn = schema.idColumn() == null ? -1 : table.column(schema.idColumn());
    int labelColumn = schema.labelColumn() == null ? -1 : table.column(schema.labelColumn());
    TableCells.Codes labelCodes = labelColumn < 0 ? null : new TableCells.Codes(schema.labelLevels());
    String[] ids = idColumn < 0 ? null : new String[n];
    int[] labels = labelColumn < 0 ? null : new int[n];
    for (int r = 0; r < n; r++) {
      String[] row = table.rows.get(r);
      int observed = 0;
      for (int j = 0; j < d; j++) {
        int c = positions[j];
        String cell = row[c];
        float value;
        if (TableCells.isMissing(cell, missingSet)) {
          value = Float.NaN;
        } else {
          value = value(table, r, c, cell, columns.get(j), codes[j], declaredLevels);
          observed++;
        }
        values[r * d + j] = value;
      }
      if (observed == 0) {
        throw new DataException(table.file, table.rowWord + " " + table.places.get(r) + ": every value cell is"
            + " missing; a row needs at least one observed value: remove it, or set empty_rows: drop");
      }
      if (ids != null) {
        ids[r] = row[idColumn] == null ? "" : row[idColumn];
      }
      if (labels != null) {
        String cell = row[labelColumn];
        if (TableCells.isMissing(cell, missingSet)) {
          throw missingLabel(table, r, labelColumn);
        }
        int code = labelCodes.code(cell);
        if (code < 0) {
          throw new DataException(table.file, table.where(r, labelColumn) + ": " + RawTable.quote(cell)
              + " is not one of the label's levels " + labelCodes.list());
        }
        labels[r] = code;
      }
    }
    return new Dataset(table.file.toString(), values, n, d, labels, null, schema, ids);
  }

  private static float value(RawTable table, int r, int c, String cell, TableColumn column, TableCells.Codes codes,
      boolean declaredLevels) throws DataException {
    switch (column.kind()) {
      case CONTINUOUS -> {
        double v = continuous(table, r, c, cell);
        float stored = (float) ((v - column.center()) / column.scale());
        if (!Float.isFinite(stored)) {
          throw new DataException(table.file, table.where(r, c) + ": " + RawTable.quote(cell) + " standardised"
              + " (center " + column.center() + ", scale " + column.scale() + ") is beyond the float range");
        }
        return stored;
      }
      case COUNT -> {
        double v = TableCells.number(cell);
        if (!TableCells.isCount(v)) {
          throw new DataException(table.file, table.where(r, c) + ": " + RawTable.quote(cell) + " is not a count"
              + " (a whole number from 0 to " + (long) TableCells.MAX_COUNT + "), which a count column holds");
        }
        return (float) v;
      }
      default -> {
        int code = codes.code(cell);
        if (code < 0) {
          throw new DataException(table.file, table.where(r, c) + ": " + RawTable.quote(cell) + " is not one of the "
              + TableCells.kindName(column.kind()) + " column's levels " + codes.list()
              + (declaredLevels ? " (as the config's columns give them: a level the model was not built with"
                  + " cannot be coded)" : ""));
        }
        return code;
      }
    }
  }

  /** @return a continuous cell's value */
  static double continuous(RawTable table, int r, int c, String cell) throws DataException {
    double v = TableCells.number(cell);
    if (Double.isNaN(v)) {
      throw new DataException(table.file, table.where(r, c) + ": " + RawTable.quote(cell)
          + (CsvNumbers.isNonFiniteWord(cell) || CsvNumbers.isDecimal(cell)
              ? " is not a finite number, which a continuous column holds (list it in missing if it means missing)"
              : " is not a number, which a continuous column holds (list it in missing if it means missing, or"
                  + " make the column categorical)"));
    }
    return v;
  }

  static DataException missingLabel(RawTable table, int r, int c) {
    return new DataException(table.file, table.where(r, c) + ": the label is missing; every row needs a label"
        + " (drop the row, or leave label_column out)");
  }
}
