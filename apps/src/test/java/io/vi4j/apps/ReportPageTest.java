package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report.html}: every command that adds outputs to a run writes the run's page again, the page holds
 * what each wrote, and it renders in headless Chromium with every image decoded and no script error.
 */
class ReportPageTest {
  private static final Path QUICKSTART = Path.of("../examples/quickstart.yaml");

  @TempDir static Path dir;
  static Path run;

  @BeforeAll
  static void runEveryCommandOnOneSmallRun() {
    run = dir.resolve("run");
    ok(CliTest.execute("train", QUICKSTART.toString(), "--out", run.toString(), "--no-progress",
        "--set", "data.train_size=400", "--set", "data.test_size=80", "--set", "training.epochs=2",
        "--set", "model.encoder.hidden=[32]", "--set", "model.decoder.hidden=[32]",
        "--set", "evaluation.iwae_k=5", "--set", "evaluation.iwae_items=20"));
    ok(CliTest.execute("sample", run.toString(), "--count", "10", "--no-progress"));
    ok(CliTest.execute("score", run.toString(), "--outlier-classes", "3", "--k", "3", "--train-items", "40",
        "--no-progress"));
    ok(CliTest.execute("impute", run.toString(), "--mask", "bottom-half", "--items", "10", "--iterations", "4",
        "--no-progress"));
    ok(CliTest.execute("embed", run.toString(), "--no-progress"));
    ok(CliTest.execute("grad-variance", run.toString(), "--draws", "3", "--batch", "8", "--no-progress",
        "--estimator", "reparameterization={type: reparameterization, samples: 2}",
        "--estimator", "score-none={type: score-function, samples: 2, control_variate: none}"));
  }

  private static void ok(CliTest.Result result) {
    assertThat(result.status()).as(result.err()).isZero();
  }

  @Test
  void theRunsPageHoldsWhatEveryCommandWrote() throws Exception {
    String html = Files.readString(run.resolve("report.html"));
    for (String section : new String[] {"id=\"summary\"", "id=\"curves\"", "id=\"pictures\"", "id=\"sample\"",
        "id=\"scores\"", "id=\"imputation\"", "id=\"embedding\"", "id=\"grad-variance\"", "id=\"config\""}) {
      assertThat(html).contains(section);
    }
    // the class names of the sprites, the ROC curve, the estimators' table
    assertThat(html).contains("outlier classes 3 (cross)").contains("ROC curves").contains("score-none");
    // self-contained: pictures inline, nothing fetched from elsewhere
    assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
    assertThat(Pattern.compile("<img src=\"data:image/png;base64,").matcher(html).results().count())
        .isGreaterThanOrEqualTo(15);
    assertThat(html).doesNotContain("amortization-gap\""); // not run: no section
  }

  @Test
  void theRunsPageRendersInHeadlessChromiumWithEveryImageAndNoError(@TempDir Path scratch) throws Exception {
    Path chromium = HeadlessChromium.find().orElse(null);
    Assumptions.assumeTrue(chromium != null, "no chromium on the PATH (apt-get install chromium; .ci/run installs"
        + " it as root): the page is not rendered");
    String html = Files.readString(run.resolve("report.html"));
    long images = Pattern.compile("<img ").matcher(html).results().count();
    HeadlessChromium.Rendered page = HeadlessChromium.render(chromium, run.resolve("report.html"), scratch);
    assertThat(page.bodyAttribute("data-images")).as(page.log()).isEqualTo(images + " of " + images);
    assertThat(page.bodyAttribute("data-broken")).isEmpty();
    assertThat(page.bodyAttribute("data-errors")).isEqualTo("0");
    assertThat(page.consoleLines()).isEmpty();
  }

  @Test
  void aBaselinesPageShowsItsEmCurveAndOptionsWithoutMeaningForItAreRefused(@TempDir Path scratch) throws Exception {
    Path config = scratch.resolve("gmm.yaml");
    Files.writeString(config, "data: {type: sprites, train_size: 300, test_size: 40}\n"
        + "baseline: {type: gmm, components: 3, covariance: diagonal, max_iterations: 5}\n");
    Path gmm = scratch.resolve("gmm");
    ok(CliTest.execute("train", config.toString(), "--out", gmm.toString(), "--no-progress"));
    assertThat(gmm.resolve("report.html")).content().contains("one point per EM iteration")
        .contains("alt=\"the training log-likelihood per EM iteration\"");
    CliTest.Result k = CliTest.execute("score", gmm.toString(), "--k", "5");
    assertThat(k.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(k.err()).contains("--k does not apply to").contains("exact -log p(x)");
    CliTest.Result iterations = CliTest.execute("impute", gmm.toString(), "--mask", "top-half", "--iterations", "5");
    assertThat(iterations.status()).isEqualTo(Vi4jCommand.BAD_INPUT);
    assertThat(iterations.err()).contains("--iterations does not apply to");
  }

  @Test
  void aPageThatCannotBeDrawnIsAWarningAndTheCommandStillSucceeds(@TempDir Path scratch) throws Exception {
    Path copy = scratch.resolve("copy");
    Files.createDirectories(copy.resolve("scores"));
    for (String file : new String[] {"run.json", "config.yaml", "summary.json", "metrics.jsonl", "parameters.bin"}) {
      Files.copy(run.resolve(file), copy.resolve(file));
    }
    Files.writeString(copy.resolve("scores/scores.json"), "{ damaged");
    CliTest.Result result = CliTest.execute("embed", copy.toString(), "--no-progress");
    assertThat(result.status()).as(result.err()).isZero();
    assertThat(result.err()).contains("vi4j: warning: " + copy.resolve("report.html") + " not written");
    assertThat(copy.resolve("embedding/test-means.npy")).isRegularFile();
  }

  @Test
  void aComparisonHasAPageLinkingTheRunsPagesAndItRenders(@TempDir Path scratch) throws Exception {
    Path config = scratch.resolve("cmp.yaml");
    Files.writeString(config, """
        data: {type: sprites, train_size: 200, test_size: 40}
        model:
          latent_dim: 2
          prior: {type: standard-normal}
          encoder: {type: gaussian-mlp, hidden: [8]}
          decoder: {type: bernoulli-mlp, hidden: [8]}
        estimator: {type: reparameterization}
        training: {epochs: 1, batch_size: 50}
        evaluation: {iwae_k: 2, iwae_items: 10}
        compare:
          seeds: [0]
          variants:
            a: {}
            b: {estimator: {type: path-derivative}}
        """);
    Path out = scratch.resolve("out");
    ok(CliTest.execute("compare", config.toString(), "--out", out.toString(), "--no-progress"));
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("Protocol: raw").contains("href=\"a/seed-0/report.html\"")
        .contains("href=\"b/seed-0/report.html\"");
    assertThat(out.resolve("b/seed-0/report.html")).content().contains("id=\"curves\"");
    Path chromium = HeadlessChromium.find().orElse(null);
    Assumptions.assumeTrue(chromium != null, "no chromium on the PATH (apt-get install chromium; .ci/run installs"
        + " it as root): the page is not rendered");
    long images = Pattern.compile("<img ").matcher(html).results().count();
    HeadlessChromium.Rendered page = HeadlessChromium.render(chromium, out.resolve("report.html"), scratch);
    assertThat(page.bodyAttribute("data-images")).as(page.log()).isEqualTo(images + " of " + images);
    assertThat(page.bodyAttribute("data-errors")).isEqualTo("0");
    assertThat(page.consoleLines()).isEmpty();
  }
}
