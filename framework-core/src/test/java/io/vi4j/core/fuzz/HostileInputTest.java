package io.vi4j.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vi4j.core.config.ConfigException;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.data.CsvReader;
import io.vi4j.core.data.IdxReader;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.TestPlugins;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated configs and corrupted IDX and CSV files: every case must end either in success or in the
 * documented error of its kind ({@link ConfigException} for configs, an {@link IOException} naming the
 * file for data), never in another exception. The number of cases per kind is
 * {@code -Dvi4j.fuzz.cases} (default 100; {@code apps/bench/fuzz.sh} runs 10,000 in all).
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

  @Test
  void corruptedParameterFilesEndInAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    ai.djl.ndarray.NDManager manager = io.vi4j.core.engine.Engines.pytorch().newBaseManager();
    try (io.vi4j.core.run.AssembledModel model = new io.vi4j.core.run.AssembledModel(
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

  private static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    }
    return bytes.toByteArray();
  }
}
