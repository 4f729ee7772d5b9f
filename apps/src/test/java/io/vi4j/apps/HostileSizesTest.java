package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vi4j.core.config.ConfigException;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "sizes" kind of the hostile-input fuzz (a companion of framework-core's {@code HostileInputTest},
 * here because it needs the real plugins, which framework-core cannot see): one or two size settings of a
 * tiny config — {@code model.latent_dim}, the encoder's, decoder's and learned baseline's hidden widths,
 * {@code training.batch_size}, {@code estimator.samples}, the evaluation's sample and item counts, the data
 * sizes, the checkpoint settings — are set to extremes (0, ±1, 2^31−1, 2^30, 10^9, 2^31, 10^12, −2^31, and
 * values just past vi4j's own limits), parsed with {@link ConfigLoader} and run with {@link Experiment#run}
 * into a new run directory. Every case ends in success, a {@link ConfigException} naming the config, or an
 * {@link IllegalArgumentException} or {@link IOException} naming the setting; never in another exception
 * (an engine error, an {@link OutOfMemoryError}, an overflow); and a refused case leaves no
 * {@code config.yaml} behind (nothing is written before every check has passed).
 *
 * <p>The extremes are chosen so that each case either fails fast or is cheap, on any machine: values that
 * vi4j accepts but that make a run take minutes to hours or need gigabytes are left out (an
 * {@code evaluation.iwae_k} or {@code gradient_variance_draws} of 10^9, see {@link #UNBOUNDED}; a width of
 * 10^8 beside a width of 4, which is 8 GB of weights and accepted on a machine of 16 GB or more, so huge
 * widths go next to the data's 784 values; 65,536 estimator samples; a million training items), and at
 * most one moderate value is drawn per case. Cases: {@code -Dvi4j.fuzz.cases} (default 100), as for
 * every kind; {@code -Dvi4j.fuzz.verbose=true} prints each case, its outcome and its time.
 */
class HostileSizesTest {
  private static final int CASES = Integer.getInteger("vi4j.fuzz.cases", 100);
  private static final boolean VERBOSE = Boolean.getBoolean("vi4j.fuzz.verbose");

  private static final String BASE = """
      name: sizes
      seed: 1
      data: {type: sprites, train_size: 32, test_size: 16}
      model:
        latent_dim: 2
        prior: {type: standard-normal}
        encoder: {type: gaussian-mlp, hidden: [4]}
        decoder: {type: bernoulli-mlp, hidden: [4]}
      estimator: {type: reparameterization, samples: 1}
      training: {epochs: 1, batch_size: 16, checkpoint: {every_steps: 0, keep: 1}}
      evaluation: {iwae_k: 4, iwae_items: 8}
      """;

  /** A learned baseline, so that its widths are fuzzed too. */
  private static final String SCORE_FUNCTION =
      "{type: score-function, samples: 2, control_variate: input-dependent, baseline_hidden: [4]}";

  /**
   * Extremes every size setting gets: invalid, tiny, or so large that any machine refuses them (a width of
   * 10^9 next to 784 values is 15 TiB of weights) or that are no 32-bit integer at all.
   */
  private static final long[] EXTREMES = {
    0, 1, -1, 2, Integer.MAX_VALUE, 1 << 30, 1_000_000_000, Integer.MIN_VALUE, 1L << 31, 1_000_000_000_000L,
    Long.MAX_VALUE
  };

  /** The extremes of settings without an upper bound whose large values are accepted and take hours. */
  private static final long[] UNBOUNDED_EXTREMES = {0, 1, -1, 2, Integer.MIN_VALUE, 1L << 31, 1_000_000_000_000L};

  /**
   * Settings vi4j accepts at any size (no upper bound, and no memory check, since the work is chunked):
   * a large value makes a run take hours, so only {@link #UNBOUNDED_EXTREMES} are drawn for them.
   */
  static final List<String> UNBOUNDED = List.of("evaluation.iwae_k", "evaluation.gradient_variance_draws");

  /**
   * Per setting, moderate values (accepted, cheap alone; at most one of them per case, since two can
   * multiply: a latent dimension of 2^20 and a decoder width of 256 make 5 GiB of weights) and values just
   * past vi4j's limits.
   */
  private static final Map<String, long[]> MODERATE = Map.ofEntries(
      Map.entry("model.latent_dim", new long[] {(1 << 20) + 1, 16_384}),
      Map.entry("model.encoder.hidden", new long[] {100_000_000, 256}),
      Map.entry("model.decoder.hidden", new long[] {100_000_000, 256}),
      Map.entry("estimator.baseline_hidden", new long[] {100_000_000, 256}),
      Map.entry("training.batch_size", new long[] {3, 31, 32, 33}),
      Map.entry("estimator.samples", new long[] {16}),
      Map.entry("evaluation.iwae_k", new long[] {64}),
      Map.entry("evaluation.iwae_items", new long[] {15, 16, 17}),
      Map.entry("evaluation.elbo_samples", new long[] {16}),
      Map.entry("evaluation.max_chunk_elements", new long[] {1023, 1024, 65_536}),
      Map.entry("evaluation.gradient_variance_draws", new long[] {3}),
      Map.entry("data.train_size", new long[] {2_739_137 + 1, 3_000_000}),
      Map.entry("data.test_size", new long[] {2_739_137 + 1, 3_000_000}),
      Map.entry("training.checkpoint.every_steps", new long[] {3}),
      Map.entry("training.checkpoint.keep", new long[] {3}));

  private static final List<String> SETTINGS = List.of(
      "model.latent_dim", "model.encoder.hidden", "model.decoder.hidden", "estimator.baseline_hidden",
      "training.batch_size", "estimator.samples", "evaluation.iwae_k", "evaluation.iwae_items",
      "evaluation.elbo_samples", "evaluation.max_chunk_elements", "evaluation.gradient_variance_draws",
      "data.train_size", "data.test_size", "training.checkpoint.every_steps", "training.checkpoint.keep");

  private final Map<String, Integer> outcomes = new TreeMap<>();

  @Test
  void extremeSizesEndInSuccessOrAnErrorNamingTheSettingAndWriteNothing(@TempDir Path dir) throws Exception {
    PluginRegistry registry = Runtime.registry();
    ConfigLoader loader = new ConfigLoader(registry);
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < CASES; i++) {
      ObjectNode tree = (ObjectNode) loader.mapper().readTree(BASE);
      boolean scoreFunction = random.nextInt(3) == 0;
      if (scoreFunction) {
        tree.set("estimator", loader.mapper().readTree(SCORE_FUNCTION));
      }
      Map<String, Long> changed = new TreeMap<>();
      int mutations = random.nextInt(3) == 0 ? 2 : 1;
      while (changed.size() < mutations) {
        String setting = SETTINGS.get(random.nextInt(SETTINGS.size()));
        if (setting.equals("estimator.baseline_hidden") && !scoreFunction || changed.containsKey(setting)) {
          continue;
        }
        long[] extremes = UNBOUNDED.contains(setting) ? UNBOUNDED_EXTREMES : EXTREMES;
        long[] moderate = changed.isEmpty() ? MODERATE.get(setting) : new long[0]; // one moderate value at most
        int k = random.nextInt(extremes.length + moderate.length);
        changed.put(setting, k < extremes.length ? extremes[k] : moderate[k - extremes.length]);
      }
      changed.forEach((setting, value) -> set(tree, setting, value, random));
      String text = loader.mapper().writeValueAsString(tree);
      String name = "case-" + i + ".yaml";
      Path run = dir.resolve("case-" + i);
      String what = "case " + i + ": " + changed + (scoreFunction ? " (score-function)" : "");
      long start = System.nanoTime();
      String outcome = run(loader, registry, text, name, run, changed, what);
      if (VERBOSE) {
        System.out.printf("%s -> %s (%.2f s)%n", what, outcome, (System.nanoTime() - start) / 1e9);
      }
      outcomes.merge("sizes: " + outcome, 1, Integer::sum);
      io.vi4j.core.io.Directories.deleteRecursively(run);
    }
    System.out.println("hostile inputs, outcomes: " + outcomes);
    assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
  }

  /** @return the outcome's name; fails the test on an outcome outside the contract */
  private static String run(ConfigLoader loader, PluginRegistry registry, String text, String name, Path run,
      Map<String, Long> changed, String what) throws IOException {
    try {
      ExperimentSpec spec;
      try {
        spec = loader.parse(text, name);
      } catch (ConfigException e) {
        assertThat(e.getMessage()).as(what).startsWith(name);
        assertNamesASetting(e.getMessage(), changed, what);
        if (VERBOSE) {
          System.out.println("  " + e.getMessage());
        }
        return "ConfigException";
      }
      try (RunDirectory claimed = RunDirectory.create(run)) {
        new Experiment(spec, registry, run.getParent()).run(claimed, loader, new TrainingListener() {});
      } catch (IllegalArgumentException | IOException e) {
        assertNamesASetting(e.getMessage(), changed, what);
        assertThat(run.resolve(RunDirectory.CONFIG)).as("%s: refused (%s), yet wrote config.yaml", what,
            e.getMessage()).doesNotExist();
        if (VERBOSE) {
          System.out.println("  " + e.getMessage());
        }
        return e.getClass().getSimpleName();
      }
      assertThat(run.resolve(RunDirectory.SUMMARY)).as(what).isRegularFile();
      return "trained";
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      throw new AssertionError(what + " ended in " + e, e);
    }
  }

  /**
   * Fails unless {@code message} names one of the changed settings: its path, its last name, or (for a
   * network's widths) the component it configures.
   */
  private static void assertNamesASetting(String message, Map<String, Long> changed, String what) {
    List<String> names = new ArrayList<>();
    for (String setting : changed.keySet()) {
      names.add(setting);
      names.add(setting.substring(setting.lastIndexOf('.') + 1));
      if (setting.endsWith("hidden")) { // a network's widths: model.encoder ('gaussian-mlp'): layer 1 ...
        names.add(setting.substring(0, setting.lastIndexOf('.')) + " ('");
      }
    }
    assertThat(names).as("%s: the message names none of the changed settings: %s", what, message)
        .anyMatch(message::contains);
  }

  /** Sets {@code path} (a widths list: one of its entries, or the whole list) to {@code value}. */
  private static void set(ObjectNode tree, String path, long value, SplittableRandom random) {
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    for (int k = 0; k < parts.length - 1; k++) {
      JsonNode child = node.get(parts[k]);
      node = child instanceof ObjectNode object ? object : node.putObject(parts[k]);
    }
    String field = parts[parts.length - 1];
    if (field.endsWith("hidden")) {
      // The width goes next to the data's 784 values (the encoder's and the baseline's first layer, the
      // decoder's last), so that a huge width is refused on any machine; beside a width of 4, 10^9 would
      // be 80 GB of weights, which a large machine accepts.
      ArrayNode widths = node.putArray(field);
      boolean first = !path.equals("model.decoder.hidden");
      if (random.nextBoolean()) {
        widths.add(value);
      } else if (first) {
        widths.add(value).add(4);
      } else {
        widths.add(4).add(value);
      }
    } else {
      node.put(field, value);
    }
  }
}
