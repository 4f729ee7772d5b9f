package io.vi4j.api.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dataset held on the host: {@code rows} items of {@code columns} float values, row-major, with
 * optional integer labels and an optional item shape (for example {@code {28, 28}} for images).
 * Immutable by convention: the arrays are not copied, so do not change them after construction.
 *
 * <p><b>Missing cells.</b> A NaN value is a missing cell: a value that was not observed. Sources that cannot
 * have missing cells (images) hold none; a table read with empty or {@code NA} cells holds NaN there. Code
 * that reads values checks {@link #hasMissing()} first.
 *
 * <p><b>Tables.</b> Data read from a table carry its {@link TableSchema} (the kinds of the columns, their
 * levels and standardisation) and, when the table has an id column, each row's id.
 */
public final class Dataset {
  private final String name;
  private final float[] values;
  private final int rows;
  private final int columns;
  private final int[] labels;
  private final int[] itemShape;
  private final TableSchema table;
  private final String[] ids;
  private volatile Boolean hasMissing;

  /**
   * @param name where the data came from, used in messages (a file path, or "sprites (built-in)")
   * @param values length {@code rows·columns}, row-major
   * @param rows number of items {@code N}
   * @param columns item dimension {@code D}
   * @param labels length {@code N}, or null when unlabelled
   * @param itemShape product must equal {@code D}; null means {@code {D}}
   */
  public Dataset(String name, float[] values, int rows, int columns, int[] labels, int[] itemShape) {
    this(name, values, rows, columns, labels, itemShape, null, null);
  }

  /**
   * A dataset read from a table.
   *
   * @param name where the data came from, used in messages
   * @param values length {@code rows·columns}, row-major; NaN where a cell is missing
   * @param rows number of items {@code N}
   * @param columns item dimension {@code D}, the number of value columns
   * @param labels length {@code N}, or null when unlabelled
   * @param itemShape product must equal {@code D}; null means {@code {D}}
   * @param table the columns behind the values ({@code columns} of them), or null when not a table
   * @param ids length {@code N}: each row's id, or null when the table has no id column
   */
  public Dataset(String name, float[] values, int rows, int columns, int[] labels, int[] itemShape,
      TableSchema table, String[] ids) {
    this.name = Objects.requireNonNull(name, "name");
    this.values = Objects.requireNonNull(values, "values");
    if (rows < 0 || columns <= 0 || (long) rows * columns != values.length) {
      throw new IllegalArgumentException(
          name + ": " + values.length + " values do not form " + rows + " rows of " + columns);
    }
    if (labels != null && labels.length != rows) {
      throw new IllegalArgumentException(
          name + ": " + labels.length + " labels for " + rows + " items");
    }
    int[] shape = itemShape == null ? new int[] {columns} : itemShape.clone();
    if (Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b) != columns) {
      throw new IllegalArgumentException(
          name + ": item shape " + Arrays.toString(shape) + " does not hold " + columns + " values");
    }
    if (table != null && table.columns().size() != columns) {
      throw new IllegalArgumentException(
          name + ": the table describes " + table.columns().size() + " value columns, not " + columns);
    }
    if (ids != null && ids.length != rows) {
      throw new IllegalArgumentException(name + ": " + ids.length + " ids for " + rows + " items");
    }
    this.rows = rows;
    this.columns = columns;
    this.labels = labels;
    this.itemShape = shape;
    this.table = table;
    this.ids = ids;
  }

  /** @return the table the values were read from, or null when they do not come from a table. */
  public TableSchema table() {
    return table;
  }

  /** @return each row's id (shared, not copied), or null when there is none. */
  public String[] ids() {
    return ids;
  }

  /** @return whether any value is missing (NaN); computed once. */
  public boolean hasMissing() {
    Boolean known = hasMissing;
    if (known == null) {
      boolean found = false;
      for (float v : values) {
        if (Float.isNaN(v)) {
          found = true;
          break;
        }
      }
      known = found;
      hasMissing = known;
    }
    return known;
  }

  public String name() {
    return name;
  }

  /** @return the row-major values, length {@code rows()·columns()} (shared, not copied). */
  public float[] values() {
    return values;
  }

  public int rows() {
    return rows;
  }

  public int columns() {
    return columns;
  }

  /** @return whether the items carry labels. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** @return the labels (shared, not copied), or null when unlabelled. */
  public int[] labels() {
    return labels;
  }

  /** @return the shape of one item, such as {@code {28, 28}}; its product is {@link #columns()}. */
  public int[] itemShape() {
    return itemShape.clone();
  }

  /** @return whether an item is a 2-D image (height × width). */
  public boolean isImage() {
    return itemShape.length == 2;
  }

  /** @return the first {@code count} items (or all, if fewer), sharing nothing with this dataset. */
  public Dataset head(int count) {
    int n = Math.min(count, rows);
    return new Dataset(
        name,
        Arrays.copyOf(values, n * columns),
        n,
        columns,
        labels == null ? null : Arrays.copyOf(labels, n),
        itemShape,
        table,
        ids == null ? null : Arrays.copyOf(ids, n));
  }

  /** @return a copy of row {@code i}. */
  public float[] row(int i) {
    return Arrays.copyOfRange(values, i * columns, (i + 1) * columns);
  }
}
