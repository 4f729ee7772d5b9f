package io.vi4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.core.data.CoreDataPlugin;
import io.vi4j.core.io.Printable;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.testing.TestPlugins;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * Config files mutated as text and as bytes (YAML syntax, anchors, tags, special floats, control and bidi
 * characters, invalid UTF-8, huge numbers, deep nesting) and hostile {@code --set} overrides: every case
 * must end in success or in a {@link ConfigException} whose message is one printable line naming the
 * file or the override. {@code -Dvi4j.fuzz.cases} sets the number of cases (default 100).
 */
class HostileConfigTextTest {
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
      training: {epochs: 2, batch_size: 16, learning_rate: 0.001, beta1: 0.9}
      evaluation: {iwae_k: 10, iwae_items: 5}
      compare:
        seeds: [1, 2]
        variants:
          a: {}
          b: {training: {epochs: 1}}
      """;
  private static final String[] SNIPPETS = {
    "&a ", "*a", "&a x", "<<: *a\n", "!!str ", "!!binary ", "!foo ", "!!float ", ".nan", ".inf", "-.inf", "1.5",
    "1e3", "0x1F", "0o17", "1_000", "\"3\"", "'x'", "''", "~", "null", "yes", "no", "true", "[", "]", "{", "}",
    ",", ":", ": ", "- ", "? ", "#", "---\n", "...\n", "%YAML 1.2\n---\n", "%TAG ! tag:x,2000:\n---\n", "|\n  x\n",
    ">-\n  y\n", "\t", "\n", "\r\n", "\r", " ", "  ", "\u0000", "\u001b[31m", "\u0007", "\u0085", "\u2028",
    "\u202e", "\u2066", "\ufeff", "\ud800", "\udfff", "😀", "\"\\e[2J\"", "\"\\u0000\"", "\"\\x85\"",
    "\"\\ud800\"", "1" + "0".repeat(1200), "9".repeat(30), "-9223372036854775809", "[[[[[[[[[[[[",
    "{a: {a: {a: {a: {a:", "x".repeat(3000), "é", "../../x", "type: ", "type: wide-prior\n", "name: ",
  };
  private static final String[] OVERRIDES = {
    "training.epochs=", "training.epochs=1.5", "training.epochs=.nan", "training.learning_rate=.inf",
    "name=../x", "name=&a x", "training.epochs=*a", ".=1", "a..b=1", "=1", "x", "training=", "seed.x=1",
    "model.prior={type: wide-prior, width: !!str 3}", "training.epochs=[", "training.epochs={", "compare=null",
    "training.epochs=\u001b[31m", "name=\u202eevil", "evaluation.iwae_k=1e400", "seed=99999999999999999999",
    "model.encoder.depth=#", "training.epochs=  ", "exclude_train_labels=[null]", "compare.seeds=[null]",
  };

  private final ConfigLoader loader =
      new ConfigLoader(PluginRegistry.of(List.of(new TestPlugins.Alpha(), new CoreDataPlugin())));
  private final Map<String, Integer> outcomes = new TreeMap<>();

  @Test
  void mutatedTextBytesAndOverridesEndInSuccessOrAOneLineConfigError(@TempDir Path dir) throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < CASES; i++) {
      String text = BASE;
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        text = mutate(text, random);
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (random.nextInt(6) == 0) {
        bytes = corrupt(bytes, random);
      }
      Path file = dir.resolve("case-" + i + ".yaml");
      Files.write(file, bytes);
      List<String> overrides = new ArrayList<>();
      if (random.nextInt(4) == 0) {
        overrides.add(OVERRIDES[random.nextInt(OVERRIDES.length)]);
      }
      try {
        loader.load(file, overrides);
        outcomes.merge("accepted", 1, Integer::sum);
      } catch (ConfigException e) {
        String message = e.getMessage();
        assertThat(message).as("case %d: %s", i, text)
            .satisfiesAnyOf(m -> assertThat(m).startsWith(file.toString()), m -> assertThat(m).startsWith("--set "));
        assertThat(message.length()).as("case %d", i).isLessThanOrEqualTo(Printable.LINE_LIMIT + 30);
        assertThat(message.chars().filter(c -> Printable.needsEscape((char) c)).findFirst())
            .as("case %d: %s", i, message).isEmpty();
        assertThat(surrogatePairsOk(message)).as("case %d: %s", i, message).isTrue();
        outcomes.merge("ConfigException", 1, Integer::sum);
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        throw new AssertionError("case " + i + " ended in " + e + " for overrides " + overrides + " and:\n" + text, e);
      }
    }
    System.out.println("hostile config text, outcomes: " + outcomes);
  }

  private static boolean surrogatePairsOk(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Inserts a snippet, deletes a range, replaces a character, or re-indents or repeats a line. */
  private static String mutate(String text, SplittableRandom random) {
    int at = random.nextInt(text.length() + 1);
    switch (random.nextInt(5)) {
      case 0, 1 -> {
        return text.substring(0, at) + SNIPPETS[random.nextInt(SNIPPETS.length)] + text.substring(at);
      }
      case 2 -> {
        int end = Math.min(text.length(), at + 1 + random.nextInt(12));
        return text.substring(0, Math.min(at, end)) + text.substring(end);
      }
      case 3 -> {
        if (at == text.length()) {
          return text;
        }
        int c = random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(0x3000);
        return text.substring(0, at) + (char) c + text.substring(at + 1);
      }
      default -> {
        String[] lines = text.split("\n", -1);
        int line = random.nextInt(lines.length);
        lines[line] = random.nextBoolean() ? " " + lines[line] : lines[line] + "\n" + lines[line];
        return String.join("\n", lines);
      }
    }
  }

  /** Overwrites or inserts a few random bytes: often not UTF-8 any more. */
  private static byte[] corrupt(byte[] bytes, SplittableRandom random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = random.nextInt(bytes.length + 1);
    out.write(bytes, 0, at);
    for (int k = 1 + random.nextInt(4); k > 0; k--) {
      out.write(0x80 + random.nextInt(0x80));
    }
    if (random.nextBoolean() && at < bytes.length) {
      at++;
    }
    out.write(bytes, at, bytes.length - at);
    return out.toByteArray();
  }
}
