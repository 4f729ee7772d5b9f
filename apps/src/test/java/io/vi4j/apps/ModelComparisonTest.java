package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baselines and VAEs fitted side by side; each row carries its protocol and protocols are never mixed. */
class ModelComparisonTest {

  @Test
  void baselinesAndVaesAreComparedPerProtocol(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("models.yaml");
    Files.writeString(config, """
        data: {type: sprites, train_size: 600, test_size: 150}
        model:
          latent_dim: 4
          prior: {type: standard-normal}
          encoder: {type: gaussian-mlp, hidden: [32]}
          decoder: {type: gaussian-mlp, hidden: [32], variance: shared}
        estimator: {type: reparameterization}
        training: {epochs: 2, batch_size: 50}
        evaluation: {iwae_k: 10, iwae_items: 50}
        compare:
          variants:
            factorized-gaussian: {model: null, estimator: null, baseline: {type: factorized-gaussian}}
            ppca: {model: null, estimator: null, baseline: {type: ppca, latent_dim: 4}}
            vae-gaussian: {}
            factorized-bernoulli: {data: {binarize: static}, model: null, estimator: null,
                                   baseline: {type: factorized-bernoulli}}
        """);
    Path out = dir.resolve("out");
    CliTest.Result result = CliTest.execute("compare", config.toString(), "--out", out.toString(), "--no-progress");
    assertThat(result.status()).as(result.err()).isZero();
    Map<String, JsonNode> byVariant = new HashMap<>();
    new ObjectMapper().readTree(out.resolve("comparison.json").toFile())
        .forEach(r -> byVariant.put(r.get("variant").asText(), r.get("summary")));
    assertThat(byVariant.get("ppca").get("protocol").asText()).isEqualTo("dequantized-8bit");
    assertThat(byVariant.get("vae-gaussian").get("protocol").asText()).isEqualTo("dequantized-8bit");
    assertThat(byVariant.get("factorized-bernoulli").get("protocol").asText()).isEqualTo("binarized");
    // PPCA captures correlations the factorized Gaussian cannot: higher likelihood, fewer bits.
    assertThat(byVariant.get("ppca").get("test_log_likelihood_nats").asDouble())
        .isGreaterThan(byVariant.get("factorized-gaussian").get("test_log_likelihood_nats").asDouble());
    // (the factorized Gaussian can do worse than uniform here: pixels no training sprite covered get a
    // tiny variance, and a test sprite there costs it dearly)
    // PPCA beats a uniform density (8 bits); the 2-epoch VAE need not, but its figure is a finite bit rate.
    assertThat(byVariant.get("ppca").get("test_bits_per_dim").asDouble()).isBetween(0.0, 8.0);
    assertThat(byVariant.get("vae-gaussian").get("test_bits_per_dim").asDouble()).isPositive().isFinite();
    assertThat(byVariant.get("ppca").get("parameters").asLong()).isEqualTo(784L * 4 + 1 + 784 - 6);
    String markdown = Files.readString(out.resolve("comparison.md"));
    assertThat(markdown).contains("## Protocol: dequantized-8bit").contains("## Protocol: binarized");
    String dequantized = markdown.substring(markdown.indexOf("## Protocol: dequantized-8bit"),
        markdown.indexOf("## Protocol: binarized"));
    assertThat(dequantized).contains("ppca").contains("vae-gaussian").doesNotContain("factorized-bernoulli");
    // Counts are printed whole, not rounded to the table's significant digits; a VAE reports its training time.
    assertThat(dequantized).containsPattern("\\|\\s+" + (784L * 4 + 1 + 784 - 6) + " \\|").contains("train s");
    assertThat(out.resolve("comparison-binarized.csv")).content().contains("factorized-bernoulli");
    assertThat(out.resolve("samples.png")).isRegularFile();
    assertThat(out.resolve("ppca/seed-0/samples.png")).isRegularFile();
  }
}
