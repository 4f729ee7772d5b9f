package io.vi4j.core.data;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vi4j.api.data.DataSource;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableFileReader;
import io.vi4j.api.data.TableSchema;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Builds a {@link DataSource} of a table of mixed columns from a {@link TableDataSpec}. Loading reads the
 * file(s) as text cells (CSV here, Parquet through a {@link TableFileReader} found with {@link ServiceLoader},
 * such as the {@code vi4j-plugin-parquet} module's), holds out the test rows when there is no test file, keeps
 * the first {@code limit_train} / {@code limit_test} rows, decides the schema ({@link SchemaInference}) and
 * codes the cells ({@link TableEncoder}). When anything was inferred, the schema is printed as YAML that can
 * be pasted into the config's {@code data} section; a run stores it in its {@code config.yaml}
 * ({@link TableDataSpec#resolved}), so the data are read the same way whenever the run is used again.
 */
public final class TableDataFactory implements ComponentFactory<TableDataSpec, DataSource> {

  /** The config {@code type} this factory is registered under. */
  public static final String NAME = "table";

  /** Mixed into the split's seed so that its stream differs from a generator seeded alike. */
  private static final long SPLIT_SALT = 0x3C6EF372FE94F82BL;

  private final Consumer<String> notes;

  /** A factory that prints an inferred schema to standard error. */
  public TableDataFactory() {
    this(System.err::println);
  }

  /** @param notes hears the inferred schema, as text to paste into a config */
  public TableDataFactory(Consumer<String> notes) {
    this.notes = notes;
  }

  @Override
  public Class<TableDataSpec> specType() {
    return TableDataSpec.class;
  }

  @Override
  public DataSource create(TableDataSpec spec, BuildContext context) {
    Path trainFile = SpecChecks.resolve(context, spec.train());
    Path testFile = spec.test() == null ? null : SpecChecks.resolve(context, spec.test());
    return () -> {
      Splits splits = load(spec, trainFile, testFile);
      if (splits.dropped > 0) {
        notes.accept("vi4j: dropped " + splits.dropped + " rows of " + trainFile + (testFile == null
            || testFile.equals(trainFile) ? "" : " and " + testFile) + " whose every value cell is missing"
            + " (empty_rows: drop)");
      }
      if (splits.layout.inferred()) {
        notes.accept("vi4j: inferred the columns of " + trainFile + "; to fix them, put this in the data section"
            + " (a run stores it in its config.yaml):\n" + yaml(splits.layout.schema()).stripTrailing());
      }
      return new DataSplits(splits.train, splits.test, DataSplits.Binarization.NONE);
    };
  }

  /** The coded splits and the schema they were coded with. */
  record Splits(Dataset train, Dataset test, SchemaInference.Layout layout, int dropped) {}

  /**
   * Reads, splits, limits, infers and codes.
   *
   * @throws DataException naming the file, and the row and column of a bad cell
   */
  static Splits load(TableDataSpec spec, Path trainFile, Path testFile) throws IOException {
    RawTable train = read(trainFile, spec.format());
    RawTable test;
    if (testFile == null) {
      int n = train.rows.size();
      if (n < 2) {
        throw new DataException(trainFile, "has " + n + " row; holding out test_fraction of it needs at least 2"
            + " rows (or give a test file)");
      }
      int held = (int) Math.max(1, Math.min(n - 1, Math.round(n * spec.testFraction())));
      int[] order = IntStream.range(0, n).toArray();
      SplittableRandom random = new SplittableRandom(spec.seed() ^ SPLIT_SALT);
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int[] testRows = Arrays.copyOfRange(order, 0, held);
      int[] trainRows = Arrays.copyOfRange(order, held, n);
      Arrays.sort(testRows);
      Arrays.sort(trainRows);
      test = train.subset(testRows);
      train = train.subset(trainRows);
    } else {
      test = read(testFile, spec.format());
    }
    train = limit(train, spec.limitTrain());
    test = limit(test, spec.limitTest());
    SchemaInference.Layout layout = SchemaInference.infer(spec, train, test);
    int dropped = 0;
    if (spec.dropsEmptyRows()) {
      RawTable kept = withoutEmptyRows(train, layout, spec.missing());
      dropped += train.rows.size() - kept.rows.size();
      train = kept;
      kept = withoutEmptyRows(test, layout, spec.missing());
      dropped += test.rows.size() - kept.rows.size();
      test = kept;
    }
    boolean declared = spec.columns() != null;
    Dataset trainData = TableEncoder.encode(train, layout.schema(), spec.missing(), declared);
    Dataset testData = TableEncoder.encode(test, layout.schema(), spec.missing(), declared);
    return new Splits(trainData, testData, layout, dropped);
  }

  /** @return the rows with at least one observed value cell */
  private static RawTable withoutEmptyRows(RawTable table, SchemaInference.Layout layout, List<String> missing)
      throws DataException {
    java.util.Set<String> tokens = new java.util.HashSet<>(missing);
    int[] positions = layout.positions(table);
    int[] kept = IntStream.range(0, table.rows.size())
        .filter(r -> Arrays.stream(positions).anyMatch(c -> !TableCells.isMissing(table.rows.get(r)[c], tokens)))
        .toArray();
    if (kept.length == 0) {
      throw new DataException(table.file, "every row has every value cell missing");
    }
    return kept.length == table.rows.size() ? table : table.subset(kept);
  }

  private static RawTable limit(RawTable table, Integer limit) throws DataException {
    return limit == null || limit >= table.rows.size() ? table
        : table.subset(IntStream.range(0, limit).toArray());
  }

  /** @return the file's rows as text, CSV read here and other formats by a {@link TableFileReader} */
  static RawTable read(Path file, String format) throws IOException {
    String chosen = format != null ? format
        : file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")
            ? "parquet" : "csv";
    if (chosen.equals("csv")) {
      return TableCsv.read(file);
    }
    DataFiles.requireFile(file);
    TableFileReader reader = reader(chosen);
    if (reader == null) {
      throw new DataException(file, "reading " + chosen + " needs the vi4j-plugin-parquet module on the class path"
          + " (plugins/parquet; ./vi4j has it), which reads it with DuckDB");
    }
    TableFileReader.Cells cells = reader.read(file);
    List<Long> places = new ArrayList<>(cells.rows().size());
    int width = cells.header().size();
    for (int r = 0; r < cells.rows().size(); r++) {
      String[] row = cells.rows().get(r);
      if (row.length != width) {
        throw new DataException(file, "row " + (r + 1) + " has " + row.length + " cells, but the header names "
            + width);
      }
      for (int c = 0; c < width; c++) {
        row[c] = row[c] == null ? null : stripBlanks(row[c]); // as a CSV cell: " NA " is the token NA
      }
      places.add(r + 1L);
    }
    if (cells.rows().isEmpty()) {
      throw new DataException(file, "has no rows");
    }
    String[] header = cells.header().stream().map(n -> n == null ? null : stripBlanks(n)).toArray(String[]::new);
    return new RawTable(file, header, "row", cells.rows(), places, "the header");
  }

  /** @return {@code s} without the spaces and tabs around it */
  private static String stripBlanks(String s) {
    int begin = 0;
    int end = s.length();
    while (begin < end && (s.charAt(begin) == ' ' || s.charAt(begin) == '\t')) {
      begin++;
    }
    while (end > begin && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(begin, end);
  }

  private static TableFileReader reader(String format) {
    for (ClassLoader loader : new ClassLoader[] {
        Thread.currentThread().getContextClassLoader(), TableDataFactory.class.getClassLoader()}) {
      if (loader == null) {
        continue;
      }
      for (TableFileReader reader : ServiceLoader.load(TableFileReader.class, loader)) {
        if (reader.format().equals(format)) {
          return reader;
        }
      }
    }
    return null;
  }

  /**
   * @return the schema as the YAML of a data section's {@code columns} (and {@code label_levels}), two spaces
   *     in, one column per line
   */
  public static String yaml(TableSchema schema) {
    StringBuilder out = new StringBuilder("  columns:\n");
    for (TableColumn column : schema.columns()) {
      out.append("    - {name: ").append(text(column.name())).append(", type: ")
          .append(TableCells.kindName(column.kind()));
      if (!column.levels().isEmpty()) {
        out.append(", levels: ").append(list(column.levels()));
      }
      if (column.kind() == TableColumn.Kind.CONTINUOUS) {
        out.append(", center: ").append(column.center()).append(", scale: ").append(column.scale());
      }
      out.append("}\n");
    }
    if (schema.labelColumn() != null) {
      out.append("  label_levels: ").append(list(schema.labelLevels())).append('\n');
    }
    return out.toString();
  }

  private static String list(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(text(values.get(i)));
    }
    return out.append(']').toString();
  }

  /** @return the text in double quotes, escaped as JSON (which YAML reads the same) */
  private static String text(String value) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + '"';
  }
}
