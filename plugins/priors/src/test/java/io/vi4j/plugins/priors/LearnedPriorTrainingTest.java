package io.vi4j.plugins.priors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.model.EncoderAware;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Prior;
import io.vi4j.core.checkpoint.CheckpointStore;
import io.vi4j.core.checkpoint.Checkpointing;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.eval.FittedPosteriors;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.ReparameterizedTestEstimator;
import io.vi4j.core.testing.TinyMlpModel;
import io.vi4j.core.train.SviTrainer;
import io.vi4j.core.train.TrainingListener;
import io.vi4j.core.uses.Generation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both learned priors trained by the ordinary trainer: their parameters move, a run resumed mid-epoch into a
 * model initialized differently ends identical to the uninterrupted run, prior samples decode, and the test
 * −ELBO carries a Monte-Carlo KL with its standard error.
 */
class LearnedPriorTrainingTest {
  private static final DataSplits DATA = new DataSplits(
      SpritesDataset.train(200, 41).dataset(), SpritesDataset.test(40, 41).dataset(), Binarization.DYNAMIC);
  private static final Evaluator EVALUATOR = new Evaluator(new EvaluationSpec(1, 0, 1, 1 << 20));
  private static final TrainingSpec SPEC = new TrainingSpec(2, 50, 1e-2, null, null, null, null, 0.5, null);
  private static final int LATENT = 3;

  private static AssembledModel model(long seed, Function<NDManager, Prior> prior) {
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(seed);
    LatentVariableModel vae = TinyMlpModel.build(manager, 784, LATENT, 24);
    Prior p = prior.apply(manager);
    if (p instanceof EncoderAware aware) {
      aware.bindEncoder(vae.encoder());
    }
    return new AssembledModel(new LatentVariableModel(p, vae.encoder(), vae.decoder(), 784), manager);
  }

  private static List<float[]> parameters(AssembledModel model) {
    List<float[]> all = new ArrayList<>();
    model.model().parameters().forEach(p -> all.add(p.getValue().getArray().toFloatArray()));
    return all;
  }

  private static void resumesExactly(Function<NDManager, Prior> prior, Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 100);
    List<float[]> reference;
    float[] initialPrior;
    try (AssembledModel model = model(5, prior)) {
      initialPrior = model.model().prior().parameters().get(0).getValue().getArray().toFloatArray();
      new SviTrainer(SPEC, new ReparameterizedTestEstimator(), EVALUATOR, 6)
          .fit(model, DATA, new TrainingListener() {}, new Checkpointing(store, 3, "digest", null));
      reference = parameters(model);
      assertThat(model.model().prior().parameters().get(0).getValue().getArray().toFloatArray())
          .as("the prior's parameters are trained").isNotEqualTo(initialPrior);
      float[] images = Generation.priorSamples(model, 4, false);
      assertThat(images).hasSize(4 * 784);
      ElboReport test = EVALUATOR.negativeElbo(model, DATA.test());
      assertThat(test.kl()).isFinite().isGreaterThan(0);
      assertThat(test.klStandardError()).as("Monte-Carlo KL's standard error").isFinite().isGreaterThan(0)
          .isLessThan(Math.abs(test.kl()));
    }
    Path midEpoch = store.list().get(0); // after step 3 of 4
    try (AssembledModel model = model(99, prior)) {
      new SviTrainer(SPEC, new ReparameterizedTestEstimator(), EVALUATOR, 6).fit(model, DATA,
          new TrainingListener() {}, new Checkpointing(null, 0, "digest", CheckpointStore.read(midEpoch)));
      List<float[]> resumed = parameters(model);
      assertThat(resumed).hasSameSizeAs(reference);
      for (int i = 0; i < reference.size(); i++) {
        assertThat(resumed.get(i)).as("parameter %d", i).containsExactly(reference.get(i));
      }
    }
  }

  @Test
  void theMixturePriorTrainsAndResumesExactly(@TempDir Path dir) throws Exception {
    resumesExactly(m -> new MixtureOfGaussiansPrior(m, 4, LATENT), dir);
  }

  @Test
  void theVampPriorTrainsAndResumesExactly(@TempDir Path dir) throws Exception {
    resumesExactly(m -> new VampPrior(m, 10, 784, LATENT), dir);
  }
  @Test
  void theKlsStandardErrorMatchesTheSpreadOfRepeatedEvaluations() {
    Evaluator twoDraws = new Evaluator(new EvaluationSpec(1, 0, 2, 1 << 20));
    int runs = 30;
    double[] kl = new double[runs];
    double stderr = 0;
    try (AssembledModel model = model(5, m -> new MixtureOfGaussiansPrior(m, 4, LATENT))) {
      for (int r = 0; r < runs; r++) {
        Engines.seed(100 + r);
        ElboReport report = twoDraws.negativeElbo(model, DATA.test());
        kl[r] = report.kl();
        stderr += report.klStandardError() / runs;
      }
      assertThat(twoDraws.hasMonteCarloKl(model, DATA.test(), FittedPosteriors.none())).isTrue();
    }
    double mean = java.util.Arrays.stream(kl).average().orElseThrow();
    double spread = Math.sqrt(java.util.Arrays.stream(kl).map(x -> (x - mean) * (x - mean)).sum() / (runs - 1));
    assertThat(spread / stderr).as("observed spread %s against reported standard error %s", spread, stderr)
        .isBetween(0.6, 1.5);
    // A closed-form KL (the standard normal) reports none.
    try (AssembledModel model = model(5, m -> new StandardNormalPrior(LATENT))) {
      assertThat(twoDraws.negativeElbo(model, DATA.test()).klStandardError()).isNaN();
      assertThat(twoDraws.hasMonteCarloKl(model, DATA.test(), FittedPosteriors.none())).isFalse();
    }
  }
}
