package io.vi4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableColumn.Kind;
import io.vi4j.api.data.TableSchema;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.DataSpec;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code table} source: inference, standardisation, codes, missing cells, the printed schema and errors. */
class TableSourceTest {
  static final String TRAIN = String.join("\n",
      "id,age,sex,region,visits,flag,Class",
      "r1,30,f,north,0,0,yes",
      "r2,NA,m,south,3,1,no",
      "r3,45,m,\"east, far\",,1,yes",
      " r4 , 50 ,f,north,2,0,no",
      "r5,28,\"m\",south,1,?,yes",
      "r6,33.5,f,north,5,1,no",
      "");
  static final String TEST = String.join("\n",
      "id,age,sex,region,visits,flag,Class",
      "t1,40,m,south,4,0,no",
      "t2,,f,north,NA,1.0,yes",
      "");

  @TempDir Path dir;
  final List<String> notes = new ArrayList<>();

  private DataSplits load(TableDataSpec spec) throws IOException {
    return new TableDataFactory(notes::add).create(spec, new BuildContext(0, 0, null, dir)).load();
  }

  private TableDataSpec spec(String train, String test, List<TableDataSpec.ColumnSpec> columns) {
    return new TableDataSpec(train, test, null, null, null, "id", "Class", null, null, null, columns, null, null);
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }

  @Test
  void infersKindsLevelsAndStandardisation() throws IOException {
    write("train.csv", TRAIN);
    write("test.csv", TEST);
    DataSplits splits = load(spec("train.csv", "test.csv", null));
    TableSchema schema = splits.train().table();
    assertThat(schema.columns()).extracting(TableColumn::name)
        .containsExactly("age", "sex", "region", "visits", "flag");
    assertThat(schema.columns()).extracting(TableColumn::kind)
        .containsExactly(Kind.CONTINUOUS, Kind.BINARY, Kind.CATEGORICAL, Kind.COUNT, Kind.BINARY);
    assertThat(schema.column(1).levels()).containsExactly("f", "m");
    assertThat(schema.column(2).levels()).containsExactly("east, far", "north", "south");
    assertThat(schema.column(4).levels()).containsExactly("0", "1");
    assertThat(schema.idColumn()).isEqualTo("id");
    assertThat(schema.labelColumn()).isEqualTo("Class");
    assertThat(schema.labelLevels()).containsExactly("no", "yes");

    double[] ages = {30, 45, 50, 28, 33.5};
    double mean = 0;
    for (double a : ages) {
      mean += a / ages.length;
    }
    double squares = 0;
    for (double a : ages) {
      squares += (a - mean) * (a - mean);
    }
    double sd = Math.sqrt(squares / ages.length);
    assertThat(schema.column(0).center()).isCloseTo(mean, within(1e-12));
    assertThat(schema.column(0).scale()).isCloseTo(sd, within(1e-12));

    Dataset train = splits.train();
    float n = Float.NaN;
    float[] expected = {
        z(30, mean, sd), 0, 1, 0, 0,
        n, 1, 2, 3, 1,
        z(45, mean, sd), 1, 0, n, 1,
        z(50, mean, sd), 0, 1, 2, 0,
        z(28, mean, sd), 1, 2, 1, n,
        z(33.5, mean, sd), 0, 1, 5, 1};
    assertThat(train.values()).containsExactly(expected);
    assertThat(train.ids()).containsExactly("r1", "r2", "r3", "r4", "r5", "r6");
    assertThat(train.labels()).containsExactly(1, 0, 1, 0, 1, 0);
    assertThat(train.hasMissing()).isTrue();

    Dataset test = splits.test();
    assertThat(test.values()).containsExactly(z(40, mean, sd), 1, 2, 4, 0, n, 0, 1, n, 1);
    assertThat(test.ids()).containsExactly("t1", "t2");
    assertThat(test.labels()).containsExactly(0, 1);
    assertThat(test.table()).isEqualTo(schema);
    assertThat(notes).hasSize(1);
    assertThat(notes.get(0)).contains("inferred the columns of").contains("columns:");
  }

  private static float z(double x, double mean, double sd) {
    return (float) ((x - mean) / sd);
  }

