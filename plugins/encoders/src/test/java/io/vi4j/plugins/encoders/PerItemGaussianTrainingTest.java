package io.vi4j.plugins.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.model.LatentVariableModel;
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
import io.vi4j.core.testing.StandardNormalTestPrior;
import io.vi4j.core.testing.TinyMlpModel;
import io.vi4j.core.train.EpochMetrics;
import io.vi4j.core.train.SviTrainer;
import io.vi4j.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variational EM with a posterior per training item, trained by the ordinary trainer: only a minibatch's
 * rows move in a step, training lowers the −ELBO, test items get posteriors fitted with the model fixed,
 * and a resumed run ends identical to an uninterrupted one.
 */
class PerItemGaussianTrainingTest {
  private static final DataSplits DATA = new DataSplits(
      SpritesDataset.train(200, 31).dataset(), SpritesDataset.test(40, 31).dataset(), Binarization.DYNAMIC);
  private static final Evaluator EVALUATOR = new Evaluator(new EvaluationSpec(1, 0, 1, 1 << 20));
  private static final int LATENT = 3;

  private static AssembledModel model(long seed, PerItemGaussianSpec spec) {
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(seed);
    LatentVariableModel vae = TinyMlpModel.build(manager, 784, LATENT, 24);
    PerItemGaussian family = new PerItemGaussian(manager, DATA.train().rows(), LATENT, spec);
    return new AssembledModel(
        new LatentVariableModel(new StandardNormalTestPrior(LATENT), family, vae.decoder(), 784), manager);
  }

  private static PerItemGaussian family(AssembledModel model) {
    return (PerItemGaussian) model.model().encoder();
  }

  /** @return how many rows of {@code p} values differ between {@code before} and {@code after} */
  private static int rowsChanged(float[] before, float[] after, int p) {
    int changed = 0;
    for (int i = 0; i < before.length / p; i++) {
      boolean same = true;
      for (int j = 0; j < p; j++) {
        same &= before[i * p + j] == after[i * p + j];
      }
      changed += same ? 0 : 1;
    }
    return changed;
  }

  @Test
  void aStepMovesTheRowsOfItsMinibatchOnly() {
    // Two epochs of 4 steps of 50 items: under dense Adam the rows of earlier minibatches would keep moving
    // with their momentum; here each step changes exactly its own 50 rows.
    List<Integer> changedPerStep = new ArrayList<>();
    try (AssembledModel model = model(1, PerItemGaussianSpec.defaults())) {
      float[][] last = {family(model).table().toFloatArray()};
      new SviTrainer(new TrainingSpec(2, 50, 1e-3, null, null, null, null), new ReparameterizedTestEstimator(),
          EVALUATOR, 3, 1).fit(model, DATA, new TrainingListener() {
            @Override
            public void stepDone(int epoch, int step, double running) {
              float[] now = family(model).table().toFloatArray();
              changedPerStep.add(rowsChanged(last[0], now, 2 * LATENT));
              last[0] = now;
            }
          });
      assertThat(changedPerStep).containsExactly(50, 50, 50, 50, 50, 50, 50, 50);
      // The table is not a parameter of the model's optimizer: it has no gradient of its own.
      assertThat(family(model).table().hasGradient()).isFalse();
    }
  }

  @Test
  void trainingLowersTheElboAndTestItemsAreFittedWithTheModelFixed() {
    try (AssembledModel model = model(2, new PerItemGaussianSpec(null, 40, null, null))) {
      ElboReport before = EVALUATOR.negativeElbo(model, DATA.test());
      List<EpochMetrics> history = new SviTrainer(new TrainingSpec(8, 25, 3e-3, null, null, null, 8),
          new ReparameterizedTestEstimator(), EVALUATOR, 4).fit(model, DATA);
      assertThat(history.get(7).trainNegElbo()).isLessThan(history.get(0).trainNegElbo() - 50);
      List<float[]> decoder = new ArrayList<>();
      model.model().decoder().parameters().forEach(p -> decoder.add(p.getValue().getArray().toFloatArray()));
      ElboReport after = EVALUATOR.negativeElbo(model, DATA.test());
      assertThat(after.negativeElbo()).isLessThan(before.negativeElbo() - 50);
      assertThat(after.inferenceSeconds()).isPositive();
      // Fitting test items changes neither the model nor the training items' rows.
      List<float[]> decoderAfter = new ArrayList<>();
      model.model().decoder().parameters().forEach(p -> decoderAfter.add(p.getValue().getArray().toFloatArray()));
      for (int i = 0; i < decoder.size(); i++) {
        assertThat(decoderAfter.get(i)).containsExactly(decoder.get(i));
      }
      // More fitting steps, a better bound: the rows are optimized, not left at the prior.
      assertThat(negativeElboAfterFitting(model, 60)).isLessThan(negativeElboAfterFitting(model, 1) - 10);
    }
  }

