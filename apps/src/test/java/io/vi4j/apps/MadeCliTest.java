package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vi4j.core.run.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MADE end to end, in process, as a user runs it: {@code train} with the trainer (beating the fully
 * factorized baseline on the same binarized sprites), a run cut back to its first checkpoint resumed to
 * byte-identical parameters, then {@code evaluate}, {@code sample} and {@code score} on it, the uses that
 * need latents refused in one line, and bad settings refused before anything is written.
 */
class MadeCliTest {
  private static final String CONFIG = """
      name: made
      seed: 4
      data: {type: sprites, train_size: 2000, test_size: 100, binarize: static}
      density: {type: made, hidden: [64]}
      training: {epochs: 6, batch_size: 50, learning_rate: 5.0e-3, checkpoint: {every_steps: 40, keep: 10}}
      """;

  private static final String FACTORIZED = """
      name: factorized
      seed: 4
      data: {type: sprites, train_size: 2000, test_size: 100, binarize: static}
      baseline: {type: factorized-bernoulli}
      """;

  @Test
  void trainsBeatsTheFactorizedBaselineResumesExactlyAndServesTheUses(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("made.yaml"), CONFIG);
    Path run = dir.resolve("run");
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", run.toString(), "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();
    RunSummary summary = RunSummary.read(run.resolve("summary.json"));
    assertThat(summary.model()).isEqualTo("made");
    assertThat(summary.protocol()).isEqualTo("binarized");
    assertThat(summary.testKlNats()).isZero();
    assertThat(summary.testNegElboNats()).isEqualTo(-summary.testLogLikelihoodNats());
    assertThat(summary.generationPasses()).isEqualTo(28 * 28);
    assertThat(summary.generationSecondsPer100()).isPositive();
    assertThat(summary.testItems()).isEqualTo(100);
    // 784 → 64 → 784 masked layers: every weight is a parameter, masked or not.
    assertThat(summary.parameters()).isEqualTo(784L * 64 + 64 + 64L * 784 + 784);
    assertThat(run.resolve("samples.png")).isRegularFile();
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(6);

    Path factorizedConfig = Files.writeString(dir.resolve("factorized.yaml"), FACTORIZED);
    CliTest.Result fitted = CliTest.execute("train", factorizedConfig.toString(), "--out",
        dir.resolve("factorized").toString(), "--no-progress");
    assertThat(fitted.status()).as(fitted.err()).isZero();
    RunSummary factorized = RunSummary.read(dir.resolve("factorized/summary.json"));
    assertThat(summary.testLogLikelihoodNats()).as("the chain rule against independent pixels")
        .isGreaterThan(factorized.testLogLikelihoodNats() + 5);

    Path cut = KilledRuns.cutToFirstCheckpoint(run, dir.resolve("cut"));
    CliTest.Result resumed = CliTest.execute("train", "--resume", cut.toString(), "--no-progress");
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(Files.readAllBytes(cut.resolve("parameters.bin"))).isEqualTo(Files.readAllBytes(run.resolve("parameters.bin")));
    assertThat(RunSummary.read(cut.resolve("summary.json")).testLogLikelihoodNats())
        .isEqualTo(summary.testLogLikelihoodNats());

    CliTest.Result evaluated = CliTest.execute("evaluate", run.toString());
    assertThat(evaluated.status()).as(evaluated.err()).isZero();
    assertThat(RunSummary.read(run.resolve("evaluation.json")).testLogLikelihoodNats())
        .isEqualTo(summary.testLogLikelihoodNats());

    CliTest.Result sampled = CliTest.execute("sample", run.toString(), "--count", "20", "--format", "npy");
    assertThat(sampled.status()).as(sampled.err()).isZero();
    assertThat(run.resolve("samples/samples.png")).isRegularFile();
    assertThat(Files.size(run.resolve("samples/samples.npy"))).isGreaterThan(20L * 784 * 4);

    CliTest.Result scored = CliTest.execute("score", run.toString(), "--outlier-classes", "3");
    assertThat(scored.status()).as(scored.err()).isZero();
    assertThat(Files.readString(run.resolve("scores/scores.json"))).contains("neg_log_likelihood");

