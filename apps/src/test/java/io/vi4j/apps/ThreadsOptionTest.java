package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --threads N} (and {@value Vi4jCommand#THREADS_VARIABLE}) set the engine's intra-op threads of the
 * process, as the engine itself reports them at the start of training; bad values are refused before
 * anything runs. The engine reads its thread count once, when it starts, so the working cases run in
 * child JVMs.
 */
class ThreadsOptionTest {
  private static final String TINY = """
      name: threads
      seed: 1
      data: {type: sprites, train_size: 100, test_size: 20}
      model:
        latent_dim: 2
        prior: {type: standard-normal}
        encoder: {type: gaussian-mlp, hidden: [8]}
        decoder: {type: bernoulli-mlp, hidden: [8]}
      estimator: {type: reparameterization}
      training: {epochs: 1, batch_size: 50}
      evaluation: {iwae_k: 2, iwae_items: 4}
      """;

  @Test
  void theEngineRunsWithTheThreadsAskedFor(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("config.yaml"), TINY);
    String one = child(dir, Map.of(), "train", config.toString(), "--out", dir.resolve("a").toString(),
        "--no-progress", "--threads", "1");
    assertThat(one).contains("(engine: PyTorch ").containsPattern(", 1 thread[,)]");
    String two = child(dir, Map.of(Vi4jCommand.THREADS_VARIABLE, "2"), "--threads", "3", "train",
        config.toString(), "--out", dir.resolve("b").toString(), "--no-progress");
    assertThat(two).as("the option wins over the variable").containsPattern(", 3 threads[,)]");
    String variable = child(dir, Map.of(Vi4jCommand.THREADS_VARIABLE, "2", "OMP_WAIT_POLICY", "PASSIVE"), "train",
        config.toString(), "--out", dir.resolve("c").toString(), "--no-progress");
    assertThat(variable).contains(", 2 threads, OMP_WAIT_POLICY=PASSIVE)");
  }

  @Test
  void badThreadCountsAreRefusedBeforeAnythingRuns(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("config.yaml"), TINY);
    Path out = dir.resolve("run");
    CliTest.Result zero = CliTest.execute("train", config.toString(), "--out", out.toString(), "--threads", "0");
    assertThat(zero.status()).isEqualTo(2);
    assertThat(zero.err()).contains("--threads must be at least 1, got 0");
    StringWriter err = new StringWriter();
    var cli = Vi4jCommand.commandLine(Map.of(Vi4jCommand.THREADS_VARIABLE, "many"));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("train", config.toString(), "--out", out.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("VI4J_THREADS must be a whole number of threads, got 'many'");
    assertThat(out).doesNotExist();
  }

  /** Runs {@code vi4j ARGS} in a child JVM with {@code environment} added; @return its output. */
  private static String child(Path work, Map<String, String> environment, String... args) throws Exception {
    Map<String, String> variables = new java.util.HashMap<>();
    variables.put(Vi4jCommand.THREADS_VARIABLE, null);
    variables.put("OMP_WAIT_POLICY", null);
    variables.putAll(environment);
    ChildVi4j child = ChildVi4j.start(work, List.of("-Xmx512m"), variables, args);
    assertThat(child.process().waitFor(3, TimeUnit.MINUTES)).isTrue();
    String output = child.output();
    assertThat(child.process().exitValue()).as(output).isZero();
    return output;
  }
}
