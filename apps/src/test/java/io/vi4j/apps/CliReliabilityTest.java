package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.vi4j.core.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's cases end to end through the command line: run directories that say whether they finished,
 * loaded models that are checked, sizes checked before anything is allocated, and a signal that leaves a
 * run to continue. Every failure is exit 2 with one line naming the file or the setting.
 */
class CliReliabilityTest {
  private static final String SMALL = """
      name: reliable
      seed: 3
      data: {type: sprites, train_size: 300, test_size: 60}
      model:
        latent_dim: 2
        prior: {type: standard-normal}
        encoder: {type: gaussian-mlp, hidden: [16]}
        decoder: {type: bernoulli-mlp, hidden: [16]}
      estimator: {type: reparameterization}
      training: {epochs: 2, batch_size: 50, checkpoint: {every_steps: 3, keep: 2}}
      evaluation: {iwae_k: 5, iwae_items: 20}
      """;

  private static Path config(Path dir, String text) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("config.yaml"), text);
  }

  private static CliTest.Result train(Path config, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", config.toString(), "--out", out.toString(), "--no-progress"));
    args.addAll(List.of(more));
    return CliTest.execute(args.toArray(String[]::new));
  }

  private static void assertOneLineError(CliTest.Result result, String... fragments) {
    assertThat(result.status()).as(result.err()).isEqualTo(2);
    List<String> lines = result.err().lines().filter(l -> l.startsWith("vi4j: error:")).toList();
    assertThat(lines).as(result.err()).hasSize(1);
    for (String fragment : fragments) {
      assertThat(lines.get(0)).contains(fragment);
    }
    assertThat(result.err()).doesNotContain("\tat ").doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f]");
  }

  @Test
  void aReplacedRunKilledMidwayIsNeverEvaluatedAndContinues(@TempDir Path dir) throws Exception {
    Path config = config(dir, SMALL);
    Path run = dir.resolve("run");
    assertThat(train(config, run).status()).isZero();
    Files.writeString(run.resolve("notes.txt"), "mine");
    ChildVi4j replacing = child(dir, "train", config.toString(), "--out", run.toString(), "--force", "--no-progress",
        "--set", "training.epochs=400", "--set", "training.checkpoint.every_steps=2");
    // run.json says "training" before the old outputs go (so a kill in between is never read as the old
    // run); wait until they went and the new run writes its metrics
    await(replacing, () -> Files.readString(run.resolve(RunDirectory.RECORD)).contains("training")
        && !Files.exists(run.resolve(RunDirectory.SUMMARY)) && Files.exists(run.resolve(RunDirectory.METRICS)));
    replacing.process().destroyForcibly().waitFor(1, TimeUnit.MINUTES); // SIGKILL: no chance to clean up

    assertThat(run.resolve(RunDirectory.SUMMARY)).doesNotExist();
    assertThat(run.resolve("samples.png")).doesNotExist();
    assertThat(run.resolve("notes.txt")).hasContent("mine");
    assertOneLineError(CliTest.execute("evaluate", run.toString()), run + ": the run has not finished");
    assertOneLineError(CliTest.execute("sample", run.toString()), "has not finished");
    CliTest.Result resumed = CliTest.execute("train", "--resume", run.toString(), "--no-progress");
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(Files.readString(run.resolve(RunDirectory.RECORD))).contains("\"state\" : \"finished\"");
    assertThat(Files.readString(run.resolve(RunDirectory.CONFIG))).contains("epochs: 400");
  }

  @Test
  void sigtermStopsAfterAStepWithACheckpointAndSaysHowToContinue(@TempDir Path dir) throws Exception {
    Path config = config(dir, SMALL);
    Path run = dir.resolve("run");
    ChildVi4j training = child(dir, "train", config.toString(), "--out", run.toString(), "--no-progress",
        "--set", "training.epochs=400", "--set", "training.checkpoint.every_steps=1000");
    await(training, () -> Files.exists(run.resolve(RunDirectory.METRICS))); // in the training loop
    training.process().destroy(); // SIGTERM
    assertThat(training.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
    String output = training.output();
    assertThat(training.process().exitValue()).as(output).isEqualTo(128 + 15);
    assertThat(output).contains("vi4j: SIGTERM received: stopping after this step")
        .contains("vi4j: stopped by SIGTERM at epoch ")
        .contains("checkpoint written: " + run.resolve(RunDirectory.CHECKPOINTS))
        .contains("continue with: vi4j train --resume " + run);
    assertThat(Files.readString(run.resolve(RunDirectory.RECORD))).contains("\"state\" : \"training\"");
    ChildVi4j resumed = child(dir, "train", "--resume", run.toString(), "--no-progress");
    await(resumed, () -> resumed.output().contains("vi4j: resuming from " + run.resolve(RunDirectory.CHECKPOINTS)));
    resumed.process().destroyForcibly().waitFor(2, TimeUnit.MINUTES);
  }

  @Test
  void directoriesThatAreNotRunsAreRefusedAndKept(@TempDir Path dir) throws Exception {
    Path config = config(dir, SMALL);
    Path users = dir.resolve("users");
    Files.createDirectories(users.resolve("checkpoints"));
    Files.writeString(users.resolve("config.yaml"), "mine");
    Files.writeString(users.resolve("checkpoints/model.pt"), "weights");
    assertOneLineError(train(config, users, "--force"), users + " is not empty and holds no vi4j run");
    assertThat(users.resolve("checkpoints/model.pt")).hasContent("weights");
    CliTest.Result empty = CliTest.execute("train", config.toString(), "--out", "");
    assertThat(empty.status()).isEqualTo(2);
    assertThat(empty.err()).contains("--out '' names no directory");
    assertOneLineError(CliTest.execute("train", config(dir.resolve("bad"), SMALL.replace("name: reliable",
        "name: ../../../x")).toString()), "name: '../../../x' is not accepted");
  }

  @Test
  void dataPathsResolveWhereTheRunWasTrainedAndOtherDataAreRefused(@TempDir Path dir) throws Exception {
    Path sub = dir.resolve("configs/tabular");
    Files.createDirectories(sub.resolve("data"));
    StringBuilder train = new StringBuilder("a,b,c\n");
    StringBuilder test = new StringBuilder("a,b,c\n");
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    for (int i = 0; i < 120; i++) {
      double z = random.nextGaussian();
      (i < 100 ? train : test).append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f%n",
          clamp(0.5 + 0.2 * z), clamp(0.5 - 0.1 * z), clamp(0.4 + 0.05 * random.nextGaussian())));
    }
    Files.writeString(sub.resolve("data/train.csv"), train);
    Files.writeString(sub.resolve("data/test.csv"), test);
    Path config = config(sub, """
        name: table
        data: {type: csv, train: data/train.csv, test: data/test.csv}
        model:
          latent_dim: 1
          prior: {type: standard-normal}
          encoder: {type: gaussian-mlp, hidden: [8]}
          decoder: {type: gaussian-mlp, hidden: [8]}
        estimator: {type: reparameterization}
        training: {epochs: 2, batch_size: 20}
        evaluation: {iwae_k: 4}
        """);
    Path run = dir.resolve("run");
    CliTest.Result trained = train(config, run);
    assertThat(trained.status()).as(trained.err()).isZero();
    // The tests run in apps/, not in the config's folder: the run's record says where data paths resolve.
    CliTest.Result evaluated = CliTest.execute("evaluate", run.toString());
    assertThat(evaluated.status()).as(evaluated.err()).isZero();
    Files.writeString(sub.resolve("data/test.csv"), test.toString().replace("0.", "0.0"));
    assertOneLineError(CliTest.execute("evaluate", run.toString()),
        run + ": the data its config.yaml names are not the data it was trained on", "other values");
  }

  @Test
  void parametersThatAreNotTheTrainedModelAreRefused(@TempDir Path dir) throws Exception {
    Path config = config(dir, SMALL);
    Path run = dir.resolve("run");
    Path wide = dir.resolve("wide");
    assertThat(train(config, run).status()).isZero();
    assertThat(train(config, wide, "--set", "model.encoder.hidden=[32]", "--set", "model.decoder.hidden=[32]")
        .status()).isZero();
    Path parameters = run.resolve(RunDirectory.PARAMETERS);
    byte[] original = Files.readAllBytes(parameters);
    Files.copy(wide.resolve(RunDirectory.PARAMETERS), parameters, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertOneLineError(CliTest.execute("evaluate", run.toString()), parameters + ": parameter '",
        "has shape (32, 784) in the file, the model built from the config has (16, 784)");

    Files.write(parameters, original);
    try (Runtime.RestoredRun restored = Runtime.restore(run, List.of())) {
      NDArray weight = restored.model().model().parameters().get(0).getValue().getArray();
      try (NDManager scratch = weight.getManager().newSubManager()) {
        weight.set(new NDIndex("0, 0"), scratch.full(new Shape(), Float.NaN));
      }
      restored.model().save(parameters); // a valid CRC over a NaN
    }
    for (String command : new String[] {"evaluate", "sample", "score", "grad-variance"}) {
      assertOneLineError(CliTest.execute(command, run.toString()), parameters + ": parameter '",
          "holds 1 non-finite values");
    }
  }

  @Test
  void aDivergedRunSaysSoAndIsNeitherEvaluatedNorResumed(@TempDir Path dir) throws Exception {
    Path config = config(dir, SMALL);
    Path run = dir.resolve("run");
    assertOneLineError(train(config, run, "--set", "training.learning_rate=1e308"),
        "training diverged at epoch 1, step 1: its update made parameter '");
    assertThat(Files.readString(run.resolve(RunDirectory.RECORD))).contains("\"state\" : \"diverged\"");
    assertOneLineError(CliTest.execute("evaluate", run.toString()), run + ": training diverged (epoch 1, step 1");
    assertOneLineError(CliTest.execute("train", "--resume", run.toString()), "would diverge again");
  }

  @Test
  void sizesTooLargeForTheMachineNameTheSettingAndWriteNothing(@TempDir Path dir) throws Exception {
    Path config = config(dir, SMALL);
    Path run = dir.resolve("run");
    String[][] cases = {
      {"model.encoder.hidden=[2000000000]", "model.encoder ('gaussian-mlp'): layer 1 (784 → 2000000000)"},
      {"model.decoder.hidden=[5000000]", "model.decoder ('bernoulli-mlp'): layer 2 (5000000 → 784)"},
      {"model.latent_dim=2147483647", "model.latent_dim: 2147483647 is more than vi4j builds"},
      {"estimator.samples=100000000", "estimator.samples: a step holds 50 items × 100000000 samples"},
      {"data.exclude_train_labels=[0,1,2,3,4,5,6,7,8,9]", "exclude_train_labels"},
    };
    for (String[] c : cases) {
      CliTest.Result result = train(config, run, "--set", c[0].startsWith("data.exclude")
          ? c[0].substring("data.".length()) : c[0]);
      assertOneLineError(result, c[1]);
      assertThat(run).as(c[0]).doesNotExist();
    }
    Path trained = dir.resolve("trained");
    assertThat(train(config, trained).status()).isZero();
    assertOneLineError(CliTest.execute("sample", trained.toString(), "--count", "2147483647"), "--count must be");
    assertOneLineError(CliTest.execute("score", trained.toString(), "--k", "2000000000"), "--k must be");
  }

  @Test
  void temporaryFilesOfAKilledWriteDoNotOutliveTheNextTraining(@TempDir Path dir) throws Exception {
    Path config = config(dir, SMALL);
    Path run = dir.resolve("run");
    assertThat(train(config, run).status()).isZero();
    Path stale = Files.writeString(run.resolve(".parameters.bin.5eadbeef.tmp"), "half a file");
    assertThat(train(config, run, "--force").status()).isZero();
    assertThat(stale).doesNotExist();
  }

  /** A child JVM running vi4j, its standard output and error in {@code log}. */
  /** Starts {@code vi4j ARGS} in a child JVM (stdout and stderr together into a file), one engine thread. */
  private static ChildVi4j child(Path work, String... args) throws IOException {
    return ChildVi4j.start(work, List.of("-Xmx768m", "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1"), Map.of("OMP_NUM_THREADS", "1"), args);
  }

  private static double clamp(double v) {
    return Math.max(0.01, Math.min(0.99, v));
  }

  /** A condition on files that a child process writes. */
  private interface Condition {
    boolean holds() throws IOException;
  }

  /** Waits until {@code condition} holds, failing if the child ends first or 3 minutes pass. */
  private static void await(ChildVi4j child, Condition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (IOException e) {
        // a file not there yet, or being replaced
      }
      if (!child.process().isAlive()) {
        throw new AssertionError("the child ended before the condition held: " + child.output());
      }
      Thread.sleep(50);
    }
    child.process().destroyForcibly();
    throw new AssertionError("the condition did not hold within 3 minutes");
  }
}
