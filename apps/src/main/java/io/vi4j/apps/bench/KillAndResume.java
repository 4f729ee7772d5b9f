package io.vi4j.apps.bench;

import io.vi4j.core.io.Directories;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The exact-resume experiment: trains a small VAE in a child JVM ({@code vi4j train}), kills it with
 * SIGKILL at random steps, continues it each time with {@code vi4j train --resume}, and checks that the
 * final {@code parameters.bin} is byte-identical to that of a run never interrupted (and the metrics,
 * timings aside, the same). Each round alternates between a score-function estimator with the learned
 * input-dependent baseline (the estimator with the most running state) and reparameterization under
 * dynamic binarization (noise in the data as well as in the latents).
 *
 * <p>Run: {@code bash apps/bench/kill-resume.sh [ROUNDS] [KILLS]}; the suite runs one round.
 */
public final class KillAndResume {
  private static final int EPOCHS = 3;
  private static final int TRAIN_ITEMS = 1200;
  private static final int BATCH = 50;
  private static final int STEPS = EPOCHS * (TRAIN_ITEMS / BATCH);
  private static final int CHECKPOINT_EVERY = 4;

  /** The outcome of one round. */
  public record Round(int round, String estimator, List<Integer> killedAtCheckpoint, int resumes, boolean identical,
      String detail) {}

  private final Path work;
  private final PrintStream log;

  /**
   * @param work a scratch directory (configs, run directories and logs go there)
   * @param log hears a line per kill and per round
   */
  public KillAndResume(Path work, PrintStream log) {
    this.work = work;
    this.log = log;
  }

  /**
   * Runs {@code rounds} rounds of {@code kills} kills each.
   *
   * @param seed chooses the steps to kill at
   */
  public List<Round> run(int rounds, int kills, long seed) throws IOException, InterruptedException {
    Files.createDirectories(work);
    List<Round> results = new ArrayList<>();
    byte[][] reference = new byte[2][];
    List<String>[] referenceMetrics = new List[2];
    for (int r = 0; r < rounds; r++) {
      int variant = r % 2;
      Path config = writeConfig(variant);
      if (reference[variant] == null) {
        Path run = work.resolve("reference-" + variant);
        Directories.deleteRecursively(run);
        Process p = start(List.of("train", config.toString(), "--out", run.toString(), "--no-progress"),
            work.resolve("reference-" + variant + ".log"));
        finish(p, "the uninterrupted reference run", work.resolve("reference-" + variant + ".log"));
        reference[variant] = Files.readAllBytes(run.resolve("parameters.bin"));
        referenceMetrics[variant] = metricsWithoutTimings(run);
      }
      results.add(round(r, variant, config, kills, new SplittableRandom(seed + r), reference[variant],
          referenceMetrics[variant]));
    }
    long identical = results.stream().filter(Round::identical).count();
    log.printf("%d/%d identical%n", identical, results.size());
    return results;
  }

  private Round round(int r, int variant, Path config, int kills, SplittableRandom random, byte[] reference,
      List<String> referenceMetrics) throws IOException, InterruptedException {
    Path run = work.resolve("round-" + r);
    Directories.deleteRecursively(run);
    int[] targets = random.ints(kills, 1, STEPS - CHECKPOINT_EVERY).sorted().toArray();
    List<Integer> killedAt = new ArrayList<>();
    Path logFile = work.resolve("round-" + r + ".log");
    List<String> command = List.of("train", config.toString(), "--out", run.toString(), "--no-progress");
    int resumes = 0;
    for (int target : targets) {
      Process p = start(command, logFile);
      int seen = waitForCheckpoint(p, run, target);
      // A random extra delay, so that the kill lands anywhere in a step or in a checkpoint's write.
      Thread.sleep(random.nextInt(0, 40));
      if (!p.isAlive()) {
        throw new IllegalStateException("round " + r + ": the run ended before it could be killed; see " + logFile);
      }
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
      p.waitFor(30, TimeUnit.SECONDS);
      killedAt.add(seen);
      log.printf("round %d: SIGKILL after checkpoint of step %d (target %d)%n", r, seen, target);
      command = List.of("train", "--resume", run.toString(), "--no-progress");
      resumes++;
    }
    finish(start(command, logFile), "round " + r + "'s last resume", logFile);
    byte[] parameters = Files.readAllBytes(run.resolve("parameters.bin"));
    boolean sameParameters = Arrays.equals(parameters, reference);
    boolean sameMetrics = metricsWithoutTimings(run).equals(referenceMetrics);
    String detail = (sameParameters ? "parameters identical" : "PARAMETERS DIFFER")
        + (sameMetrics ? ", metrics identical" : ", METRICS DIFFER");
    Round result = new Round(r, variant == 0 ? "score-function/input-dependent" : "reparameterization",
        killedAt, resumes, sameParameters && sameMetrics, detail);
    log.printf("round %d (%s): killed after steps %s, %d resumes: %s%n", r, result.estimator(), killedAt, resumes,
        detail);
    return result;
  }