  @Test
  void printedSchemaReadsTheSameValuesAgainAndIsResolved() throws IOException {
    write("train.csv", TRAIN);
    write("test.csv", TEST);
    DataSplits inferred = load(spec("train.csv", "test.csv", null));
    String printed = notes.get(0);
    String section = "type: table\ntrain: train.csv\ntest: test.csv\nid_column: id\nlabel_column: Class\n"
        + printed.substring(printed.indexOf('\n') + 1).replaceAll("(?m)^  ", "");
    ConfigLoader loader = new ConfigLoader(PluginRegistry.of(List.of(new CoreDataPlugin())));
    TableDataSpec fixed = (TableDataSpec) loader.parseSection(section, DataSpec.class, "printed");
    assertThat(fixed.schemaGiven()).isTrue();
    notes.clear();
    DataSplits again = load(fixed);
    assertThat(notes).isEmpty();
    assertThat(again.train().values()).containsExactly(inferred.train().values());
    assertThat(again.test().values()).containsExactly(inferred.test().values());
    assertThat(again.train().table()).isEqualTo(inferred.train().table());
    assertThat(again.test().labels()).containsExactly(inferred.test().labels());
    TableDataSpec resolved = spec("train.csv", "test.csv", null).resolved(inferred.train().table());
    assertThat(resolved).isEqualTo(fixed);
    assertThat(resolved.resolved(again.train().table())).isEqualTo(resolved);
    assertThat(TableDataSpec.schemaOf(resolved)).isEqualTo(inferred.train().table());
    assertThat(TableDataSpec.schemaOf(spec("train.csv", "test.csv", null))).isNull();
  }

  @Test
  void levelsWrittenPlainInYamlStayText() {
    ConfigLoader loader = new ConfigLoader(PluginRegistry.of(List.of(new CoreDataPlugin())));
    TableDataSpec spec = (TableDataSpec) loader.parseSection("type: table\ntrain: a.csv\ncolumns:\n"
        + "  - {name: s, type: binary, levels: [no, yes]}\n  - {name: t, type: categorical, levels: [0, 1, 2]}\n",
        DataSpec.class, "levels");
    assertThat(spec.columns().get(0).levels()).containsExactly("no", "yes");
    assertThat(spec.columns().get(1).levels()).containsExactly("0", "1", "2");
  }

