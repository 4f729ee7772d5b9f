package io.vi4j.core.data;

import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableSchema;
import io.vi4j.api.plugin.DataSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Config of a table of mixed columns ({@code type: table}): a CSV or Parquet file whose cells may be text,
 * numbers or missing, read column by column into a {@link io.vi4j.api.data.Dataset} that carries its {@link
 * TableSchema}. See {@link TableDataFactory} for how cells are read and how columns are inferred.
 *
 * <pre>{@code
 * data:
 *   type: table
 *   train: train.csv          # .csv (or .csv.gz) or .parquet; or say format: csv | parquet
 *   test: test.csv            # optional: without it, test_fraction of train's rows, drawn with seed
 *   test_fraction: 0.2
 *   seed: 0
 *   id_column: id             # optional: kept apart, as the rows' ids
 *   label_column: Class       # optional: kept apart, as labels (codes of label_levels)
 *   exclude: [comment]        # optional: columns to drop
 *   missing: ["", "NA", "NaN", "?"]
 *   empty_rows: refuse        # or drop: a row whose every value cell is missing
 *   columns:                  # optional: inferred when absent, and written out in the run's config.yaml
 *     - {name: age, type: continuous}   # center and scale fitted on the training split when absent
 *     - {name: sex, type: binary, levels: [f, m]}
 *     - {name: region, type: categorical, levels: [n, s, e]}
 *     - {name: visits, type: count}
 * }</pre>
 *
 * @param train the training file (required); relative paths resolve against the config's directory
 * @param test the test file, or null to split the training file
 * @param format {@code csv} or {@code parquet}, or null to go by the file name ({@code .parquet} is Parquet,
 *     anything else CSV)
 * @param testFraction without a test file: the fraction of the training file's rows held out (default 0.2)
 * @param seed draws the held-out rows (default 0)
 * @param idColumn the column naming each row, or null
 * @param labelColumn the label column, or null
 * @param labelLevels the label's levels, label {@code i} being the {@code i}-th; null infers them from both
 *     files (sorted)
 * @param exclude columns left out
 * @param missing the cells that mean "missing", compared after the blanks around a cell are removed (default
 *     {@code ["", "NA", "NaN", "?"]})
 * @param columns the value columns in order, or null to take every other column of the header and infer
 *     their kinds; what a column leaves out (type, levels, center and scale) is inferred
 * @param limitTrain keep only the first N training rows (null: all)
 * @param limitTest keep only the first N test rows (null: all)
 * @param emptyRows what becomes of a row whose every value cell is missing: {@code refuse} (the default: an
 *     error naming its line) or {@code drop} (left out, and said so)
 */