  /** Waits until the run's newest checkpoint is at least {@code target}; returns the step seen. */
  private static int waitForCheckpoint(Process p, Path run, int target) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      int newest = newestCheckpoint(run);
      if (newest >= target) {
        return newest;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("the training process exited (status " + p.exitValue()
            + ") before step " + target);
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("no checkpoint of step " + target + " within 5 minutes");
  }

  private static int newestCheckpoint(Path run) throws IOException {
    Path dir = run.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return -1;
    }
    int newest = -1;
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path e : entries.toList()) {
        String name = e.getFileName().toString();
        if (name.matches("step-\\d{12}")) {
          newest = Math.max(newest, Integer.parseInt(name.substring(5)));
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      return newest; // pruned while listing
    }
    return newest;
  }

  private Process start(List<String> arguments, Path logFile) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx768m",
        "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"),
        "io.vi4j.apps.Main"));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().put("OMP_NUM_THREADS", "1");
    return builder.start();
  }

  private static void finish(Process p, String what, Path logFile) throws InterruptedException, IOException {
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(what + " did not finish within 10 minutes; see " + logFile);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(what + " exited with status " + p.exitValue() + ":\n"
          + Files.readString(logFile, StandardCharsets.UTF_8));
    }
  }

  private static List<String> metricsWithoutTimings(Path run) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      lines.add(line.replaceAll(",\"(train_seconds|train_samples_per_second|eval_seconds)\":[^,}]*", ""));
    }
    return lines;
  }

  private Path writeConfig(int variant) throws IOException {
    String estimator = variant == 0
        ? "{type: score-function, samples: 1, control_variate: input-dependent}"
        : "{type: reparameterization, samples: 1}";
    String binarization = variant == 0 ? "" : ", binarize: dynamic";
    String yaml = "name: kill-and-resume-" + variant + "\n"
        + "seed: 11\n"
        + "data: {type: sprites, train_size: " + TRAIN_ITEMS + ", test_size: 100" + binarization + "}\n"
        + "model:\n"
        + "  latent_dim: 2\n"
        + "  prior: {type: standard-normal}\n"
        + "  encoder: {type: gaussian-mlp, hidden: [32]}\n"
        + "  decoder: {type: bernoulli-mlp, hidden: [32]}\n"
        + "estimator: " + estimator + "\n"
        + "training: {epochs: " + EPOCHS + ", batch_size: " + BATCH + ", checkpoint: {every_steps: "
        + CHECKPOINT_EVERY + ", keep: 2}}\n"
        + "evaluation: {iwae_k: 0}\n";
    Path file = work.resolve("kill-and-resume-" + variant + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }


  /** {@code KillAndResume [ROUNDS [KILLS [SEED [WORK_DIR]]]]}: exits 1 unless every round is identical. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int kills = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
    Path work = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("vi4j-kill-resume");
    System.out.printf("kill-and-resume: %d rounds of %d kills, seed %d, in %s%n", rounds, kills, seed, work);
    List<Round> results = new KillAndResume(work, System.out).run(rounds, kills, seed);
    System.exit(results.stream().allMatch(Round::identical) ? 0 : 1);
  }
}