  @Test
  void heldOutRowsAreASeededSplitInFileOrder() throws IOException {
    StringBuilder text = new StringBuilder("x,c\n");
    for (int i = 0; i < 50; i++) {
      text.append(i * 0.5).append(',').append(i % 3 == 0 ? "a" : "b").append('\n');
    }
    write("all.csv", text.toString());
    TableDataSpec spec = new TableDataSpec("all.csv", null, null, 0.2, 7L, null, null, null, null, null, null, null,
        null);
    DataSplits one = load(spec);
    DataSplits two = load(spec);
    assertThat(one.train().rows()).isEqualTo(40);
    assertThat(one.test().rows()).isEqualTo(10);
    assertThat(two.test().values()).containsExactly(one.test().values());
    double center = one.train().table().column(0).center();
    double scale = one.train().table().column(0).scale();
    float previous = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < one.test().rows(); i++) {
      float x = one.test().values()[2 * i];
      assertThat(x).isGreaterThan(previous);
      previous = x;
      double raw = x * scale + center;
      assertThat(raw / 0.5).isCloseTo(Math.rint(raw / 0.5), within(1e-4));
    }
    DataSplits other = load(new TableDataSpec("all.csv", null, null, 0.2, 8L, null, null, null, null, null, null,
        null, null));
    assertThat(other.test().values()).isNotEqualTo(one.test().values());
  }

  @Test
  void declaredColumnsMissingTokensAndExclude() throws IOException {
    write("t.csv", "a,b,note\n1,x,hello\n-,y,bye\n3,x,\n");
    TableDataSpec spec = new TableDataSpec("t.csv", "t.csv", null, null, null, null, null, null, List.of("note"),
        List.of("-"), List.of(new TableDataSpec.ColumnSpec("b", "categorical", List.of("y", "x", "z"), null, null),
            new TableDataSpec.ColumnSpec("a", "count", null, null, null)), null, null);
    DataSplits splits = load(spec);
    assertThat(splits.train().values()).containsExactly(1, 1, 0, Float.NaN, 1, 3);
    assertThat(notes).isEmpty();
  }

  @Test
  void quotedCellsGzipAndAByteOrderMark() throws IOException {
    String text = "\uFEFFname,\"say, \"\"hi\"\"\"\n  a , \"x, y\"\nb,\"\"\nc,plain\n";
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("q.csv.gz")))) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    RawTable table = TableCsv.read(dir.resolve("q.csv.gz"));
    assertThat(table.header).containsExactly("name", "say, \"hi\"");
    assertThat(table.rows).hasSize(3);
    assertThat(table.rows.get(0)).containsExactly("a", "x, y");
    assertThat(table.rows.get(1)).containsExactly("b", "");
    assertThat(table.places).containsExactly(2L, 3L, 4L);
  }

  @Test
  void excludingALabelKeepsTheTableAndTheIds() throws IOException {
    write("train.csv", TRAIN);
    write("test.csv", TEST.replace("id,", "key,"));
    DataSplits splits = load(spec("train.csv", "test.csv", null));
    assertThat(splits.test().ids()).as("a test file without the id column has no ids").isNull();
    Dataset kept = LabelFilter.withoutLabels(splits.train(), List.of(0));
    assertThat(kept.ids()).containsExactly("r1", "r3", "r5");
    assertThat(kept.table()).isEqualTo(splits.train().table());
  }

  // ---- errors: one line naming the file, the row and the column ----

  private String error(String train, String test, TableDataSpec spec) throws IOException {
    write("train.csv", train);
    write("test.csv", test);
    try {
      load(spec);
    } catch (DataException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("no error");
  }

  private String error(String train) throws IOException {
    return error(train, TEST, spec("train.csv", "test.csv", null));
  }

  @Test
  void raggedRow() throws IOException {
    assertThat(error(TRAIN.replace("r4 , 50 ,f,north,2,0,no", "r4,50,f,north,2,no")))
        .startsWith(dir.resolve("train.csv") + ": line 5 has 6 cells, but the header (line 1) names 7 columns");
  }

  @Test
  void textInAContinuousColumn() throws IOException {
    List<TableDataSpec.ColumnSpec> columns = declared("continuous");
    assertThat(error(TRAIN.replace("r6,33.5", "r6,abc"), TEST, spec("train.csv", "test.csv", columns)))
        .isEqualTo(dir.resolve("train.csv") + ": line 7, column 2 ('age'): 'abc' is not a number, which a continuous"
            + " column holds (list it in missing if it means missing, or make the column categorical)");
  }

  @Test
  void fractionInACountColumn() throws IOException {
    assertThat(error(TRAIN, TEST.replace("t1,40,m,south,4", "t1,40,m,south,2.5"),
        spec("train.csv", "test.csv", declared("continuous"))))
        .startsWith(dir.resolve("test.csv") + ": line 2, column 5 ('visits'): '2.5' is not a count");
  }

  @Test
  void thirdLevelInABinaryColumn() throws IOException {
    List<TableDataSpec.ColumnSpec> noLevels = new ArrayList<>(declared("continuous"));
    noLevels.set(1, new TableDataSpec.ColumnSpec("sex", "binary", null, null, null));
    assertThat(error(TRAIN.replace("r5,28,\"m\"", "r5,28,x"), TEST, spec("train.csv", "test.csv", noLevels)))
        .startsWith(dir.resolve("train.csv") + ": line 6, column 3 ('sex'): 'x' is a third value in a binary column");
    assertThat(error(TRAIN.replace("r5,28,\"m\"", "r5,28,x"), TEST, spec("train.csv", "test.csv", declared("continuous"))))
        .startsWith(dir.resolve("train.csv") + ": line 6, column 3 ('sex'): 'x' is not one of the binary column's"
            + " levels [f, m]");
  }

  @Test
  void unknownCategoryWithStoredLevels() throws IOException {
    assertThat(error(TRAIN, TEST.replace("t1,40,m,south", "t1,40,m,west"),
        spec("train.csv", "test.csv", declared("continuous"))))
        .isEqualTo(dir.resolve("test.csv") + ": line 2, column 4 ('region'): 'west' is not one of the categorical"
            + " column's levels [east, far, north, south] (as the config's columns give them: a level the model was"
            + " not built with cannot be coded)");
  }

  @Test
  void rowWithEveryValueMissing() throws IOException {
    assertThat(error(TRAIN.replace("r6,33.5,f,north,5,1,no", "r6,NA,,?,,NA,no")))
        .isEqualTo(dir.resolve("train.csv") + ": line 7: every value cell is missing; a row needs at least one"
            + " observed value: remove it, or set empty_rows: drop");
  }

  @Test
  void emptyRowsMayBeDropped() throws IOException {
    write("train.csv", TRAIN.replace("r6,33.5,f,north,5,1,no", "r6,NA,,?,,NA,no"));
    write("test.csv", TEST);
    TableDataSpec spec = new TableDataSpec("train.csv", "test.csv", null, null, null, "id", "Class", null, null, null,
        null, null, null, "drop");
    DataSplits splits = load(spec);
    assertThat(splits.train().ids()).containsExactly("r1", "r2", "r3", "r4", "r5");
    assertThat(notes.get(0)).contains("dropped 1 rows of " + dir.resolve("train.csv"));
  }

  @Test
  void unknownIdAndLabelColumns() throws IOException {
    TableDataSpec noId = new TableDataSpec("train.csv", "test.csv", null, null, null, "ID", "Class", null, null, null,
        null, null, null);
    assertThat(error(TRAIN, TEST, noId)).isEqualTo(dir.resolve("train.csv") + ": id_column names 'ID', which is not a"
        + " column of the header [id, age, sex, region, visits, flag, Class]");
    TableDataSpec noLabel = new TableDataSpec("train.csv", "test.csv", null, null, null, "id", "class", null, null,
        null, null, null, null);
    assertThat(error(TRAIN, TEST, noLabel)).contains("label_column names 'class', which is not a column");
  }

  @Test
  void duplicateHeaderNames() throws IOException {
    assertThat(error(TRAIN.replace("visits,flag", "visits,age")))
        .isEqualTo(dir.resolve("train.csv") + ": line 1, column 6: the header repeats 'age' (column 2); every column"
            + " needs its own name");
  }

  @Test
  void constantAndUnobservedColumns() throws IOException {
    assertThat(error("a,b\n1,x\n2,x\n", "a,b\n3,x\n", new TableDataSpec("train.csv", "test.csv", null, null, null,
        null, null, null, null, null, null, null, null)))
        .contains("column 'b' holds one value ('x') in every observed cell");
    assertThat(error("a,b\n1,NA\n2,\n", "a,b\n3,x\n", new TableDataSpec("train.csv", "test.csv", null, null, null,
        null, null, null, null, null, null, null, null)))
        .contains("column 'b' has no observed cell in the training split");
  }

  @Test
  void unclosedQuote() throws IOException {
    assertThat(error(TRAIN.replace("r6,33.5,f,north", "r6,33.5,f,\"north")))
        .isEqualTo(dir.resolve("train.csv") + ": line 7, column 4: a quoted cell is not closed (a cell cannot span"
            + " lines)");
  }

  @Test
  void specChecks() {
    assertThatThrownBy(() -> new TableDataSpec("a.csv", "b.csv", null, 0.2, null, null, null, null, null, null, null,
        null, null)).hasMessageContaining("test_fraction is used only without a test file");
    assertThatThrownBy(() -> new TableDataSpec.ColumnSpec("s", "binary", List.of("a", "b", "c"), null, null))
        .hasMessageContaining("a binary column has 2 levels");
    assertThatThrownBy(() -> new TableDataSpec.ColumnSpec("s", "ordinal", null, null, null))
        .hasMessageContaining("use continuous, binary, categorical or count");
    assertThatThrownBy(() -> new TableDataSpec("a.csv", null, "xlsx", null, null, null, null, null, null, null, null,
        null, null)).hasMessageContaining("use csv or parquet");
  }

  /** The training file's columns declared (age with the given type), the levels as inference finds them. */
  private static List<TableDataSpec.ColumnSpec> declared(String ageType) {
    return List.of(
        new TableDataSpec.ColumnSpec("age", ageType, null, null, null),
        new TableDataSpec.ColumnSpec("sex", "binary", List.of("f", "m"), null, null),
        new TableDataSpec.ColumnSpec("region", "categorical", List.of("east, far", "north", "south"), null, null),
        new TableDataSpec.ColumnSpec("visits", "count", null, null, null),
        new TableDataSpec.ColumnSpec("flag", "binary", List.of("0", "1"), null, null));
  }
}
