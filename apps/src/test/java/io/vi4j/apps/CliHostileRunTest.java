package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

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
        // As if killed: a killed run's run.json says training, and it has no summary.json.
        setState(run, "training");
        Files.delete(run.resolve("summary.json"));
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

  /** The kinds of run-directory damage beyond a file's bytes. */
  private static final List<String> STATE_DAMAGE = List.of(
      "none", "run.json removed", "run.json says training", "run.json says finished", "run.json says diverged",
      "run.json garbage", "run.json of another version", "parameters.bin of a wider model",
      "parameters.bin of a deeper model", "parameters.bin with NaN", "data file replaced", "data files moved",
      "data directory moved whole", "stale temporary files");

  private static final List<String> GARBAGE_RECORDS = List.of(
      "", "{}", "null", "[]", "{\"format\": \"vi4j-run\"", "\u0000\u0001binary", "{\"format\": \"other\", \"version\": 1,"
          + " \"state\": \"finished\"}", "{\"format\": \"vi4j-run\", \"version\": 1, \"state\": \"paused\"}",
      "{\"format\": \"vi4j-run\", \"version\": 1, \"state\": null}", "{\"format\": \"vi4j-run\", \"version\": \"x\","
          + " \"state\": \"finished\"}", "x".repeat(2 << 20));

  /**
   * Run directories damaged beyond their files' bytes — {@code run.json} removed, garbage, of another
   * version, or saying training, finished or diverged; {@code parameters.bin} of a wider or one layer
   * deeper model, or holding NaN; the data a run was trained on replaced or moved; stale temporary files
   * of a killed writer — under {@code evaluate}, {@code sample}, {@code score}, {@code train --resume} and
   * {@code train --force}. The run was trained from a config in a subfolder with relative CSV paths, and
   * is read from another working directory. Every case ends in exit 0 or in exit 2 with one line naming
   * the run or the file; {@code evaluate} and {@code score} exit 0 only for a finished run (or one without
   * run.json that has summary.json) with its own parameters and data, and always for an intact one
   * ({@code sample} checks the same, then refuses an intact run's CSV items as no images); a user's file in
   * the run directory survives every command, {@code train --force} included.
   */
  @Test
  void runDirectoryStateDamageEndsInExitZeroOnlyForAFinishedRunWithItsOwnParametersAndData(@TempDir Path dir)
      throws Exception {
    Path project = dir.resolve("project");
    Path config = writeCsvProject(project);
    Path pristine = dir.resolve("pristine");
    train(config, pristine);
    Path wider = dir.resolve("wider");
    train(config, wider, "--set", "model.encoder.hidden=[8]", "--set", "model.decoder.hidden=[8]");
    Path deeper = dir.resolve("deeper"); // the decoder one layer deeper, its last layer of the same shape
    train(config, deeper, "--set", "model.decoder.hidden=[16, 16]");
    Path nan = dir.resolve("nan-parameters.bin");
    writePoisoned(pristine, project.resolve("configs"), nan);

    SplittableRandom random = new SplittableRandom(Long.getLong("vi4j.fuzz.seed", 11));
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      Path run = dir.resolve("state-case-" + i);
      copy(pristine, run);
      Path userFile = run.resolve("my-notes.txt");
      Files.writeString(userFile, "mine " + i);
      String command = List.of("evaluate", "sample", "score", "resume", "force").get(random.nextInt(5));
      // Uniform over the kinds, but a third of the resumes get a resumable run, a fifth of the rest an intact one.
      String damage = command.equals("resume") && random.nextInt(3) == 0 ? "run.json says training"
          : !command.equals("resume") && random.nextInt(5) == 0 ? "none"
          : STATE_DAMAGE.get(random.nextInt(STATE_DAMAGE.size()));
      Path caseProject = null;
      Path stale = run.resolve(".parameters.bin." + Long.toHexString(random.nextLong() & 0xfffffff) + ".tmp");
      boolean oldStale = false;
      String state = "finished";
      boolean recordMissing = false;
      boolean recordBroken = false;
      boolean ownParameters = true;
      boolean ownData = true;
      switch (damage) {
        case "run.json removed" -> {
          Files.delete(run.resolve("run.json"));
          recordMissing = true;
        }
        case "run.json says training" -> {
          setState(run, "training");
          Files.delete(run.resolve("summary.json")); // as if killed
          state = "training";
        }
        case "run.json says finished" -> setState(run, "finished");
        case "run.json says diverged" -> {
          setState(run, "diverged");
          state = "diverged";
        }
        case "run.json garbage" -> {
          String garbage = GARBAGE_RECORDS.get(random.nextInt(GARBAGE_RECORDS.size()));
          Files.writeString(run.resolve("run.json"), garbage);
          damage += " (" + (garbage.length() > 40 ? garbage.length() + " characters" : garbage) + ")";
          recordBroken = true;
        }
        case "run.json of another version" -> {
          int version = List.of(0, 2, -1, Integer.MAX_VALUE).get(random.nextInt(4));
          editRecord(run, record -> record.put("version", version));
          damage += " (" + version + ")";
          recordBroken = true;
        }
        case "parameters.bin of a wider model" -> {
          Files.copy(wider.resolve("parameters.bin"), run.resolve("parameters.bin"), REPLACE_EXISTING);
          ownParameters = false;
        }
        case "parameters.bin of a deeper model" -> {
          Files.copy(deeper.resolve("parameters.bin"), run.resolve("parameters.bin"), REPLACE_EXISTING);
          ownParameters = false;
        }
        case "parameters.bin with NaN" -> {
          Files.copy(nan, run.resolve("parameters.bin"), REPLACE_EXISTING);
          ownParameters = false;
        }
        case "data file replaced", "data files moved", "data directory moved whole" -> {
          // The run's own copy of the project, so that the shared data stay intact: run.json is pointed at it.
          caseProject = dir.resolve("state-case-" + i + "-project");
          copy(project, caseProject);
          Path configs = caseProject.resolve("configs");
          editRecord(run, record -> record.put("data_directory", configs.toAbsolutePath().toString()));
          Path data = caseProject.resolve("data");
          if (damage.equals("data file replaced")) {
            String name = random.nextBoolean() ? "train.csv" : "test.csv";
            List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve(name)));
            int row = 1 + random.nextInt(lines.size() - 1);
            lines.set(row, lines.get(row).replaceFirst("^[^,]*", "0.5"));
            if (random.nextBoolean()) {
              lines.remove(lines.size() - 1);
            }
            Files.write(data.resolve(name), lines);
            damage += " (" + name + ")";
            ownData = false;
          } else if (damage.equals("data files moved")) {
            Files.move(data.resolve("test.csv"), data.resolve("test-moved.csv"));
            ownData = false;
          } else {
            Files.move(data, caseProject.resolve("data-moved"));
            ownData = false;
          }
        }
        case "stale temporary files" -> {
          Files.writeString(stale, "half a file");
          oldStale = random.nextBoolean();
          if (oldStale) {
            Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 3_600_000));
            damage += " (an hour old)";
          }
        }
        default -> { }
      }
      String[] args = switch (command) {
        case "evaluate" -> new String[] {"evaluate", run.toString()};
        case "sample" -> new String[] {"sample", run.toString(), "--count", "4"};
        case "score" -> new String[] {"score", run.toString(), "--k", "3", "--train-items", "10"};
        case "resume" -> new String[] {"train", "--resume", run.toString(), "--no-progress"};
        default -> new String[] {"train", config.toString(), "--out", run.toString(), "--force", "--no-progress"};
      };
      CliTest.Result result = CliTest.execute(args);
      String what = "case " + i + ": " + command + " on a run with " + damage + " -> exit " + result.status() + "\n"
          + result.err();
      assertThat(result.status()).as(what).isIn(0, Vi4jCommand.BAD_INPUT);
      assertThat(result.err()).as(what).doesNotContain("internal error").doesNotContain("\tat ");
      if (result.status() == Vi4jCommand.BAD_INPUT) {
        assertThat(result.err()).as(what).startsWith("vi4j: error: ");
        assertThat(result.err().strip().lines().count()).as(what).isEqualTo(1);
        // A run without run.json (as from a vi4j before 2026-12) resolves its relative data paths against the
        // working directory, where they are not: then the data file is named.
        boolean named = result.err().contains(run.toString())
            || caseProject != null && result.err().contains(caseProject.toString())
            || recordMissing && result.err().matches("(?s)vi4j: error: \\S+/data/t(rain|est)\\.csv: file not found.*");
        assertThat(named).as("names neither the run nor its data: %s", what).isTrue();
      }
      assertThat(userFile).as(what).hasContent("mine " + i);
      boolean ok = result.status() == 0;
      boolean intact = !recordMissing && !recordBroken && state.equals("finished") && ownParameters && ownData;
      switch (command) {
        case "evaluate", "sample", "score" -> {
          if (ok) {
            assertThat(!recordBroken && ownParameters && ownData && (state.equals("finished") || recordMissing))
                .as("figures of a run that is not finished or not its own: %s", what).isTrue();
          }
          if (command.equals("sample")) {
            // CSV items are no images: an intact run gets that far, and no further.
            assertThat(ok).as(what).isFalse();
            if (intact) {
              assertThat(result.err()).as(what).contains("are not images");
            }
          } else {
            assertThat(ok || !intact).as("an intact run refused: %s", what).isTrue();
          }
          if (oldStale) {
            assertThat(stale).as("a stale temporary file an hour old is removed on opening: %s", what).doesNotExist();
          }
        }
        case "resume" -> {
          boolean resumable = state.equals("training") && !recordBroken && !recordMissing;
          assertThat(ok).as(what).isEqualTo(resumable);
        }
        default -> {
          assertThat(ok).as(what).isEqualTo(!recordBroken && !recordMissing);
          if (!ok) { // nothing replaced
            assertThat(run.resolve("parameters.bin")).as(what).exists();
            assertThat(run.resolve("config.yaml")).as(what).exists();
          }
        }
      }
      if (ok && (command.equals("resume") || command.equals("force"))) {
        assertThat(Files.readString(run.resolve("run.json"))).as(what).contains("\"finished\"");
        assertThat(stale).as("stale temporary files are removed when a run is claimed: %s", what).doesNotExist();
      }
      outcomes.merge(command + (ok ? " succeeded" : " refused"), 1, Integer::sum);
    }
    System.out.println("CLI on damaged run state, outcomes: " + outcomes);
    assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
  }

  /** Writes project/data/{train,test}.csv (16 values in [0, 1] with a header) and project/configs/small.yaml. */
  private static Path writeCsvProject(Path project) throws Exception {
    Path data = Files.createDirectories(project.resolve("data"));
    SplittableRandom random = new SplittableRandom(5);
    for (String split : List.of("train", "test")) {
      StringBuilder csv = new StringBuilder();
      for (int c = 0; c < 16; c++) {
        csv.append(c == 0 ? "" : ",").append("v").append(c);
      }
      csv.append('\n');
      for (int r = 0, rows = split.equals("train") ? 120 : 40; r < rows; r++) {
        for (int c = 0; c < 16; c++) {
          csv.append(c == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.3f", random.nextDouble()));
        }
        csv.append('\n');
      }
      Files.writeString(data.resolve(split + ".csv"), csv);
    }
    Path config = Files.createDirectories(project.resolve("configs")).resolve("small.yaml");
    Files.writeString(config, """
        name: hostile-state
        seed: 3
        data: {type: csv, train: ../data/train.csv, test: ../data/test.csv}
        model:
          latent_dim: 2
          prior: {type: standard-normal}
          encoder: {type: gaussian-mlp, hidden: [16]}
          decoder: {type: bernoulli-mlp, hidden: [16]}
        estimator: {type: reparameterization}
        training: {epochs: 2, batch_size: 40, checkpoint: {every_steps: 2, keep: 2}}
        evaluation: {iwae_k: 5, iwae_items: 10}
        """);
    return config;
  }

  private static void train(Path config, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", config.toString(), "--out", out.toString(), "--no-progress"));
    args.addAll(List.of(more));
    CliTest.Result trained = CliTest.execute(args.toArray(String[]::new));
    assertThat(trained.status()).as(trained.err()).isZero();
  }

  /** Writes the run's parameters with NaN and infinities in one array, checksummed like any parameter file. */
  private static void writePoisoned(Path run, Path configDirectory, Path target) throws Exception {
    io.vi4j.core.plugin.PluginRegistry registry = Runtime.registry();
    io.vi4j.core.config.ExperimentSpec spec = new io.vi4j.core.config.ConfigLoader(registry)
        .load(run.resolve("config.yaml"), List.of());
    try (io.vi4j.core.model.AssembledModel model =
        new io.vi4j.core.run.Experiment(spec, registry, configDirectory).buildModel(new io.vi4j.api.data.Dataset("probe", new float[16], 1, 16, null, null))) {
      model.load(run.resolve("parameters.bin"));
      ai.djl.ndarray.NDArray array = model.model().parameters().get(0).getValue().getArray();
      float[] values = array.toFloatArray();
      values[0] = Float.NaN;
      values[values.length - 1] = Float.POSITIVE_INFINITY;
      array.set(java.nio.FloatBuffer.wrap(values));
      model.save(target);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** Rewrites the run's run.json with {@code edit} applied. */
  private static void editRecord(Path run, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit)
      throws Exception {
    var record = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(run.resolve("run.json").toFile());
    edit.accept(record);
    Files.write(run.resolve("run.json"), JSON.writeValueAsBytes(record));
  }

  /** Sets the state run.json records (a diverged run gets the reason too). */
  private static void setState(Path run, String state) throws Exception {
    editRecord(run, record -> {
      record.put("state", state);
      if (state.equals("diverged")) {
        record.put("divergence", "epoch 1, step 2: the loss is NaN");
      } else {
        record.remove("divergence");
      }
    });
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
