package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: train, evaluate, sample, and the errors of bad input. */
class CliTest {
  private static final Path QUICKSTART = Path.of("../examples/quickstart.yaml");
  private static final String[] SMALL = {
    "--set", "data.train_size=600", "--set", "data.test_size=120", "--set", "training.epochs=2",
    "--set", "evaluation.iwae_k=10", "--set", "evaluation.iwae_items=40", "--no-progress"
  };

  @TempDir static Path shared;
  static Path run;
  static Result trained;

  record Result(int status, String err) {}

  static Result execute(String... args) {
    StringWriter err = new StringWriter();
    var cli = Vi4jCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Result(status, err.toString());
  }

  @BeforeAll
  static void trainOnce() {
    run = shared.resolve("run");
    List<String> args = new ArrayList<>(List.of("train", QUICKSTART.toString(), "--out", run.toString()));
    args.addAll(List.of(SMALL));
    trained = execute(args.toArray(String[]::new));
  }

  @Test
  void trainWritesTheWholeRunDirectory() throws Exception {
    assertThat(trained.status()).as(trained.err()).isZero();
    for (String file : List.of("config.yaml", "metrics.jsonl", "summary.json", "parameters.bin",
        "samples.png", "reconstructions.png")) {
      assertThat(run.resolve(file)).isRegularFile();
    }
    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    for (String key : List.of("test_neg_elbo_nats", "test_recon_nats", "test_kl_nats",
        "test_log_likelihood_nats", "iwae_k", "train_samples_per_second", "wall_seconds", "epochs")) {
      assertThat(summary.has(key)).as(key).isTrue();
    }
    assertThat(summary.get("epochs").asInt()).isEqualTo(2);
    assertThat(summary.get("test_neg_elbo_nats").asDouble())
        .isCloseTo(summary.get("test_recon_nats").asDouble() + summary.get("test_kl_nats").asDouble(),
            org.assertj.core.api.Assertions.within(1e-6));
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(2);
    assertThat(Files.readString(run.resolve("config.yaml")))
        .contains("train_size: 600").contains("type: gaussian-mlp").contains("epochs: 2")
        .contains("protocol: auto"); // every default written out, the protocol's too
  }