public record TableDataSpec(
    String train,
    String test,
    String format,
    Double testFraction,
    Long seed,
    String idColumn,
    String labelColumn,
    List<String> labelLevels,
    List<String> exclude,
    List<String> missing,
    List<ColumnSpec> columns,
    Integer limitTrain,
    Integer limitTest,
    String emptyRows)
    implements DataSpec {

  /** The cells read as missing when {@code missing} is not given. */
  public static final List<String> DEFAULT_MISSING = List.of("", "NA", "NaN", "?");

  /** The held-out fraction when there is no test file and none is given. */
  public static final double DEFAULT_TEST_FRACTION = 0.2;

  /** Fills defaults and validates; throws {@link IllegalArgumentException} naming the field. */
  public TableDataSpec {
    train = SpecChecks.requiredPath("train", train, "a CSV or Parquet file");
    test = SpecChecks.optionalPath("test", test, "a CSV or Parquet file");
    if (format != null) {
      format = format.trim().toLowerCase(Locale.ROOT);
      if (!format.equals("csv") && !format.equals("parquet")) {
        throw new IllegalArgumentException("format: '" + format + "' is not accepted; use csv or parquet, or leave"
            + " it out to go by the file name (.parquet is Parquet, anything else CSV)");
      }
    }
    if (test != null && testFraction != null) {
      throw new IllegalArgumentException("test_fraction is used only without a test file; give one or the other");
    }
    if (test == null) {
      testFraction = testFraction == null ? DEFAULT_TEST_FRACTION : testFraction;
      if (!(testFraction > 0 && testFraction < 1)) {
        throw new IllegalArgumentException("test_fraction: " + testFraction + " is not accepted; use a fraction"
            + " between 0 and 1 (exclusive), such as 0.2");
      }
    }
    seed = seed == null ? 0L : seed;
    idColumn = name("id_column", idColumn);
    labelColumn = name("label_column", labelColumn);
    if (idColumn != null && idColumn.equals(labelColumn)) {
      throw new IllegalArgumentException("id_column and label_column are both '" + idColumn + "'; a column is one"
          + " or the other");
    }
    if (labelLevels != null) {
      if (labelColumn == null) {
        throw new IllegalArgumentException("label_levels is given but label_column is not");
      }
      labelLevels = distinct("label_levels", labelLevels, 1);
    }
    exclude = exclude == null ? List.of() : distinct("exclude", exclude, 0);
    missing = missing == null ? DEFAULT_MISSING : List.copyOf(nonNull("missing", missing));
    if (columns != null) {
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("columns is empty; list the value columns, or leave it out to take"
            + " every column of the header");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < columns.size(); i++) {
        ColumnSpec column = columns.get(i);
        if (column == null) {
          throw new IllegalArgumentException("columns[" + i + "] is empty; give it a name");
        }
        if (!seen.add(column.name())) {
          throw new IllegalArgumentException("columns[" + i + "]: '" + column.name() + "' is listed twice");
        }
        if (column.name().equals(idColumn) || column.name().equals(labelColumn) || exclude.contains(column.name())) {
          throw new IllegalArgumentException("columns[" + i + "]: '" + column.name() + "' is also the "
              + (column.name().equals(idColumn) ? "id_column" : column.name().equals(labelColumn) ? "label_column"
                  : "exclude list's")
              + "; a value column is none of them");
        }
      }
      columns = List.copyOf(columns);
    }
    limitTrain = SpecChecks.limit("limit_train", limitTrain);
    limitTest = SpecChecks.limit("limit_test", limitTest);
    emptyRows = emptyRows == null ? "refuse" : emptyRows.trim().toLowerCase(Locale.ROOT);
    if (!emptyRows.equals("refuse") && !emptyRows.equals("drop")) {
      throw new IllegalArgumentException("empty_rows: '" + emptyRows + "' is not accepted; use refuse (the default)"
          + " or drop");
    }
  }

  /** A spec that refuses rows whose every value cell is missing. */
  public TableDataSpec(String train, String test, String format, Double testFraction, Long seed, String idColumn,
      String labelColumn, List<String> labelLevels, List<String> exclude, List<String> missing,
      List<ColumnSpec> columns, Integer limitTrain, Integer limitTest) {
    this(train, test, format, testFraction, seed, idColumn, labelColumn, labelLevels, exclude, missing, columns,
        limitTrain, limitTest, null);
  }

  /** @return whether rows whose every value cell is missing are dropped rather than refused */
  public boolean dropsEmptyRows() {
    return emptyRows.equals("drop");
  }

  /** @return this spec with the columns and label levels of {@code schema} written out (what a run stores). */
  public TableDataSpec resolved(TableSchema schema) {
    List<ColumnSpec> written = schema.columns().stream().map(ColumnSpec::of).toList();
    List<String> levels = schema.labelColumn() == null ? null : schema.labelLevels();
    return new TableDataSpec(train, test, format, testFraction, seed, idColumn, labelColumn, levels, exclude,
        missing, written, limitTrain, limitTest, emptyRows);
  }

  /**
   * @param other a data section given for a trained run (such as {@code --data} of {@code vi4j score})
   * @param run the run's own data section, as its config.yaml stores it
   * @return {@code other} read with the run's columns (kinds, levels, center and scale) and label levels when
   *     both are tables and {@code other} lists no columns of its own, so that the model sees the values it was
   *     trained on and a level it never saw is refused; else {@code other} as it is
   */
  public static DataSpec withSchemaOf(DataSpec other, DataSpec run) {
    if (other instanceof TableDataSpec table && run instanceof TableDataSpec stored && table.columns() == null
        && stored.columns() != null) {
      boolean sameLabel = java.util.Objects.equals(table.labelColumn(), stored.labelColumn());
      return new TableDataSpec(table.train(), table.test(), table.format(), table.testFraction(), table.seed(),
          table.idColumn(), table.labelColumn(), sameLabel ? stored.labelLevels() : table.labelLevels(),
          table.exclude().isEmpty() ? stored.exclude() : table.exclude(), table.missing(), stored.columns(),
          table.limitTrain(), table.limitTest(), table.emptyRows());
    }
    return other;
  }

  /**
   * @param data a data section
   * @return the table schema a resolved {@code table} section describes (as a run's config.yaml stores it),
   *     without reading any file; null for other sections or when something is left to infer
   */
  public static TableSchema schemaOf(DataSpec data) {
    if (!(data instanceof TableDataSpec table) || !table.schemaGiven()) {
      return null;
    }
    List<TableColumn> columns = table.columns().stream()
        .map(c -> new TableColumn(c.name(), c.kind(), c.levels(), c.center() == null ? 0 : c.center(),
            c.scale() == null ? 1 : c.scale()))
        .toList();
    return new TableSchema(columns, table.idColumn(), table.labelColumn(), table.labelLevels());
  }

  /** @return whether every column's kind, levels and standardisation, and the label's levels, are given. */
  public boolean schemaGiven() {
    return columns != null && columns.stream().allMatch(ColumnSpec::isResolved)
        && (labelColumn == null || labelLevels != null);
  }

  /**
   * One value column: its name and what is known of it; what is left out is inferred.
   *
   * @param name the header name (required)
   * @param type {@code continuous}, {@code binary}, {@code categorical} or {@code count}; null infers it
   * @param levels a binary column's two levels or a categorical column's levels, code {@code i} being the
   *     {@code i}-th; null infers them (sorted)
   * @param center a continuous column's center (with {@code scale}); null fits the training mean
   * @param scale a continuous column's scale (positive); null fits the training standard deviation (1 when
   *     it is 0)
   */
  public record ColumnSpec(String name, String type, List<String> levels, Double center, Double scale) {

    /** Checks the fields against each other. */
    public ColumnSpec {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("a column needs a name (its header name)");
      }
      String where = "column '" + name + "': ";
      if (type != null) {
        type = kind(where, type).name().toLowerCase(Locale.ROOT);
      }
      TableColumn.Kind kind = type == null ? null : TableColumn.Kind.valueOf(type.toUpperCase(Locale.ROOT));
      if (levels != null) {
        if (kind == TableColumn.Kind.CONTINUOUS || kind == TableColumn.Kind.COUNT) {
          throw new IllegalArgumentException(where + "levels are for binary and categorical columns, not " + type);
        }
        levels = distinct(where + "levels", levels, 2);
        if (kind == TableColumn.Kind.BINARY && levels.size() != 2) {
          throw new IllegalArgumentException(where + "a binary column has 2 levels, not " + levels.size()
              + "; make it categorical");
        }
      }
      if ((center == null) != (scale == null)) {
        throw new IllegalArgumentException(where + "give center and scale together, or neither to fit them");
      }
      if (center != null) {
        if (kind != TableColumn.Kind.CONTINUOUS) {
          throw new IllegalArgumentException(where + "center and scale are for continuous columns; say type:"
              + " continuous");
        }
        if (!Double.isFinite(center) || !(scale > 0) || !Double.isFinite(scale)) {
          throw new IllegalArgumentException(where + "center " + center + " and scale " + scale + " must be finite,"
              + " the scale positive");
        }
      }
    }

    /** @return the column as a run stores it: its kind, levels, center and scale */
    static ColumnSpec of(TableColumn column) {
      boolean continuous = column.kind() == TableColumn.Kind.CONTINUOUS;
      return new ColumnSpec(column.name(), column.kind().name().toLowerCase(Locale.ROOT),
          column.levels().isEmpty() ? null : column.levels(), continuous ? column.center() : null,
          continuous ? column.scale() : null);
    }

    /** @return the declared kind, or null when it is inferred */
    TableColumn.Kind kind() {
      return type == null ? null : TableColumn.Kind.valueOf(type.toUpperCase(Locale.ROOT));
    }

    boolean isResolved() {
      TableColumn.Kind kind = kind();
      return kind != null && switch (kind) {
        case CONTINUOUS -> center != null;
        case BINARY, CATEGORICAL -> levels != null;
        case COUNT -> true;
      };
    }

    private static TableColumn.Kind kind(String where, String type) {
      for (TableColumn.Kind k : TableColumn.Kind.values()) {
        if (k.name().equalsIgnoreCase(type.trim())) {
          return k;
        }
      }
      throw new IllegalArgumentException(where + "type '" + type + "' is not accepted; use continuous, binary,"
          + " categorical or count, or leave it out to infer it");
    }
  }

  private static String name(String field, String value) {
    if (value != null && value.isEmpty()) {
      throw new IllegalArgumentException(field + " is empty; give a header name, or leave it out");
    }
    return value;
  }

  private static List<String> nonNull(String field, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new IllegalArgumentException(field + "[" + i + "] is null; write it in quotes");
      }
    }
    return values;
  }

  private static List<String> distinct(String field, List<String> values, int atLeast) {
    nonNull(field, values);
    if (new HashSet<>(values).size() != values.size()) {
      throw new IllegalArgumentException(field + " " + values + " names a value twice");
    }
    if (values.size() < atLeast) {
      throw new IllegalArgumentException(field + " " + values + " needs at least " + atLeast + " values");
    }
    return List.copyOf(values);
  }
}
