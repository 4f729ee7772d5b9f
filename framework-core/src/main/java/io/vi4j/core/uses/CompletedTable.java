package io.vi4j.core.uses;

import io.vi4j.api.data.Dataset;
import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableSchema;
import io.vi4j.core.io.AtomicFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a table's rows back in the table's own terms: the id column first, the value columns in table units
 * (continuous values de-standardised to 7 significant digits, levels by name, counts as integers), the label
 * last. Cells that are still missing are written empty.
 */
public final class CompletedTable {
  private CompletedTable() {}

  /**
   * @param file the CSV file, written atomically
   * @param data the rows (their schema, ids and labels)
   * @param values row-major {@code rows × D} in stored units, such as an imputation of {@code data}
   */
  public static void write(Path file, Dataset data, float[] values) throws IOException {
    TableSchema table = data.table();
    if (table == null) {
      throw new IllegalArgumentException(data.name() + " is not a table");
    }
    int d = data.columns();
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>();
    if (data.ids() != null) {
      header.add(table.idColumn() == null ? "id" : table.idColumn());
    }
    table.columns().forEach(c -> header.add(c.name()));
    if (data.hasLabels()) {
      header.add(table.labelColumn() == null ? "label" : table.labelColumn());
    }
    out.append(line(header));
    for (int i = 0; i < data.rows(); i++) {
      List<String> cells = new ArrayList<>();
      if (data.ids() != null) {
        cells.add(data.ids()[i]);
      }
      for (int j = 0; j < d; j++) {
        cells.add(cell(table.column(j), values[i * d + j]));
      }
      if (data.hasLabels()) {
        int label = data.labels()[i];
        cells.add(label >= 0 && label < table.labelLevels().size() ? table.labelLevels().get(label)
            : String.valueOf(label));
      }
      out.append(line(cells));
    }
    AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** @return a stored value in the column's own terms; empty when missing. */
  public static String cell(TableColumn column, float stored) {
    if (Float.isNaN(stored)) {
      return "";
    }
    return switch (column.kind()) {
      case BINARY, CATEGORICAL -> column.levels().get(Math.max(0, Math.min(column.levels().size() - 1,
          Math.round(stored))));
      case COUNT -> String.valueOf(Math.max(0, Math.round(stored)));
      case CONTINUOUS -> new BigDecimal(column.toTableUnits(stored)).round(new MathContext(7)).stripTrailingZeros()
          .toPlainString();
    };
  }

  private static String line(List<String> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(i == 0 ? "" : ",");
      line.append(cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "") + "\"" : cell);
    }
    return line.append('\n').toString();
  }
}
