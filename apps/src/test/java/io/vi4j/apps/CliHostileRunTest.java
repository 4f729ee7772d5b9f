package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end on damaged run directories: a trained run's {@code config.yaml},
 * {@code parameters.bin} or checkpoint files are corrupted (bytes flipped, truncated, emptied, padded),
 * and {@code evaluate}, {@code sample} or {@code train --resume} is run on it. Every case must end in
 * success (exit 0) or in a one-line user error (exit 2) that names the damaged file or the run; never an
 * internal error (exit 1) or a stack trace. Cases: {@code -Dvi4j.fuzz.cli.cases} (default 24).
 */
class CliHostileRunTest {
  private static final int CASES = Integer.getInteger("vi4j.fuzz.cli.cases", 24);

  @Test
  void damagedRunDirectoriesEndInSuccessOrAUserErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("small.yaml");
    Files.writeString(config, """
        name: hostile-run
        seed: 2
        data: {type: sprites, train_size: 300, test_size: 60}
        model:
          latent_dim: 2
          prior: {type: standard-normal}
          encoder: {type: gaussian-mlp, hidden: [16]}
          decoder: {type: bernoulli-mlp, hidden: [16]}
        estimator: {type: score-function, samples: 2, control_variate: moving-average}
        training: {epochs: 2, batch_size: 50, checkpoint: {every_steps: 4, keep: 3}}
        evaluation: {iwae_k: 5, iwae_items: 20}
        """);
    Path pristine = dir.resolve("pristine");
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", pristine.toString(), "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();

    SplittableRandom random = new SplittableRandom(Long.getLong("vi4j.fuzz.seed", 7));
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      Path run = dir.resolve("case-" + i);
      copy(pristine, run);
      String command = List.of("evaluate", "sample", "resume").get(random.nextInt(3));
      List<Path> targets = new ArrayList<>();
      if (command.equals("resume")) {
        Files.delete(run.resolve("summary.json")); // as if killed
        targets.addAll(files(run.resolve("checkpoints")));
      } else {
        targets.add(run.resolve("config.yaml"));
        targets.add(run.resolve("parameters.bin"));
      }
      Path damaged = targets.get(random.nextInt(targets.size()));
      String how = damage(damaged, random);
      if (command.equals("resume") && random.nextInt(4) == 0) {
        // Every checkpoint damaged: the resume has nothing to fall back on.
        for (Path t : targets) {
          if (!t.equals(damaged) && t.getFileName().toString().equals(damaged.getFileName().toString())) {
            damage(t, random);
          }
        }
        how += ", in every checkpoint";
      }
      String[] args = switch (command) {
        case "evaluate" -> new String[] {"evaluate", run.toString()};
        case "sample" -> new String[] {"sample", run.toString(), "--count", "4"};
        default -> new String[] {"train", "--resume", run.toString(), "--no-progress"};
      };
      CliTest.Result result = CliTest.execute(args);
      String what = "case " + i + ": " + command + " with " + run.relativize(damaged) + " " + how + " -> exit "
          + result.status() + "\n" + result.err();
      assertThat(result.status()).as(what).isIn(0, Vi4jCommand.BAD_INPUT);
      assertThat(result.err()).as(what).doesNotContain("internal error").doesNotContain("\tat ");
      if (result.status() == Vi4jCommand.BAD_INPUT) {
        assertThat(result.err()).as(what).startsWith("vi4j: error: ").contains(run.toString());
      }
      outcomes.merge(command + (result.status() == 0 ? " succeeded" : " refused"), 1, Integer::sum);
    }
    System.out.println("CLI on damaged run directories, outcomes: " + outcomes);
    assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
  }

  private static String damage(Path file, SplittableRandom random) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    int kind = random.nextInt(4);
    switch (kind) {
      case 0 -> {
        int flips = 1 + random.nextInt(4);
        for (int k = 0; k < flips && bytes.length > 0; k++) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        Files.write(file, bytes);
        return "with " + flips + " flipped bits";
      }
      case 1 -> {
        int keep = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        Files.write(file, java.util.Arrays.copyOf(bytes, keep));
        return "truncated to " + keep + " bytes";
      }
      case 2 -> {
        Files.write(file, new byte[0]);
        return "emptied";
      }
      default -> {
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
        Files.write(file, padded);
        return "padded";
      }
    }
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