  @Test
  void evaluateAndSampleReadTheRunBack() throws Exception {
    assertThat(trained.status()).isZero();
    java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.out;
    System.setOut(new java.io.PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8));
    Result evaluated;
    try {
      evaluated = execute("evaluate", run.toString(), "--set", "evaluation.elbo_samples=20");
    } finally {
      System.setOut(before);
    }
    assertThat(evaluated.status()).as(evaluated.err()).isZero();
    // Off a terminal, the long stage shows as one line when it ends.
    assertThat(stdout.toString(java.nio.charset.StandardCharsets.UTF_8))
        .containsPattern("IWAE log-likelihood \\(k = 10\\): 40 items in \\d");
    JsonNode evaluation = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    // The restored model is the trained one: its −ELBO agrees with training's single-sample figure up to
    // that figure's noise (a few nats on 120 items), far from an untrained model's ~540 nats.
    double restored = evaluation.get("test_neg_elbo_nats").asDouble();
    assertThat(restored).isCloseTo(summary.get("test_neg_elbo_nats").asDouble(),
        org.assertj.core.api.Assertions.within(12.0));
    // Evaluation is seeded: the same command gives the same figure.
    execute("evaluate", run.toString(), "--set", "evaluation.elbo_samples=20");
    double again = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile())
        .get("test_neg_elbo_nats").asDouble();
    assertThat(again).isCloseTo(restored, org.assertj.core.api.Assertions.within(1e-3));
    // evaluate changes evaluation settings only: a training setting is refused, not silently ignored
    Result training = execute("evaluate", run.toString(), "--set", "training.epochs=3");
    assertThat(training.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(training.err()).contains("--set training.epochs does not apply to evaluate").hasLineCount(1);
    Result sampled = execute("sample", run.toString(), "--count", "12", "--seed", "3", "--format", "npy");
    assertThat(sampled.status()).as(sampled.err()).isZero();
    for (String file : List.of("prior-means.png", "prior-samples.png", "reconstructions.png", "interpolations.png",
        "traversals.png", "latent-scatter.png")) {
      assertThat(run.resolve("samples").resolve(file)).isRegularFile();
    }
    assertThat(run.resolve("samples/manifold.png")).doesNotExist(); // the quick start's latent space is 8-D
    assertThat(io.vi4j.core.testing.NpyHeaders.header(run.resolve("samples/prior-samples.npy"), 12 * 784 * 4))
        .contains("'shape': (12, 784)");
  }

  @Test
  void anExistingRunIsNeverOverwritten() throws Exception {
    assertThat(trained.status()).isZero();
    byte[] before = Files.readAllBytes(run.resolve("summary.json"));
    Result again = execute("train", QUICKSTART.toString(), "--out", run.toString(), "--no-progress");
    assertThat(again.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(again.err()).contains("already holds a run").contains("--force");
    assertThat(Files.readAllBytes(run.resolve("summary.json"))).isEqualTo(before);
  }

  @Test
  void aBadConfigFailsWithOneLineNamingTheFieldAndNothingIsWritten(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, Files.readString(QUICKSTART).replace("hidden: [256]\n    activation: relu\n  decoder",
        "hiden: [256]\n    activation: relu\n  decoder"));
    Result result = execute("train", config.toString(), "--out", dir.resolve("out").toString());
    assertThat(result.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(result.err()).contains("bad.yaml: unknown field 'hiden' in model.encoder")
        .contains("accepted fields: activation, hidden").doesNotContain("\tat ");
    assertThat(dir.resolve("out")).doesNotExist();
    Result unknownType = execute("train", QUICKSTART.toString(), "--set", "model.prior.type=gamma",
        "--out", dir.resolve("out2").toString());
    assertThat(unknownType.err()).contains("unknown prior type 'gamma'").contains("standard-normal");
  }

  @Test
  void schedulesAreRecordedPerEpochInMetricsAndInTheSummary(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("train", QUICKSTART.toString(), "--out", out.toString()));
    args.addAll(List.of(SMALL));
    args.addAll(List.of("--set", "training.kl_weight={warmup_epochs: 1}",
        "--set", "training.lr_schedule={type: step, step_epochs: 1, gamma: 0.5}",
        "--set", "training.validation={fraction: 0.2, seed: 3}", "--set", "training.early_stopping={patience: 1}"));
    Result result = execute(args.toArray(String[]::new));
    assertThat(result.status()).as(result.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> epochs = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      epochs.add(json.readTree(line));
    }
    assertThat(epochs).hasSize(2);
    assertThat(epochs.get(0).get("learning_rate").asDouble()).isEqualTo(1e-3);
    assertThat(epochs.get(1).get("learning_rate").asDouble()).isEqualTo(5e-4);
    assertThat(epochs.get(0).get("kl_weight").asDouble()).isEqualTo(0.75); // β of step 3 of a 4-step warm-up
    assertThat(epochs.get(1).get("kl_weight").asDouble()).isEqualTo(1.0);
    assertThat(epochs.get(1).get("validation_neg_elbo_nats").asDouble()).isPositive();
    JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("train_items").asInt()).isEqualTo(480);
    assertThat(summary.get("validation_items").asInt()).isEqualTo(120);
    assertThat(summary.get("final_learning_rate").asDouble()).isEqualTo(5e-4);
    assertThat(summary.get("final_kl_weight").asDouble()).isEqualTo(1.0);
    assertThat(summary.get("stopped_early").asBoolean()).isFalse();
    assertThat(summary.get("best_epoch").asInt()).isBetween(1, 2);
    assertThat(Files.readString(out.resolve("config.yaml"))).contains("kl_weight:").contains("early_stopping:");
  }

  @Test
  void scheduleSettingsThatCannotRunAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
    Result autoencoder = execute("train", QUICKSTART.toString(), "--set", "estimator={type: autoencoder}",
        "--set", "model.encoder.type=deterministic-mlp", "--set", "training.kl_weight={final: 0.5}",
        "--out", dir.resolve("out").toString());
    assertThat(autoencoder.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(autoencoder.err()).contains("training.kl_weight: the estimator 'autoencoder' does not weight the KL"
        + " term").doesNotContain("\tat ");
    Result everything = execute("train", QUICKSTART.toString(), "--set", "data.train_size=50",
        "--set", "training.validation={items: 50}", "--out", dir.resolve("out").toString());
    assertThat(everything.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(everything.err()).contains("training.validation.items (50) holds out 50 of the 50 training items and"
        + " leaves none to train on");
    Result longWarmUp = execute("train", QUICKSTART.toString(), "--set", "training.kl_weight={warmup_epochs: 21}",
        "--out", dir.resolve("out").toString());
    assertThat(longWarmUp.err()).contains("training: kl_weight.warmup_epochs (21) is longer than training (epochs: 20)");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void dataTheLikelihoodCannotScoreIsRejectedBeforeTraining(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("wide.csv");
    Files.writeString(csv, "a,b\n0.5,2.0\n0.1,0.2\n");
    Path config = dir.resolve("csv.yaml");
    Files.writeString(config, """
        data: {type: csv, train: wide.csv, test: wide.csv}
        model:
          latent_dim: 1
          prior: {type: standard-normal}
          encoder: {type: gaussian-mlp, hidden: [4]}
          decoder: {type: bernoulli-mlp, hidden: [4]}
        estimator: {type: reparameterization}
        training: {epochs: 1}
        """);
    Result result = execute("train", config.toString(), "--out", dir.resolve("out").toString());
    assertThat(result.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(result.err()).contains("wide.csv").contains("item 0, position 1 has value 2.0")
        .contains("'bernoulli-mlp' likelihood accepts [0, 1]");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aCorruptParameterFileIsNamedAndLeftInPlace(@TempDir Path dir) throws Exception {
    assertThat(trained.status()).isZero();
    Path copy = dir.resolve("copy");
    Files.createDirectories(copy);
    for (String file : new String[] {"config.yaml", "run.json", "summary.json"}) {
      Files.copy(run.resolve(file), copy.resolve(file));
    }
    byte[] params = Files.readAllBytes(run.resolve("parameters.bin"));
    Files.write(copy.resolve("parameters.bin"), java.util.Arrays.copyOf(params, params.length / 2));
    Result truncated = execute("evaluate", copy.toString());
    assertThat(truncated.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(truncated.err()).contains("parameters.bin").containsAnyOf("truncated", "do not fit");
    Files.writeString(copy.resolve("parameters.bin"), "not parameters");
    Result garbage = execute("evaluate", copy.toString());
    assertThat(garbage.err()).contains("not a vi4j parameter file");
    assertThat(copy.resolve("parameters.bin")).hasContent("not parameters");
    Result missing = execute("evaluate", dir.resolve("nowhere").toString());
    assertThat(missing.err()).contains("no such run directory");
  }

  @Test
  void gradVarianceMeasuresEveryDefaultEstimatorAndScoreFunctionIsNoisier() throws Exception {
    assertThat(trained.status()).isZero();
    Path out = shared.resolve("gv");
    Result result = execute("grad-variance", run.toString(), "--draws", "8", "--samples", "2", "--batch", "16",
        "--out", out.toString());
    assertThat(result.status()).as(result.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.resolve("grad-variance.json").toFile());
    assertThat(doc.get("reference").asText()).isEqualTo("reparameterization");
    Map<String, Double> variance = new java.util.HashMap<>();
    doc.get("estimators").forEach(e -> variance.put(e.get("estimator").asText(), e.get("total_variance").asDouble()));
    assertThat(variance).containsOnlyKeys("reparameterization", "path-derivative", "score-none",
        "score-moving-average", "score-batch-loo", "score-input-dependent", "score-leave-one-out");
    assertThat(variance.get("score-none")).isGreaterThan(10 * variance.get("reparameterization"));
    assertThat(out.resolve("grad-variance.png")).isRegularFile();
    assertThat(out.resolve("grad-variance.md")).content().contains("score-leave-one-out");
    Result bad = execute("grad-variance", run.toString(), "--estimator", "x={type: score-function, samples: 1,"
        + " control_variate: leave-one-out}", "--out", shared.resolve("gv2").toString());
    assertThat(bad.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(bad.err()).contains("--estimator x").contains("leave-one-out needs samples of at least 2");
  }

  @Test
  void compareTrainsEveryVariantAndSeedAndWritesTheReports(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("cmp.yaml");
    Files.writeString(config, """
        data: {type: sprites, train_size: 300, test_size: 60}
        model:
          latent_dim: 2
          prior: {type: standard-normal}
          encoder: {type: gaussian-mlp, hidden: [16]}
          decoder: {type: bernoulli-mlp, hidden: [16]}
        estimator: {type: reparameterization}
        training: {epochs: 2, batch_size: 50}
        evaluation: {iwae_k: 5, iwae_items: 20, gradient_variance_draws: 3}
        compare:
          seeds: [0, 1]
          variants:
            reparam: {}
            score: {estimator: {type: score-function, samples: 2, control_variate: leave-one-out}}
        """);
    Path out = dir.resolve("out");
    Result result = execute("compare", config.toString(), "--out", out.toString(), "--no-progress");
    assertThat(result.status()).as(result.err()).isZero();
    JsonNode raw = new ObjectMapper().readTree(out.resolve("comparison.json").toFile());
    assertThat(raw).hasSize(4);
    assertThat(raw.get(2).get("variant").asText()).isEqualTo("score");
    assertThat(raw.get(2).get("summary").has("grad_variance_total")).isTrue();
    assertThat(raw.get(2).get("epochs")).hasSize(2);
    assertThat(out.resolve("score/seed-1/config.yaml")).content().contains("type: score-function")
        .contains("seed: 1");
    assertThat(out.resolve("comparison.md")).content().contains("| reparam").contains("| score")
        // one model throughout: named once above the table, not in a column; signs as log-likelihoods
        .contains("Model: latent-variable model (bernoulli-mlp decoder).").contains("| variant | seeds |")
        .contains("| test recon log-lik |").doesNotContain("recon nats");
    assertThat(out.resolve("comparison-raw.csv")).isRegularFile();
    assertThat(out.resolve("comparison.md")).content().contains("## Protocol: raw");
    assertThat(out.resolve("samples.png")).isRegularFile();
    assertThat(out.resolve("curves.png")).isRegularFile();
    Result again = execute("compare", config.toString(), "--out", out.toString(), "--no-progress");
    assertThat(again.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(again.err()).contains("already holds a comparison");
  }

  @Test
  void amortizationGapRefinesPerItemPosteriorsAndNeverLosesElbo() throws Exception {
    assertThat(trained.status()).isZero();
    Result result = execute("amortization-gap", run.toString(), "--items", "20", "--steps", "150");
    assertThat(result.status()).as(result.err()).isZero();
    JsonNode gap = new ObjectMapper().readTree(run.resolve("amortization-gap.json").toFile());
    assertThat(gap.get("items").asInt()).isEqualTo(20);
    // optimizing each item's own q from the encoder's starting point can only raise its ELBO (up to noise)
    assertThat(gap.get("amortization_gap_nats").asDouble()).isGreaterThan(-0.5);
    assertThat(gap.get("refined_iwae_nats").asDouble()).isGreaterThan(gap.get("refined_elbo_nats").asDouble() - 0.5);
    Result bad = execute("amortization-gap", run.toString(), "--start", "middle");
    assertThat(bad.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(bad.err()).contains("--start must be encoder or prior");
  }

  @Test
  void embedWritesNpyFilesNumpyReadsAndACsv() throws Exception {
    assertThat(trained.status()).isZero();
    Path out = shared.resolve("embedding");
    Result npy = execute("embed", run.toString(), "--out", out.toString());
    assertThat(npy.status()).as(npy.err()).isZero();
    // 120 test items, latent_dim 8 in the quick start: a (120, 8) float32 matrix
    String header = io.vi4j.core.testing.NpyHeaders.header(out.resolve("test-means.npy"), 120 * 8 * 4);
    assertThat(header).contains("'descr': '<f4'").contains("'shape': (120, 8)");
    assertThat(io.vi4j.core.testing.NpyHeaders.header(out.resolve("test-log-variances.npy"), 120 * 8 * 4))
        .contains("'shape': (120, 8)");
    assertThat(io.vi4j.core.testing.NpyHeaders.header(out.resolve("test-labels.npy"), 120 * 4))
        .contains("'descr': '<i4'").contains("'shape': (120,)");
    Result csv = execute("embed", run.toString(), "--format", "csv", "--split", "train", "--out", out.toString());
    assertThat(csv.status()).as(csv.err()).isZero();
    List<String> lines = Files.readAllLines(out.resolve("train-embedding.csv"));
    assertThat(lines).hasSize(601);
    assertThat(lines.get(0)).startsWith("mean_0,mean_1").endsWith("label");
  }

  @Test
  void scoreFindsAClassTheModelNeverSawAndWritesEveryScore(@TempDir Path dir) throws Exception {
    Path noCrosses = dir.resolve("no-crosses");
    List<String> args = new ArrayList<>(List.of("train", QUICKSTART.toString(), "--out", noCrosses.toString(),
        "--set", "exclude_train_labels=[3]", "--set", "data.train_size=2000", "--set", "data.test_size=200",
        "--set", "training.epochs=4", "--set", "evaluation.iwae_k=0", "--no-progress"));
    Result trainedWithout = execute(args.toArray(String[]::new));
    assertThat(trainedWithout.status()).as(trainedWithout.err()).isZero();
    assertThat(noCrosses.resolve("summary.json")).content().contains("\"train_items\" : 1500");
    Result scored = execute("score", noCrosses.toString(), "--outlier-classes", "3", "--k", "20");
    assertThat(scored.status()).as(scored.err()).isZero();
    JsonNode scores = new ObjectMapper().readTree(noCrosses.resolve("scores/scores.json").toFile()).get("scores");
    for (String name : List.of("kl", "neg_elbo", "neg_log_likelihood")) {
      assertThat(scores.get(name).get("auroc").asDouble()).as(name).isBetween(0.0, 1.0);
      assertThat(scores.get(name).get("threshold").asDouble()).isFinite();
    }
    // crosses (a quarter of the test sprites) were never seen in training: -log p(x) ranks them high
    assertThat(scores.get("neg_log_likelihood").get("auroc").asDouble()).isGreaterThan(0.55); // 0.625 measured
    assertThat(Files.readAllLines(noCrosses.resolve("scores/scores.csv"))).hasSize(201);
    Result other = execute("score", noCrosses.toString(), "--k", "5", "--out", dir.resolve("other").toString(),
        "--data", "{type: sprites, train_size: 10, test_size: 30, seed: 9}");
    assertThat(other.status()).as(other.err()).isZero();
    assertThat(new ObjectMapper().readTree(dir.resolve("other/scores.json").toFile()).get("items").asInt()).isEqualTo(30);
    Result absent = execute("score", noCrosses.toString(), "--outlier-classes", "7", "--k", "2");
    assertThat(absent.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(absent.err()).contains("has label 7; the test labels are 0 (square), 1 (ellipse), 2 (triangle), 3 (cross)");
    Result every = execute("score", noCrosses.toString(), "--outlier-classes", "0,1,2,3", "--k", "2");
    assertThat(every.err()).contains("names every test label");
    Result badData = execute("score", noCrosses.toString(), "--data", "{type: spritez}");
    assertThat(badData.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(badData.err()).contains("--data").contains("unknown data type 'spritez'");
  }

  @Test
  void imputeFillsMaskedPixelsWithEveryMethodAndWritesThePicture() throws Exception {
    assertThat(trained.status()).isZero();
    Path out = shared.resolve("imputation");
    Result result = execute("impute", run.toString(), "--mask", "bottom-half", "--items", "20",
        "--iterations", "10", "--out", out.toString());
    assertThat(result.status()).as(result.err()).isZero();
    JsonNode errors = new ObjectMapper().readTree(out.resolve("imputation.json").toFile()).get("missing_pixel_mse");
    for (String method : List.of("mean", "pseudo-gibbs", "metropolis-within-gibbs")) {
      assertThat(errors.get(method).asDouble()).as(method).isBetween(0.0, 1.0);
    }
    assertThat(out.resolve("imputation.png")).isRegularFile();
    Result bad = execute("impute", run.toString(), "--mask", "left-half");
    assertThat(bad.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(bad.err()).contains("mask 'left-half' is not one of");
  }

  @Test
  void forceReplacesARunAndDebugAddsTheStackTrace(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    List<String> args = new ArrayList<>(List.of("train", QUICKSTART.toString(), "--out", out.toString()));
    args.addAll(List.of(SMALL));
    args.addAll(List.of("--set", "training.epochs=1"));
    assertThat(execute(args.toArray(String[]::new)).status()).isZero();
    args.add("--force");
    Result forced = execute(args.toArray(String[]::new));
    assertThat(forced.status()).as(forced.err()).isZero();
    assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(1); // started afresh, not appended
    assertThat(out.resolve(io.vi4j.core.run.RunDirectory.LOCK)).doesNotExist();
    Result plain = execute("train", dir.resolve("none.yaml").toString());
    assertThat(plain.err()).contains("vi4j: error:").doesNotContain("\tat ");
    Result debug = execute("train", dir.resolve("none.yaml").toString(), "--debug");
    assertThat(debug.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(debug.err()).contains("vi4j: error:").contains("\tat ");
  }

  @Test
  void resumeFallsBackPastACorruptCheckpointAndEndsWhereAnUninterruptedRunEnds(@TempDir Path dir) throws Exception {
    Path complete = dir.resolve("complete");
    List<String> args = new ArrayList<>(List.of("train", QUICKSTART.toString(), "--out", complete.toString()));
    args.addAll(List.of(SMALL));
    args.addAll(List.of("--set", "training.checkpoint.every_steps=3", "--set", "evaluation.iwae_k=0"));
    Result first = execute(args.toArray(String[]::new));
    assertThat(first.status()).as(first.err()).isZero();
    // 600 items in batches of 128: 5 steps per epoch; checkpoints at steps 3, 5, 6, 9, 10, the newest 3 kept.
    Path checkpoints = complete.resolve("checkpoints");
    try (var listing = Files.list(checkpoints)) {
      assertThat(listing.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("step-000000000006", "step-000000000009", "step-000000000010");
    }
    // A run killed after its last checkpoint, whose newest checkpoint then rotted on disk.
    Path killed = dir.resolve("killed");
    Files.createDirectories(killed);
    for (String name : List.of("config.yaml", "metrics.jsonl")) {
      Files.copy(complete.resolve(name), killed.resolve(name));
    }
    for (String step : List.of("step-000000000009", "step-000000000010")) {
      Path to = Files.createDirectories(killed.resolve("checkpoints").resolve(step));
      try (var files = Files.list(checkpoints.resolve(step))) {
        for (Path f : files.toList()) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    Path rotten = killed.resolve("checkpoints/step-000000000010/tensors.bin");
    byte[] bytes = Files.readAllBytes(rotten);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(rotten, bytes);

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    Result resumed;
    try {
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      resumed = execute("train", "--resume", killed.toString(), "--no-progress");
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(resumed.status()).as(resumed.err() + printed).isZero();
    assertThat(printed).contains("refused a checkpoint: " + rotten + ": checksum mismatch")
        .contains("resuming from " + killed.resolve("checkpoints/step-000000000009") + " (epoch 2, 4 of 5 steps done");
    assertThat(Files.readAllBytes(killed.resolve("parameters.bin")))
        .isEqualTo(Files.readAllBytes(complete.resolve("parameters.bin")));
    assertThat(Files.readAllLines(killed.resolve("metrics.jsonl"))).hasSize(2);

    Result finished = execute("train", "--resume", killed.toString());
    assertThat(finished.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(finished.err()).contains("holds a finished run");
    Result both = execute("train", QUICKSTART.toString(), "--resume", killed.toString());
    assertThat(both.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(both.err()).contains("name a CONFIG to train, or --resume RUN_DIR");
    Result overridden = execute("train", "--resume", killed.toString(), "--set", "training.epochs=9");
    assertThat(overridden.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(overridden.err()).contains("--set, --out and --force do not apply");
    Result nothing = execute("train", "--resume", dir.resolve("nowhere").toString());
    assertThat(nothing.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(nothing.err()).contains("no such run directory");
  }
}
