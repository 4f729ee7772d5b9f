package io.vi4j.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.ModelAssembler;
import io.vi4j.plugins.priors.MixturePriorSpec;
import io.vi4j.plugins.priors.VampPriorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learned priors as a user writes them: defaults, errors naming the field, assembly with the encoder. */
class LearnedPriorConfigTest {
  private static final ConfigLoader LOADER = new ConfigLoader(PluginRegistry.load());
  private static final String CONFIG = """
      name: learned-prior
      seed: 0
      data: {type: sprites, train_size: 100, test_size: 20}
      model:
        latent_dim: 4
        prior: PRIOR
        encoder: ENCODER
        decoder: {type: bernoulli-mlp, hidden: [16]}
      estimator: {type: reparameterization}
      training: {epochs: 1, batch_size: 50}
      evaluation: {iwae_k: 2, iwae_items: 10}
      """;

  private static String config(String prior, String encoder) {
    return CONFIG.replace("PRIOR", prior).replace("ENCODER", encoder);
  }

  private static final String MLP = "{type: gaussian-mlp, hidden: [16]}";

  @Test
  void defaultsAndBadValuesNameTheField() {
    assertThat(LOADER.parse(config("{type: mixture}", MLP), "c.yaml").model().prior())
        .isEqualTo(new MixturePriorSpec(10));
    assertThat(LOADER.parse(config("{type: vamp}", MLP), "c.yaml").model().prior())
        .isEqualTo(new VampPriorSpec(500));
    assertThatThrownBy(() -> LOADER.parse(config("{type: mixture, components: 0}", MLP), "c.yaml"))
        .hasMessageContaining("c.yaml: model.prior").hasMessageContaining("components must be at least 1, got 0");
    assertThatThrownBy(() -> LOADER.parse(config("{type: vamp, pseudo_inputs: 0}", MLP), "c.yaml"))
        .hasMessageContaining("model.prior").hasMessageContaining("pseudo_inputs must be at least 1, got 0");
  }

  @Test
  void theAssemblerHandsTheVampPriorTheEncoderAndRefusesAFamilyWithoutOne() {
    ModelAssembler assembler = new ModelAssembler(PluginRegistry.load(), null);
    ExperimentSpec vamp = LOADER.parse(config("{type: vamp, pseudo_inputs: 5}", MLP), "c.yaml");
    try (AssembledModel model = assembler.model(vamp.model(), new int[] {784}, Device.cpu(), 0, 100);
        NDManager step = model.manager().newSubManager()) {
      assertThat(model.model().prior().distribution(step, 3).sample(2).getShape().getShape())
          .containsExactly(2, 3, 4);
    }
    ExperimentSpec perItem = LOADER.parse(config("{type: vamp, pseudo_inputs: 5}", "{type: per-item-gaussian}"), "c.yaml");
    assertThatThrownBy(() -> assembler.model(perItem.model(), new int[] {784}, Device.cpu(), 0, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.prior ('vamp') with model.encoder ('per-item-gaussian')")
        .hasMessageContaining("has no encoder");
  }

  @Test
  void morePseudoInputsThanTrainingItemsFailsBeforeTraining(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("vamp.yaml"), config("{type: vamp, pseudo_inputs: 101}", MLP));
    CliTest.Result result = CliTest.execute("train", config.toString(), "--out", dir.resolve("run").toString());
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.err()).contains("vi4j: error: model.prior ('vamp'): pseudo_inputs: 101 pseudo-inputs, more than"
        + " the 100 items of the training split; use at most 100");
    assertThat(dir.resolve("run").resolve("metrics.jsonl")).doesNotExist();
  }

  /**
   * Each learned prior through every use, as a user runs them: train with checkpoints, a run cut back to
   * its first checkpoint resumed to byte-identical parameters, then sample, score, impute and embed.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"{type: mixture, components: 3}", "{type: vamp, pseudo_inputs: 7}"})
  void everyUseWorksAndTrainingResumesExactly(String prior, @TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("prior.yaml"), config(prior, MLP)
        .replace("train_size: 100, test_size: 20", "train_size: 300, test_size: 40")
        .replace("training: {epochs: 1, batch_size: 50}",
            "training: {epochs: 2, batch_size: 50, checkpoint: {every_steps: 4, keep: 10}}"));
    Path run = dir.resolve("run");
    CliTest.Result trained = CliTest.execute("train", config.toString(), "--out", run.toString(), "--no-progress");
    assertThat(trained.status()).as(trained.err()).isZero();
    assertThat(Files.readString(run.resolve("summary.json"))).contains("test_kl_stderr_nats");

    Path cut = KilledRuns.cutToFirstCheckpoint(run, dir.resolve("cut"));
    CliTest.Result resumed = CliTest.execute("train", "--resume", cut.toString(), "--no-progress");
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(Files.readAllBytes(cut.resolve("parameters.bin"))).isEqualTo(Files.readAllBytes(run.resolve("parameters.bin")));

    for (String[] use : new String[][] {{"sample", "--count", "10"}, {"score", "--k", "5", "--outlier-classes", "1"},
        {"impute", "--mask", "bottom-half", "--items", "5", "--iterations", "4"}, {"embed"}}) {
      String[] args = new String[use.length + 1];
      args[0] = use[0];
      args[1] = run.toString();
      System.arraycopy(use, 1, args, 2, use.length - 1);
      CliTest.Result result = CliTest.execute(args);
      assertThat(result.status()).as(use[0] + ": " + result.err()).isZero();
    }
    assertThat(run.resolve("samples/prior-samples.png")).isRegularFile();
    assertThat(run.resolve("scores/scores.json")).isRegularFile();
    assertThat(run.resolve("imputation/imputation.json")).isRegularFile();
  }
}