  /** @return the test −ELBO of the trained model's decoder after fitting test rows for {@code steps} steps */
  private static double negativeElboAfterFitting(AssembledModel trained, int steps) {
    PerItemGaussian family = new PerItemGaussian(trained.manager(), 1, LATENT,
        new PerItemGaussianSpec(null, steps, null, null));
    AssembledModel view = new AssembledModel(new LatentVariableModel(
        trained.model().prior(), family, trained.model().decoder(), 784), trained.manager());
    try (FittedPosteriors fitted = FittedPosteriors.fit(view, DATA.test(), DATA.test().rows(), 16)) {
      assertThat(fitted.steps()).isEqualTo(steps);
      assertThat(fitted.items()).isEqualTo(40);
      return EVALUATOR.negativeElbo(view, DATA.test(), fitted).negativeElbo();
    }
  }

  @Test
  void aRunResumedFromACheckpointEndsIdenticalToTheUninterruptedRun(@TempDir Path dir) throws Exception {
    TrainingSpec spec = new TrainingSpec(2, 50, 1e-2, null, null, null, null, 0.5, null);
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 100);
    List<float[]> reference = new ArrayList<>();
    try (AssembledModel model = model(5, PerItemGaussianSpec.defaults())) {
      new SviTrainer(spec, new ReparameterizedTestEstimator(), EVALUATOR, 6)
          .fit(model, DATA, new TrainingListener() {}, new Checkpointing(store, 3, "digest", null));
      model.model().parameters().forEach(p -> reference.add(p.getValue().getArray().toFloatArray()));
    }
    Path midEpoch = store.list().get(0); // after step 3 of 4: some rows updated once, some not yet
    try (AssembledModel model = model(77, PerItemGaussianSpec.defaults())) {
      new SviTrainer(spec, new ReparameterizedTestEstimator(), EVALUATOR, 6).fit(model, DATA,
          new TrainingListener() {}, new Checkpointing(null, 0, "digest", CheckpointStore.read(midEpoch)));
      List<float[]> resumed = new ArrayList<>();
      model.model().parameters().forEach(p -> resumed.add(p.getValue().getArray().toFloatArray()));
      assertThat(resumed).hasSameSizeAs(reference);
      for (int i = 0; i < reference.size(); i++) {
        assertThat(resumed.get(i)).containsExactly(reference.get(i));
      }
    }
  }

  @Test
  void aPosteriorWithoutBoundRowsIsAClearError() {
    try (AssembledModel model = model(3, PerItemGaussianSpec.defaults());
        NDManager manager = model.manager().newSubManager()) {
      NDArray batch = manager.zeros(new ai.djl.ndarray.types.Shape(4, 784));
      assertThatThrownBy(() -> model.model().encoder().posterior(batch))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("per-item-gaussian has no encoder");
      try (var bound = family(model).bind(manager.zeros(new ai.djl.ndarray.types.Shape(3, 2 * LATENT)))) {
        assertThatThrownBy(() -> model.model().encoder().posterior(batch))
            .hasMessageContaining("a batch of 4 items, but 3 rows of parameters are bound");
      }
    }
  }

  @Test
  void aModelBuiltWithoutTheTrainingSplitsSizeIsRefused() {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      assertThatThrownBy(() -> new PerItemGaussian(manager, 0, 2, PerItemGaussianSpec.defaults()))
          .hasMessageContaining("needs the training split's size");
    }
  }
}
