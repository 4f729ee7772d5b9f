package io.vi4j.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.CheckpointException;
import io.vi4j.core.checkpoint.CheckpointStore;
import io.vi4j.core.checkpoint.HostTensor;
import io.vi4j.core.checkpoint.TrainerState;
import io.vi4j.core.config.ConfigException;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.data.CsvReader;
import io.vi4j.core.data.DataException;
import io.vi4j.core.data.IdxReader;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.TestPlugins;
import io.vi4j.core.train.EpochMetrics;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated configs, corrupted (and structurally mutated) IDX and CSV files, corrupted parameter and
 * checkpoint files: every case must end either in
 * success or in the documented error of its kind ({@link ConfigException} for configs, an
 * {@link IOException} naming the file for data and parameters, a {@link CheckpointException} naming the
 * checkpoint's file for checkpoints), never in another exception. The number of cases per kind is
 * {@code -Dvi4j.fuzz.cases} (default 100; {@code apps/bench/fuzz.sh} runs 3,400 per kind).
 */
class HostileInputTest {
  private static final int CASES = Integer.getInteger("vi4j.fuzz.cases", 100);
  private static final String BASE = """
      name: fuzz
      seed: 1
      data: {type: sprites, train_size: 100, test_size: 20, binarize: none}
      model:
        latent_dim: 3
        prior: {type: wide-prior, width: 4}
        encoder: {type: deep-encoder, depth: 2}
        decoder: {type: plain-decoder}
      estimator: {type: plain-estimator}
      training: {epochs: 2, batch_size: 16, learning_rate: 0.001}
      evaluation: {iwae_k: 10, iwae_items: 5}
      """;

  private final ConfigLoader loader =
      new ConfigLoader(PluginRegistry.of(List.of(new TestPlugins.Alpha(), new CoreDataPlugin())));
  private final Map<String, Integer> outcomes = new TreeMap<>();

  @Test
  void mutatedConfigsEndInSuccessOrAConfigError() throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < CASES; i++) {
      ObjectNode tree = (ObjectNode) loader.mapper().readTree(BASE);
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        mutate(tree, random);
      }
      String text = loader.mapper().writeValueAsString(tree);
      try {
        loader.parse(text, "case-" + i + ".yaml");
        count("config: accepted");
      } catch (ConfigException e) {
        assertThat(e.getMessage()).as(text).startsWith("case-" + i + ".yaml");
        count("config: ConfigException");
      } catch (RuntimeException e) {
        throw new AssertionError("case " + i + " ended in " + e + " for:\n" + text, e);
      }
    }
    report();
  }

  @Test
  void corruptedIdxAndCsvFilesEndInSuccessOrAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(2);
    byte[] idx = idx(3, 4, 5);
    byte[] csv = "a,b,label\n0.1,0.2,1\n0.3,0.4,0\n0.5,0.6,1\n".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < CASES; i++) {
      boolean gzip = random.nextBoolean();
      Path idxFile = dir.resolve("case-" + i + ".idx" + (gzip ? ".gz" : ""));
      Files.write(idxFile, gzip ? gzip(corrupt(idx, random)) : corrupt(idx, random));
      try {
        IdxReader.read(idxFile);
        count("idx: read");
      } catch (IOException e) {
        assertThat(e.getMessage()).contains(idxFile.getFileName().toString());
        count("idx: " + e.getClass().getSimpleName());
      } catch (RuntimeException e) {
        throw new AssertionError("idx case " + i + " ended in " + e, e);
      }
      Path csvFile = dir.resolve("case-" + i + ".csv");
      Files.write(csvFile, corrupt(csv, random));
      try {
        CsvReader.read(csvFile, new CsvReader.Options(null, random.nextBoolean() ? "label" : null));
        count("csv: read");
      } catch (IOException e) {
        assertThat(e.getMessage()).contains(csvFile.getFileName().toString());
        count("csv: " + e.getClass().getSimpleName());
      } catch (RuntimeException e) {
        throw new AssertionError("csv case " + i + " ended in " + e + " for:\n"
            + new String(Files.readAllBytes(csvFile), StandardCharsets.UTF_8), e);
      }
    }
    report();
  }

  /**
   * Structured mutations of IDX and CSV files: extreme and zero dimensions, other type codes and
   * dimension counts, damaged or multi-member gzip streams with forged size trailers; CSV cells replaced
   * by loose numbers, control characters, escape sequences and long values. Every case ends in success
   * or in a {@link DataException} whose message names the file and is one printable line; never in
   * another exception or an {@link OutOfMemoryError}.
   */
  @Test
  void structurallyMutatedIdxAndCsvFilesEndInSuccessOrOnePrintableLine(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    byte[][] idxFiles = {idx(3, 4, 5), labels(3), doubles(2, 3)};
    for (int i = 0; i < CASES; i++) {
      StringBuilder what = new StringBuilder();
      byte[] content = mutateIdx(idxFiles[random.nextInt(idxFiles.length)], random, what);
      Path idxFile = dir.resolve("case-" + i + ".idx");
      Files.write(idxFile, random.nextInt(3) == 0 ? content : mutateGzip(gzip(content), content, random, what));
      try {
        IdxReader.IdxArray array = IdxReader.read(idxFile);
        count("idx structured: read");
        if (array.dims().length > 1) {
          IdxReader.readDataset(idxFile, null);
          count("idx structured: dataset");
        }
      } catch (DataException e) {
        assertOnePrintableLine(e, idxFile, what);
        count("idx structured: DataException");
      } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
        throw new AssertionError("idx case " + i + " (" + what + ") ended in " + e, e);
      }

      Path csvFile = dir.resolve("case-" + i + ".csv");
      String csv = hostileCsv(random);
      byte[] csvBytes = csv.getBytes(StandardCharsets.UTF_8); // a lone surrogate becomes '?'
      if (random.nextInt(8) == 0) { // bytes that are not UTF-8
        int at = random.nextInt(csvBytes.length + 1);
        byte[] bad = {(byte) 0xff, (byte) 0xc0, (byte) 0x80, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        byte[] with = new byte[csvBytes.length + bad.length];
        System.arraycopy(csvBytes, 0, with, 0, at);
        System.arraycopy(bad, 0, with, at, bad.length);
        System.arraycopy(csvBytes, at, with, at + bad.length, csvBytes.length - at);
        csvBytes = with;
      }
      Files.write(csvFile, csvBytes);
      String[] labelColumns = {null, "label", "-1", "0", "99", "\u001b[2J", "v"};
      Boolean[] headers = {null, true, false};
      CsvReader.Options options = new CsvReader.Options(
          headers[random.nextInt(headers.length)], labelColumns[random.nextInt(labelColumns.length)]);
      try {
        io.vi4j.api.data.Dataset data = CsvReader.read(csvFile, options);
        for (float v : data.values()) {
          assertThat(Float.isFinite(v)).as(csv).isTrue();
        }
        count("csv structured: read");
      } catch (DataException e) {
        assertOnePrintableLine(e, csvFile, new StringBuilder(csv));
        count("csv structured: DataException");
      } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
        throw new AssertionError("csv case " + i + " ended in " + e + " for:\n" + csv, e);
      }
    }
    report();
  }

  /**
   * Corrupted tables of text cells, read by the {@code table} source with every column inferred (ids, labels,
   * missing tokens, quotes): every case ends in a dataset whose values are finite or NaN (missing), whose
   * level codes lie within their columns' levels, or in an error whose message is one printable line naming
   * the file; never in another exception.
   */
  @Test
  void corruptedTablesEndInAValidDatasetOrOnePrintableLine(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(8);
    byte[] table = ("id,height,smoker,region,visits,kind\n"
        + "a1,1.5,yes,\"north\",3,alpha\n"
        + "a2,NA,no,south,,beta\n"
        + "a3,-0.25,yes,east,0,alpha\n"
        + "a4,2e1,?,north,7,beta\n"
        + "a5,0.5,no,\"south\",1,alpha\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < CASES; i++) {
      Path file = dir.resolve("table-" + i + ".csv");
      Files.write(file, corrupt(table, random));
      io.vi4j.core.data.TableDataSpec spec = new io.vi4j.core.data.TableDataSpec(file.toString(), file.toString(),
          null, null, null, random.nextBoolean() ? "id" : null, random.nextBoolean() ? "kind" : null, null, null,
          null, null, null, null);
      try {
        io.vi4j.api.data.DataSplits data = new io.vi4j.core.data.TableDataFactory(note -> {})
            .create(spec, new io.vi4j.api.plugin.BuildContext(0, 0, null, dir)).load();
        io.vi4j.api.data.Dataset train = data.train();
        assertThat(train.table().columns()).hasSize(train.columns());
        for (int v = 0; v < train.values().length; v++) {
          float value = train.values()[v];
          io.vi4j.api.data.TableColumn column = train.table().column(v % train.columns());
          assertThat(Float.isNaN(value) || Float.isFinite(value)).isTrue();
          if (!Float.isNaN(value) && !column.levels().isEmpty()) {
            assertThat(value).as("a level code of %s", column).isBetween(0f, column.levels().size() - 1f);
          }
        }
        count("table: read");
      } catch (DataException e) {
        assertOnePrintableLine(e, file, new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        count("table: DataException");
      } catch (IllegalArgumentException e) {
        String message = e.getMessage();
        assertThat(message).as(message).contains(file.getFileName().toString());
        assertThat(message.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)))
            .as("a printable line: %s", message).isTrue();
        count("table: IllegalArgumentException");
      } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
        throw new AssertionError("table case " + i + " ended in " + e + " for:\n"
            + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1), e);
      }
    }
    report();
  }

  private static void assertOnePrintableLine(DataException e, Path file, CharSequence what) {
    String message = e.getMessage();
    assertThat(message).as(what.toString()).startsWith(file.toString());
    assertThat(message.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)))
        .as("a printable line: %s", message).isTrue();
    assertThat(message.length()).as(message).isLessThan(2000);
  }

  private static final int[] EXTREME_DIMS = {
    0, 1, 2, 255, 65536, 1 << 24, 1_000_000_000, Integer.MAX_VALUE - 8, Integer.MAX_VALUE, Integer.MIN_VALUE, -1
  };

  /** Overwrites the type code, the dimension count or a dimension of an IDX file's header, or nothing. */
  private static byte[] mutateIdx(byte[] original, SplittableRandom random, StringBuilder what) {
    byte[] copy = original.clone();
    ByteBuffer buffer = ByteBuffer.wrap(copy);
    int ndim = copy[3] & 0xff;
    switch (random.nextInt(6)) {
      case 0 -> {
        int d = random.nextInt(ndim);
        int value = EXTREME_DIMS[random.nextInt(EXTREME_DIMS.length)];
        buffer.putInt(4 + 4 * d, value);
        what.append("dim ").append(d).append(" = ").append(value);
      }
      case 1 -> {
        buffer.putInt(4, 0);
        what.append("0 items");
        if (random.nextBoolean()) {
          what.append(", no data");
          return java.util.Arrays.copyOf(copy, 4 + 4 * ndim);
        }
      }
      case 2 -> {
        int[] codes = {0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0xff};
        copy[2] = (byte) codes[random.nextInt(codes.length)];
        what.append(String.format("type 0x%02x", copy[2] & 0xff));
      }
      case 3 -> {
        copy[3] = (byte) random.nextInt(256);
        what.append("ndim ").append(copy[3] & 0xff);
      }
      case 4 -> {
        byte[] longer = java.util.Arrays.copyOf(copy, copy.length + random.nextInt(64));
        what.append("padded to ").append(longer.length);
        return longer;
      }
      default -> what.append("header kept");
    }
    return copy;
  }

  /** Damages, forges the size trailer of, splits into members or pads a gzip stream, or keeps it. */
  private static byte[] mutateGzip(byte[] gz, byte[] content, SplittableRandom random, StringBuilder what)
      throws IOException {
    byte[] copy = gz.clone();
    switch (random.nextInt(6)) {
      case 0 -> {
        int at = 10 + random.nextInt(copy.length - 10);
        copy[at] ^= (byte) (1 + random.nextInt(255));
        what.append(", gzip byte ").append(at).append(" flipped");
      }
      case 1 -> {
        int isize = EXTREME_DIMS[random.nextInt(EXTREME_DIMS.length)];
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(copy.length - 4, isize);
        what.append(", gzip ISIZE forged to ").append(Integer.toUnsignedString(isize));
      }
      case 2 -> {
        int at = random.nextInt(content.length + 1);
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        members.write(gzip(java.util.Arrays.copyOf(content, at)));
        members.write(gzip(java.util.Arrays.copyOfRange(content, at, content.length)));
        what.append(", two gzip members split at ").append(at);
        return members.toByteArray();
      }
      case 3 -> {
        byte[] padded = java.util.Arrays.copyOf(copy, copy.length + 1 + random.nextInt(32));
        for (int k = copy.length; k < padded.length; k++) {
          padded[k] = (byte) random.nextInt(256);
        }
        what.append(", garbage after the gzip stream");
        return padded;
      }
      case 4 -> {
        what.append(", gzip cut");
        return java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
      }
      default -> what.append(", gzip kept");
    }
    return copy;
  }

  private static final String[] HOSTILE_CELLS = {
    "0x1p-1", "0.5f", "0.1\0", "1e5d", "\" 1\"", "\"1 \"", "NaN", "nan", "-inf", "Infinity", "1e39", "-1e400",
    "\u001b[31m", "\u001b]0;t\u0007", "\u202e1", "\u009b2J", "\uFEFF1", "\ud800", "1".repeat(5000),
    "x".repeat(300), "", "\"", "\"\"", "\"\"\"", "١", "1_0", "+", "-", ".", "1e", "--1", "2147483648",
    "-2147483649", "-0", "1.0", "007", ".5", "5.", "1E+2", "\t2\t", " 3 ", "\f4", "\u000b5", "\u00a06"
  };

  /** A small labelled CSV file, a cell or a header name replaced by a hostile value, random line ends. */
  private static String hostileCsv(SplittableRandom random) {
    String[][] rows = {{"label", "v", "w"}, {"1", "0.5", "0.25"}, {"0", "0.75", "1"}, {"2", "0", "0.125"}};
    int replacements = 1 + random.nextInt(2);
    for (int k = 0; k < replacements; k++) {
      rows[random.nextInt(rows.length)][random.nextInt(3)] = HOSTILE_CELLS[random.nextInt(HOSTILE_CELLS.length)];
    }
    String[] ends = {"\n", "\r\n", "\r"};
    String end = ends[random.nextInt(ends.length)];
    StringBuilder csv = new StringBuilder();
    for (String[] row : rows) {
      csv.append(String.join(",", row)).append(end);
    }
    return csv.toString();
  }

  @Test
  void corruptedParameterFilesEndInAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    ai.djl.ndarray.NDManager manager = io.vi4j.core.engine.Engines.pytorch().newBaseManager();
    try (io.vi4j.core.model.AssembledModel model = new io.vi4j.core.model.AssembledModel(
        io.vi4j.core.testing.TinyMlpModel.build(manager, 12, 2, 4), manager)) {
      Path good = dir.resolve("parameters.bin");
      model.save(good);
      byte[] bytes = Files.readAllBytes(good);
      for (int i = 0; i < Math.max(20, CASES / 5); i++) {
        Path file = dir.resolve("case-" + i + ".bin");
        Files.write(file, corrupt(bytes, random));
        try {
          model.load(file);
          count("parameters: loaded");
        } catch (IOException e) {
          assertThat(e.getMessage()).contains(file.getFileName().toString());
          count("parameters: IOException");
        } catch (RuntimeException e) {
          throw new AssertionError("parameter case " + i + " ended in " + e, e);
        }
      }
    }
    report();
  }

  /**
   * A valid checkpoint, then one or two of its three files mutated: bytes flipped, truncated, padded or
   * inserted, binary fields overwritten with extreme values, JSON fields replaced, removed, nested or
   * given wrong types and huge numbers. Half the time the manifest's size and SHA-256 are made to match
   * the mutated file, so that decoding itself is exercised past the checksum.
   */
  @Test
  void corruptedCheckpointsEndInSuccessOrACheckpointErrorNamingTheFile(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(4);
    Path good = new CheckpointStore(dir.resolve("source"), 1).save(fuzzCheckpoint());
    Map<String, byte[]> original = new LinkedHashMap<>();
    for (String name : List.of(CheckpointStore.TENSORS, CheckpointStore.TRAINER, CheckpointStore.MANIFEST)) {
      original.put(name, Files.readAllBytes(good.resolve(name)));
    }
    CheckpointStore.read(good); // the unmutated one is valid
    Path checkpoint = dir.resolve("case").resolve(good.getFileName());
    Files.createDirectories(checkpoint);
    List<String> names = List.copyOf(original.keySet());
    for (int i = 0; i < CASES; i++) {
      Map<String, byte[]> files = new LinkedHashMap<>(original);
      StringBuilder what = new StringBuilder();
      int mutations = 1 + (random.nextInt(4) == 0 ? 1 : 0);
      for (int m = 0; m < mutations; m++) {
        String name = names.get(random.nextInt(names.size()));
        files.put(name, mutateCheckpointFile(name, files.get(name), random, what));
        if (!name.equals(CheckpointStore.MANIFEST) && random.nextBoolean()) {
          byte[] fixed = fixUpManifest(files.get(CheckpointStore.MANIFEST), name, files.get(name));
          if (fixed != null) {
            files.put(CheckpointStore.MANIFEST, fixed);
            what.append(" (manifest fixed up)");
          }
        }
      }
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Files.write(checkpoint.resolve(file.getKey()), file.getValue());
      }
      try {
        CheckpointStore.read(checkpoint);
        count("checkpoint: read");
      } catch (CheckpointException e) {
        assertThat(e.getMessage()).as("case %d: %s", i, what).startsWith(checkpoint.toString());
        String named = names.stream().filter(n -> e.getMessage().startsWith(checkpoint.resolve(n).toString()))
            .findFirst().orElse("directory");
        count("checkpoint: CheckpointException (" + named + ")");
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        throw new AssertionError("checkpoint case " + i + " (" + what + ") ended in " + e, e);
      }
    }
    report();
  }

  /** A tiny architecture: data width, latent width, the encoder's and the decoder's hidden widths. */
  private record Architecture(int d, int l, List<Integer> encoder, List<Integer> decoder) {
    io.vi4j.core.model.AssembledModel build() {
      ai.djl.ndarray.NDManager manager = io.vi4j.core.engine.Engines.pytorch().newBaseManager();
      return new io.vi4j.core.model.AssembledModel(
          io.vi4j.core.testing.TinyMlpModel.build(manager, d, l, encoder, decoder), manager);
    }

    static Architecture random(SplittableRandom random) {
      return new Architecture(1 + random.nextInt(6), 1 + random.nextInt(3), widths(random), widths(random));
    }

    private static List<Integer> widths(SplittableRandom random) {
      List<Integer> widths = new ArrayList<>();
      for (int k = 0, depth = 1 + random.nextInt(2); k < depth; k++) {
        widths.add(1 + random.nextInt(5));
      }
      return widths;
    }

    /** @return this architecture with one thing changed: a width, a layer more or less, D or L. */
    Architecture mutated(SplittableRandom random) {
      List<Integer> enc = new ArrayList<>(encoder);
      List<Integer> dec = new ArrayList<>(decoder);
      List<Integer> net = random.nextBoolean() ? enc : dec;
      switch (random.nextInt(5)) {
        case 0 -> {
          return new Architecture(d + 1 + random.nextInt(3), l, enc, dec);
        }
        case 1 -> {
          return new Architecture(d, l + 1, enc, dec);
        }
        case 2 -> net.add(1 + random.nextInt(5));
        case 3 -> {
          if (net.size() > 1) {
            net.remove(net.size() - 1);
          } else {
            net.add(0, net.get(0)); // same widths, one layer deeper
          }
        }
        default -> {
          int at = random.nextInt(net.size());
          net.set(at, net.get(at) + 1 + random.nextInt(3));
        }
      }
      return new Architecture(d, l, enc, dec);
    }
  }

  /**
   * Parameter files that pass their checksum but do not fit: a model of a random small architecture is
   * saved (sometimes after NaN or ±∞ was written into entries of one parameter) and loaded into a model
   * of the same or another architecture (a width changed, a layer more or less, another D or L). Every
   * case ends in success, with the saved values, when the architecture is the same and the values are
   * finite; otherwise in an {@link IOException} that starts with the file and names the parameter (or
   * the part that does not fit); never in another exception, never in a model of another shape or with
   * non-finite values.
   */
  @Test
  void checksummedParameterFilesOfOtherModelsOrNonFiniteValuesAreRefusedNamingTheParameter(@TempDir Path dir)
      throws Exception {
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < CASES; i++) {
      Architecture saved = Architecture.random(random);
      boolean same = random.nextInt(5) < 2;
      Architecture target = same ? saved : saved.mutated(random);
      Path file = dir.resolve("case-" + i + ".bin");
      String poisoned = null;
      List<float[]> values = new ArrayList<>();
      try (io.vi4j.core.model.AssembledModel source = saved.build()) {
        var parameters = source.model().parameters();
        if (random.nextInt(3) == 0) {
          var p = parameters.get(random.nextInt(parameters.size()));
          ai.djl.ndarray.NDArray array = p.getValue().getArray();
          float[] v = array.toFloatArray();
          float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
          for (int k = 0, n = 1 + random.nextInt(Math.min(3, v.length)); k < n; k++) {
            v[random.nextInt(v.length)] = bad[random.nextInt(bad.length)];
          }
          array.set(java.nio.FloatBuffer.wrap(v));
          poisoned = p.getKey();
        }
        parameters.forEach(p -> values.add(p.getValue().getArray().toFloatArray()));
        source.save(file);
      }
      String what = "case " + i + ": " + saved + " saved" + (poisoned == null ? "" : " with '" + poisoned
          + "' poisoned") + ", loaded into " + (same ? "the same" : target.toString());
      try (io.vi4j.core.model.AssembledModel model = target.build()) {
        try {
          model.load(file);
        } catch (IOException e) {
          String message = e.getMessage();
          assertThat(message).as(what).startsWith(file.toString());
          assertThat(same && poisoned == null).as("refused a file that fits: %s: %s", what, message).isFalse();
          String kind;
          if (message.contains("non-finite")) {
            kind = "non-finite values";
            assertThat(message).as(what).contains("parameter '" + poisoned + "'");
          } else if (message.contains("' has shape ")) {
            kind = "another shape";
          } else if (message.contains(": holds parameters [")) {
            kind = "other parameter names";
          } else if (message.contains("bytes of parameters are left over")) {
            kind = "arrays left over";
          } else if (message.contains("end before the model") || message.contains("parameters are missing")) {
            kind = "arrays missing";
          } else if (message.contains("'s parameters") || message.contains("where the config builds")) {
            kind = "a part that does not fit";
          } else {
            throw new AssertionError(what + ": the message names no parameter or part: " + message, e);
          }
          assertThat(message).as(what).matches(".*('(prior|encoder|decoder)\\.[^']+'|\\[(prior|encoder|decoder)\\."
              + "|the (prior|encoder|decoder)'s parameters|left over).*");
          if (!kind.equals("non-finite values")) {
            assertThat(message).as(what).contains("written by another model");
          }
          count("loaded model: IOException (" + kind + ")");
          continue;
        } catch (RuntimeException | OutOfMemoryError e) {
          throw new AssertionError(what + " ended in " + e, e);
        }
        assertThat(same).as("loaded a file of another architecture: %s", what).isTrue();
        assertThat(poisoned).as("loaded non-finite values: %s", what).isNull();
        List<float[]> loaded = new ArrayList<>();
        model.model().parameters().forEach(p -> loaded.add(p.getValue().getArray().toFloatArray()));
        assertThat(loaded).as(what).hasSameSizeAs(values);
        for (int k = 0; k < values.size(); k++) {
          assertThat(loaded.get(k)).as(what).containsExactly(values.get(k));
        }
        count("loaded model: loaded");
      }
    }
    report();
  }

  /** Items of 6 binary values: 24 to train on in batches of 8 (3 steps per epoch), 8 to test. */
  private static io.vi4j.api.data.DataSplits tinyData() {
    SplittableRandom random = new SplittableRandom(8);
    float[] train = new float[24 * 6];
    float[] test = new float[8 * 6];
    for (int k = 0; k < train.length; k++) {
      train[k] = random.nextInt(2);
    }
    for (int k = 0; k < test.length; k++) {
      test[k] = random.nextInt(2);
    }
    return new io.vi4j.api.data.DataSplits(
        new io.vi4j.api.data.Dataset("tiny train", train, 24, 6, null, null),
        new io.vi4j.api.data.Dataset("tiny test", test, 8, 6, null, null),
        io.vi4j.api.data.DataSplits.Binarization.NONE);
  }

  /** Reparameterization with a running mean of the loss as state, which a checkpoint holds. */
  private static final class StatefulEstimator implements io.vi4j.api.estimator.GradientEstimator {
    private final io.vi4j.core.testing.ReparameterizedTestEstimator inner =
        new io.vi4j.core.testing.ReparameterizedTestEstimator();
    private final ai.djl.ndarray.NDArray mean;

    StatefulEstimator(ai.djl.ndarray.NDManager manager) {
      mean = manager.zeros(new ai.djl.ndarray.types.Shape());
    }

    @Override
    public io.vi4j.api.estimator.ElboEstimate estimate(
        io.vi4j.api.model.LatentVariableModel model, ai.djl.ndarray.NDArray batch) {
      io.vi4j.api.estimator.ElboEstimate e = inner.estimate(model, batch);
      mean.muli(0.9f).addi(e.loss().stopGradient().mul(0.1f));
      return e;
    }

    @Override
    public Map<String, ai.djl.ndarray.NDArray> runningState() {
      return Map.of("mean", mean);
    }

    @Override
    public java.util.Set<io.vi4j.api.distribution.Capability> requiredPosteriorCapabilities() {
      return inner.requiredPosteriorCapabilities();
    }
  }

  private static final io.vi4j.core.config.TrainingSpec TINY_TRAINING =
      new io.vi4j.core.config.TrainingSpec(2, 8, 1e-2, null, null, null, null);
  private static final Architecture TINY = new Architecture(6, 2, List.of(5), List.of(4));

  /** Trains {@link #TINY} on {@link #tinyData}, resuming from {@code from} or writing checkpoints into {@code store}. */
  private static void trainTiny(io.vi4j.core.checkpoint.CheckpointStore store, Checkpoint from) {
    io.vi4j.core.engine.Engines.seed(3);
    try (io.vi4j.core.model.AssembledModel model = TINY.build()) {
      new io.vi4j.core.train.SviTrainer(TINY_TRAINING, new StatefulEstimator(model.manager()),
          new io.vi4j.core.eval.Evaluator(new io.vi4j.core.config.EvaluationSpec(0, 0, 1, 1 << 20)), 5)
          .fit(model, tinyData(), new io.vi4j.core.train.TrainingListener() {},
              new io.vi4j.core.checkpoint.Checkpointing(store, store == null ? 0 : 2, "digest", from));
    }
  }

  /** What a mutated checkpoint must lead to. */
  private enum Expect {
    /** {@link CheckpointStore#read} refuses it (non-finite values). */
    READ_REFUSES,
    /** Reading succeeds, resuming refuses it. */
    RESUME_REFUSES,
    /** Either is right (the mutated array is not used from this checkpoint, or finite values that may diverge). */
    EITHER
  }

  /**
   * Checkpoints that pass their checksums (written through {@link CheckpointStore#save}) but whose arrays
   * hold non-finite values, other shapes, other element types, wrong or missing names, a data order that
   * is no permutation, or huge finite values. Reading refuses non-finite values naming {@code tensors.bin};
   * a trainer resumed from the rest ends in success, in an {@link IllegalArgumentException} naming the
   * checkpoint ("checkpoint at step N: ..."), or (huge values) in a divergence; never in another exception,
   * and never in success from an array of the wrong shape.
   */
  @Test
  void checksummedCheckpointsWithNonFiniteValuesOrWrongShapesAreRefused(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    CheckpointStore source = new CheckpointStore(dir.resolve("source"), 100);
    trainTiny(source, null);
    List<Checkpoint> originals = new ArrayList<>();
    for (Path p : source.list()) {
      originals.add(CheckpointStore.read(p));
    }
    assertThat(originals).hasSize(4); // steps 2 and 4 within epochs, 3 and 6 at their ends
    CheckpointStore store = new CheckpointStore(dir.resolve("case"), 1);
    for (int i = 0; i < CASES; i++) {
      Checkpoint original = originals.get(random.nextInt(originals.size()));
      boolean atEnd = original.trainer().atEpochEnd();
      Map<String, HostTensor> tensors = new LinkedHashMap<>(original.tensors());
      StringBuilder what = new StringBuilder("case " + i + ": step " + original.trainer().globalStep());
      Map<String, Expect> touched = new TreeMap<>();
      for (int m = 0, n = random.nextInt(4) == 0 ? 2 : 1; m < n; m++) {
        Touched t = mutateTensors(tensors, atEnd, random, what);
        touched.merge(t.name(), t.expect(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
      // A second mutation may undo the first (a shape grown, then shrunk back): what is unchanged counts not.
      Expect expect = touched.entrySet().stream()
          .filter(e -> !java.util.Objects.equals(tensors.get(e.getKey()), original.tensors().get(e.getKey())))
          .map(Map.Entry::getValue).min(Expect::compareTo).orElse(Expect.EITHER);
      io.vi4j.core.io.Directories.deleteRecursively(store.directory()); // else an older step may outlive this one
      Path written = store.save(new Checkpoint(original.trainer(), tensors));
      Checkpoint read;
      try {
        read = CheckpointStore.read(written);
      } catch (CheckpointException e) {
        assertThat(expect).as("%s: refused (%s)", what, e.getMessage()).isEqualTo(Expect.READ_REFUSES);
        assertThat(e.getMessage()).as(what.toString()).startsWith(written.resolve(CheckpointStore.TENSORS).toString())
            .contains("non-finite");
        count("checkpoint values: read refused (non-finite)");
        continue;
      } catch (RuntimeException | OutOfMemoryError e) {
        throw new AssertionError(what + " ended in " + e, e);
      }
      assertThat(expect).as("read %s", what).isNotEqualTo(Expect.READ_REFUSES);
      String prefix = "checkpoint at step " + original.trainer().globalStep() + ": ";
      try {
        trainTiny(null, read);
        assertThat(expect).as("resumed from %s", what).isEqualTo(Expect.EITHER);
        count("checkpoint values: resumed");
      } catch (io.vi4j.core.train.TrainingDivergedException e) {
        assertThat(what.toString()).as("diverged: %s", e.getMessage()).contains("huge");
        count("checkpoint values: resumed, diverged");
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).as(what.toString()).startsWith(prefix);
        count("checkpoint values: resume refused");
      } catch (RuntimeException | OutOfMemoryError e) {
        throw new AssertionError(what + " ended in " + e, e);
      }
    }
    report();
  }

  /** The array a mutation changed, and what the change must lead to. */
  private record Touched(String name, Expect expect) {}

  /** One mutation of a checkpoint's arrays; {@code what} says which. */
  private static Touched mutateTensors(
      Map<String, HostTensor> tensors, boolean atEnd, SplittableRandom random, StringBuilder what) {
    List<String> names = new ArrayList<>(tensors.keySet());
    List<String> floats = names.stream().filter(n -> tensors.get(n).dataType() == ai.djl.ndarray.types.DataType.FLOAT32
        && tensors.get(n).data().length > 0).toList();
    String name = names.get(random.nextInt(names.size()));
    boolean order = name.equals(Checkpoint.DATA_ORDER);
    // The data order is read only within an epoch; the arrays of the model, Adam and the estimator always;
    // an array under another name never.
    boolean used = order ? !atEnd : java.util.stream.Stream.of(Checkpoint.PARAMETER, Checkpoint.ADAM_FIRST,
        Checkpoint.ADAM_SECOND, Checkpoint.ESTIMATOR_STATE).anyMatch(name::startsWith);
    Expect unusable = used ? Expect.RESUME_REFUSES : Expect.EITHER;
    HostTensor t = tensors.get(name);
    what.append("; ");
    switch (random.nextInt(8)) {
      case 0 -> {
        String f = floats.get(random.nextInt(floats.size()));
        HostTensor ft = tensors.get(f);
        ByteBuffer b = ByteBuffer.wrap(ft.data().clone()).order(ByteOrder.LITTLE_ENDIAN);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)};
        int elements = ft.data().length / 4;
        for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
          b.putFloat(4 * random.nextInt(elements), bad[random.nextInt(bad.length)]);
        }
        tensors.put(f, new HostTensor(ft.dataType(), ft.shape(), b.array()));
        what.append(f).append(": non-finite values");
        return new Touched(f, Expect.READ_REFUSES);
      }
      case 1 -> {
        long[] shape = t.shape();
        long[] other;
        if (shape.length == 2 && shape[0] != shape[1]) {
          other = new long[] {shape[1], shape[0]};
        } else if (shape.length >= 2) {
          other = new long[] {HostTensor.elements(shape)};
        } else {
          other = new long[shape.length + 1];
          other[0] = 1;
          System.arraycopy(shape, 0, other, 1, shape.length);
        }
        tensors.put(name, new HostTensor(t.dataType(), other, t.data()));
        what.append(name).append(": shape ").append(java.util.Arrays.toString(shape)).append(" → ")
            .append(java.util.Arrays.toString(other));
        return new Touched(name, unusable);
      }
      case 2 -> {
        long[] shape = t.shape().length == 0 ? new long[] {2} : t.shape().clone();
        int axis = random.nextInt(shape.length);
        shape[axis] = t.shape().length == 0 ? 2 : Math.max(0, shape[axis] + (random.nextBoolean() ? 1 : -1));
        byte[] data = new byte[(int) (HostTensor.elements(shape) * t.dataType().getNumOfBytes())];
        System.arraycopy(t.data(), 0, data, 0, Math.min(data.length, t.data().length));
        tensors.put(name, new HostTensor(t.dataType(), shape, data));
        what.append(name).append(": resized to ").append(java.util.Arrays.toString(shape));
        return new Touched(name, unusable);
      }
      case 3 -> {
        ai.djl.ndarray.types.DataType to = switch (t.dataType()) {
          case FLOAT32 -> ai.djl.ndarray.types.DataType.FLOAT64;
          case INT64 -> ai.djl.ndarray.types.DataType.INT32;
          default -> ai.djl.ndarray.types.DataType.FLOAT32;
        };
        long elements = HostTensor.elements(t.shape());
        ByteBuffer from = ByteBuffer.wrap(t.data()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate((int) (elements * to.getNumOfBytes())).order(ByteOrder.LITTLE_ENDIAN);
        for (long k = 0; k < elements; k++) {
          double v = switch (t.dataType()) {
            case FLOAT32 -> from.getFloat();
            case FLOAT64 -> from.getDouble();
            case INT32 -> from.getInt();
            default -> from.getLong();
          };
          switch (to) {
            case FLOAT64 -> out.putDouble(v);
            case INT32 -> out.putInt((int) v);
            default -> out.putFloat((float) v);
          }
        }
        tensors.put(name, new HostTensor(to, t.shape(), out.array()));
        what.append(name).append(": ").append(t.dataType()).append(" → ").append(to);
        return new Touched(name, unusable);
      }
      case 4 -> {
        tensors.remove(name);
        what.append(name).append(": removed");
        return new Touched(name, unusable);
      }
      case 5 -> {
        String[] extras = {Checkpoint.PARAMETER + "encoder.extra", Checkpoint.ADAM_FIRST + "decoder.extra",
            Checkpoint.ADAM_SECOND + name, Checkpoint.ESTIMATOR_STATE + "extra", "unrelated"};
        String extra = extras[random.nextInt(extras.length)];
        boolean known = tensors.containsKey(extra);
        tensors.put(extra, known ? tensors.get(extra) : t);
        what.append(extra).append(known ? ": kept" : ": added");
        return new Touched(extra, known || extra.equals("unrelated") ? Expect.EITHER : Expect.RESUME_REFUSES);
      }
      case 6 -> {
        HostTensor o = tensors.get(Checkpoint.DATA_ORDER);
        if (o == null || o.dataType() != ai.djl.ndarray.types.DataType.INT64 || o.shape().length != 1
            || o.shape()[0] < 2) {
          what.append("data.order: already changed");
          return new Touched(Checkpoint.DATA_ORDER, Expect.EITHER);
        }
        long[] values = o.toLongs();
        long[] bad = {-1, values.length, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L, values[0]};
        long[] changed;
        if (random.nextInt(3) == 0) {
          changed = java.util.Arrays.copyOf(values, random.nextBoolean() ? values.length + 1 : values.length - 1);
        } else {
          changed = values.clone();
          int at = 1 + random.nextInt(values.length - 1);
          changed[at] = bad[random.nextInt(bad.length)];
        }
        tensors.put(Checkpoint.DATA_ORDER, HostTensor.ofLongs(changed));
        what.append("data.order: ").append(java.util.Arrays.toString(changed));
        return new Touched(Checkpoint.DATA_ORDER, atEnd ? Expect.EITHER : Expect.RESUME_REFUSES);
      }
      default -> {
        String f = floats.get(random.nextInt(floats.size()));
        HostTensor ft = tensors.get(f);
        ByteBuffer b = ByteBuffer.wrap(ft.data().clone()).order(ByteOrder.LITTLE_ENDIAN);
        float[] huge = {Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, Float.MIN_VALUE, -0f};
        for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
          b.putFloat(4 * random.nextInt(ft.data().length / 4), huge[random.nextInt(huge.length)]);
        }
        tensors.put(f, new HostTensor(ft.dataType(), ft.shape(), b.array()));
        what.append(f).append(": huge or tiny finite values");
        return new Touched(f, Expect.EITHER);
      }
    }
  }

  private static Checkpoint fuzzCheckpoint() {
    List<EpochMetrics> metrics = List.of(
        new EpochMetrics(1, 120.5, 100.25, 20.25, 118.0, 99.0, 19.0, 2.5, 640.0, 0.5),
        new EpochMetrics(2, 110.0, 95.0, 15.0, Double.NaN, Double.NaN, Double.NaN, 2.25, 711.1, 0.0));
    TrainerState trainer = new TrainerState(42, 3, 2, 20, 320, 16, 42, new double[] {512.5, 64.25}, "c0ffee",
        metrics, 2);
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    ByteBuffer w = ByteBuffer.allocate(6 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < 6; k++) {
      w.putFloat(0.25f * k - 0.5f);
    }
    tensors.put(Checkpoint.PARAMETER + "encoder.weight", new HostTensor(
        ai.djl.ndarray.types.DataType.FLOAT32, new long[] {2, 3}, w.array()));
    tensors.put(Checkpoint.ADAM_FIRST + "encoder.weight", new HostTensor(
        ai.djl.ndarray.types.DataType.FLOAT32, new long[] {2, 3}, new byte[24]));
    tensors.put(Checkpoint.ADAM_SECOND + "encoder.weight", new HostTensor(
        ai.djl.ndarray.types.DataType.FLOAT32, new long[] {2, 3}, new byte[24]));
    tensors.put(Checkpoint.ESTIMATOR_STATE + "baseline", new HostTensor(
        ai.djl.ndarray.types.DataType.FLOAT64, new long[] {}, new byte[8]));
    tensors.put("empty", new HostTensor(ai.djl.ndarray.types.DataType.INT32, new long[] {0, 4}, new byte[0]));
    tensors.put(Checkpoint.DATA_ORDER, HostTensor.ofLongs(new long[] {5, 3, 0, 1, 4, 2}));
    return new Checkpoint(trainer, tensors);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final Pattern JSON_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
  private static final String[] HOSTILE_VALUES = {
    "1e400", "-1e400", "99999999999999999999999999", "-2147483649", "2147483648", "-1", "0", "1.5", "NaN",
    "\"Infinity\"", "\"x\"", "null", "true", "[]", "{}", "[[[[[[[[[[1]]]]]]]]]]", "\"\"", "1" + "0".repeat(2000)
  };

  /** One mutation of a checkpoint file; {@code what} says which, for the report of a failing case. */
  private static byte[] mutateCheckpointFile(String name, byte[] bytes, SplittableRandom random, StringBuilder what)
      throws IOException {
    boolean json = !name.equals(CheckpointStore.TENSORS);
    int kind = bytes.length < 16 ? 1 : random.nextInt(json ? 5 : 4); // a file cut short by a first mutation grows
    what.append(what.length() == 0 ? "" : ", ").append(name).append(": ");
    switch (kind) {
      case 0 -> {
        what.append("corrupted");
        return corrupt(bytes, random);
      }
      case 1 -> {
        int at = random.nextInt(bytes.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(16)];
        for (int k = 0; k < inserted.length; k++) {
          inserted[k] = (byte) random.nextInt(256);
        }
        what.append(inserted.length).append(" bytes inserted at ").append(at);
        byte[] longer = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, longer, 0, at);
        System.arraycopy(inserted, 0, longer, at, inserted.length);
        System.arraycopy(bytes, at, longer, at + inserted.length, bytes.length - at);
        return longer;
      }
      case 2 -> {
        if (json) {
          return replaceNumber(bytes, random, what);
        }
        // An int32 or int64 field (or data) overwritten with an extreme value.
        long[] extremes = {0, -1, 1, 8, 9, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
            1L << 31, 1L << 40, bytes.length, -bytes.length};
        long value = extremes[random.nextInt(extremes.length)];
        boolean wide = random.nextBoolean();
        int at = random.nextInt(bytes.length - (wide ? 8 : 4) + 1);
        byte[] copy = bytes.clone();
        ByteBuffer buffer = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        if (wide) {
          buffer.putLong(at, value);
        } else {
          buffer.putInt(at, (int) value);
        }
        what.append(wide ? "int64 " : "int32 ").append(value).append(" written at ").append(at);
        return copy;
      }
      case 3 -> {
        if (json) {
          JsonNode tree;
          try {
            tree = JSON.readTree(bytes);
          } catch (IOException e) {
            tree = null; // mutated already, past parsing
          }
          if (tree instanceof ObjectNode object) {
            mutate(object, random);
            what.append("JSON field mutated");
            return JSON.writeValueAsBytes(object);
          }
          what.append("corrupted");
          return corrupt(bytes, random);
        }
        what.append("truncated");
        return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      default -> {
        // JSON only: a number replaced by a hostile value, twice.
        byte[] once = replaceNumber(bytes, random, what);
        what.append(" and ");
        return replaceNumber(once, random, what);
      }
    }
  }

  private static byte[] replaceNumber(byte[] bytes, SplittableRandom random, StringBuilder what) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<int[]> spans = new ArrayList<>();
    Matcher m = JSON_NUMBER.matcher(text);
    while (m.find()) {
      // Skip digits inside strings (sha256 values, names): a number follows ':', ',' or '[' and blanks.
      int before = m.start() - 1;
      while (before >= 0 && Character.isWhitespace(text.charAt(before))) {
        before--;
      }
      if (before >= 0 && ":,[".indexOf(text.charAt(before)) >= 0) {
        spans.add(new int[] {m.start(), m.end()});
      }
    }
    if (spans.isEmpty()) {
      what.append("no number to replace");
      return bytes;
    }
    int[] span = spans.get(random.nextInt(spans.size()));
    String value = HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)];
    what.append("number '").append(text, span[0], span[1]).append("' replaced by ")
        .append(value.length() > 40 ? value.substring(0, 40) + "…" : value);
    return (text.substring(0, span[0]) + value + text.substring(span[1])).getBytes(StandardCharsets.UTF_8);
  }

  /** @return the manifest with {@code name}'s size and SHA-256 made to match {@code content}; null if unparsable */
  private static byte[] fixUpManifest(byte[] manifest, String name, byte[] content) {
    try {
      JsonNode tree = JSON.readTree(manifest);
      boolean fixed = false;
      if (tree != null && tree.get("files") instanceof ArrayNode files) {
        for (JsonNode entry : files) {
          if (entry instanceof ObjectNode object && object.get("name") != null
              && name.equals(object.get("name").asText())) {
            object.put("bytes", content.length).put("sha256", CheckpointStore.sha256(content));
            fixed = true;
          }
        }
      }
      return fixed ? JSON.writeValueAsBytes(tree) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void count(String outcome) {
    outcomes.merge(outcome, 1, Integer::sum);
  }

  private void report() {
    System.out.println("hostile inputs, outcomes: " + outcomes);
  }

  /** Replaces, removes, adds or nests a random field. */
  private static void mutate(ObjectNode root, SplittableRandom random) {
    List<ObjectNode> objects = new ArrayList<>();
    collect(root, objects);
    ObjectNode target = objects.get(random.nextInt(objects.size()));
    List<String> keys = new ArrayList<>();
    target.fieldNames().forEachRemaining(keys::add);
    String key = keys.isEmpty() ? "x" : keys.get(random.nextInt(keys.size()));
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (random.nextInt(9)) {
      case 0 -> target.remove(key);
      case 1 -> target.put("unknown_" + random.nextInt(100), 1);
      case 2 -> target.put(key, "not a number");
      case 3 -> target.put(key, -random.nextInt(1_000_000));
      case 4 -> target.put(key, 1e300);
      case 5 -> target.set(key, f.nullNode());
      case 6 -> {
        ArrayNode list = target.putArray(key);
        list.add(1).add("two");
      }
      case 7 -> {
        ObjectNode nested = target.putObject(key);
        for (int depth = 0; depth < 50; depth++) {
          nested = nested.putObject("deeper");
        }
      }
      default -> target.put(key, random.nextBoolean());
    }
  }

  private static void collect(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode object) {
      into.add(object);
      for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
        collect(it.next(), into);
      }
    }
  }

  /** Truncates, flips bytes, or overwrites the header with a random value. */
  private static byte[] corrupt(byte[] original, SplittableRandom random) {
    byte[] copy = original.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        return java.util.Arrays.copyOf(copy, random.nextInt(copy.length + 1));
      }
      case 1 -> {
        for (int k = 0; k < 1 + random.nextInt(4); k++) {
          copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
      }
      case 2 -> {
        int at = random.nextInt(Math.min(16, copy.length));
        copy[at] = (byte) 0xff;
      }
      default -> {
        byte[] longer = java.util.Arrays.copyOf(copy, copy.length + 1 + random.nextInt(10));
        return longer;
      }
    }
    return copy;
  }

  private static byte[] idx(int n, int h, int w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000803);
    out.writeInt(n);
    out.writeInt(h);
    out.writeInt(w);
    for (int i = 0; i < n * h * w; i++) {
      out.writeByte(i % 256);
    }
    return bytes.toByteArray();
  }

  private static byte[] labels(int n) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000801);
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeByte(i % 10);
    }
    return bytes.toByteArray();
  }

  private static byte[] doubles(int n, int d) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000E02);
    out.writeInt(n);
    out.writeInt(d);
    for (int i = 0; i < n * d; i++) {
      out.writeDouble(i * 0.25 - 1);
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    }
    return bytes.toByteArray();
  }
}
