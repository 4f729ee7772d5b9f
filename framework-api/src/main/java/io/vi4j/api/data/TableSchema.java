package io.vi4j.api.data;

import java.util.List;
import java.util.Objects;

/**
 * How a table's columns became a {@link Dataset}'s values: the value columns in the order of the values,
 * and the id and label columns kept apart from them.
 *
 * @param columns the value columns, one per value of an item
 * @param idColumn the name of the column that identifies rows, or null
 * @param labelColumn the name of the label column, or null
 * @param labelLevels the label's level names, label {@code i} being {@code labelLevels.get(i)}; empty when
 *     there is no label column
 */
public record TableSchema(List<TableColumn> columns, String idColumn, String labelColumn, List<String> labelLevels) {

  /** Copies the lists. */
  public TableSchema {
    columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    labelLevels = labelLevels == null ? List.of() : List.copyOf(labelLevels);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one value column");
    }
  }

  /** @return the value column at {@code index}. */
  public TableColumn column(int index) {
    return columns.get(index);
  }
}