    CliTest.Result embedded = CliTest.execute("embed", run.toString());
    assertThat(embedded.status()).isEqualTo(2);
    assertThat(embedded.err()).contains("no latent representation");
    CliTest.Result imputed = CliTest.execute("impute", run.toString(), "--mask", "bottom-half", "--items", "20");
    assertThat(imputed.status()).as(imputed.err()).isZero();
    String errors = Files.readString(run.resolve("imputation/imputation.json"));
    assertThat(errors).contains("conditional-mean");
    CliTest.Result topHalf = CliTest.execute("impute", run.toString(), "--mask", "top-half", "--items", "20");
    assertThat(topHalf.status()).isEqualTo(2);
    assertThat(topHalf.err()).contains("is observed after missing value").contains("bottom-half");
    CliTest.Result gradients = CliTest.execute("grad-variance", run.toString());
    assertThat(gradients.status()).isEqualTo(2);
    assertThat(gradients.err()).contains("a density without latents ('made')");
  }

  @Test
  void greyLevelsAKlWeightAndSlicedStepsAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
    Path grey = Files.writeString(dir.resolve("grey.yaml"), CONFIG.replace(", binarize: static", ""));
    CliTest.Result refused = CliTest.execute("train", grey.toString(), "--out", dir.resolve("grey").toString(),
        "--no-progress");
    assertThat(refused.status()).isEqualTo(2);
    assertThat(refused.err()).contains("density ('made') is a mass on {0, 1} values").contains("data.binarize");
    assertThat(dir.resolve("grey/config.yaml")).doesNotExist();

    Path config = Files.writeString(dir.resolve("made.yaml"), CONFIG);
    CliTest.Result weighted = CliTest.execute("train", config.toString(), "--out", dir.resolve("kl").toString(), "--no-progress",
        "--set", "training.kl_weight={start: 0.0, warmup_epochs: 2}");
    assertThat(weighted.status()).isEqualTo(2);
    assertThat(weighted.err()).contains("training.kl_weight").contains("no KL term");

    CliTest.Result sliced = CliTest.execute("train", config.toString(), "--out", dir.resolve("sliced").toString(),
        "--no-progress", "--set", "training.shards=2");
    assertThat(sliced.status()).isEqualTo(2);
    assertThat(sliced.err()).contains("training.shards: 2 needs an objective separable").contains("Made");
    assertThat(dir.resolve("sliced/config.yaml")).as("refused before the run directory fills").doesNotExist();
    assertThat(dir.resolve("sliced/run.json")).doesNotExist();

    CliTest.Result both = CliTest.execute("train", config.toString(), "--no-progress",
        "--set", "baseline={type: factorized-bernoulli}");
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err()).contains("either a baseline section or a density section");
  }

  @Test
  void theBuilderTrainsTheConfigsDensity() {
    var builder = io.vi4j.core.Vi4j.density(io.vi4j.plugins.autoregressive.MadeSpec.bernoulli(32))
        .name("made").seed(4).data(new io.vi4j.core.data.SpritesDataSpec(300, 40, null, "static"))
        .epochs(2).batchSize(50).learningRate(5e-3);
    io.vi4j.core.config.ExperimentSpec fromYaml = new io.vi4j.core.config.ConfigLoader(Runtime.registry()).parse("""
        name: made
        seed: 4
        data: {type: sprites, train_size: 300, test_size: 40, binarize: static}
        density: {type: made, hidden: [32]}
        training: {epochs: 2, batch_size: 50, learning_rate: 5.0e-3}
        """, "test");
    assertThat(builder.spec()).isEqualTo(fromYaml);
    try (io.vi4j.core.run.TrainedDensity made = builder.train()) {
      assertThat(made.history()).hasSize(2);
      RunSummary test = made.testLogLikelihood();
      assertThat(test.testLogLikelihoodNats()).isNegative().isEqualTo(-made.history().get(1).testNegElbo(),
          org.assertj.core.api.Assertions.within(1e-6));
      assertThat(test.testBitsPerDim()).isPositive();
      assertThat(made.sample(3)).hasSize(3 * 784).containsOnly(0f, 1f);
    }
  }
}
