package io.vi4j.core.train;

import io.vi4j.core.checkpoint.Checkpointing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.CheckpointStore;
import io.vi4j.api.kit.elbo.ElboTerms;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.core.config.EarlyStoppingSpec;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.core.config.KlWeightSpec;
import io.vi4j.core.config.LrScheduleSpec;
import io.vi4j.core.config.ValidationSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.ReparameterizedTestEstimator;
import io.vi4j.core.testing.TinyMlpModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming from any checkpoint, in process: 200 items in batches of 50 (4 steps per epoch) for 2 epochs
 * under dynamic binarization, a checkpoint every 3 steps and at epoch ends (steps 3, 4, 6, 8). A run
 * resumed from each of them, into a model initialized differently, ends with parameters and metrics
 * identical to the uninterrupted run's.
 */
class ResumeTest {
  private static final DataSplits DATA = new DataSplits(
      SpritesDataset.train(200, 21).dataset(), SpritesDataset.test(40, 21).dataset(), Binarization.DYNAMIC);
  private static final TrainingSpec SPEC = new TrainingSpec(2, 50, 1e-2, null, null, null, null, 0.5, null);
  private static final Evaluator EVALUATOR = new Evaluator(new EvaluationSpec(0, 0, 1, 1 << 20));

  /**
   * Every schedule at once, with 160 of the 200 items trained on (4 steps per epoch) for at most 5 epochs: β
   * rises over the first 2 epochs (steps 0-7), reduce-on-plateau asks for a 99 % improvement, so epochs 2
   * and 3 are bad and epoch 4 trains at half the rate, and early stopping counts only improvements by more
   * than 1e9 nats, so it stops after epoch 4 (patience 3) and restores epoch 1's parameters. Checkpoints at
   * steps 3, 4, 6 lie in the warm-up, at 8, 9, 12 in the plateau's and early stopping's patience.
   */
  private static final TrainingSpec SCHEDULED = new TrainingSpec(5, 40, 1e-2, null, null, null, 2, 0.5, null)
      .withSchedules(KlWeightSpec.warmup(0.1, 1.0, 2), new LrScheduleSpec.ReduceOnPlateau(0.5, 1, 0.99, 0, null),
          ValidationSpec.items(40, 5), new EarlyStoppingSpec(3, 1e9, true));

  /** A stateful estimator: reparameterization plus a running count, which a checkpoint must hold. */
  private static final class CountingEstimator implements GradientEstimator {
    private final ReparameterizedTestEstimator inner = new ReparameterizedTestEstimator();
    private final NDArray count;
    private final int poisonAtCall;

    CountingEstimator(NDManager manager, int poisonAtCall) {
      this.count = manager.zeros(new ai.djl.ndarray.types.Shape());
      this.poisonAtCall = poisonAtCall;
    }

    @Override
    public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
      count.addi(1f);
      ElboEstimate e = inner.estimate(model, batch);
      // The count enters the loss, so a resumed run that lost it would end elsewhere.
      NDArray loss = e.loss().add(count.mul(1e-3f).mul(e.kl().mean()));
      // The poisoned call is counted in the running state too: the divergence guard replays a window's steps.
      return new ElboEstimate(count.getFloat() == poisonAtCall ? loss.mul(Float.NaN) : loss, e.reconstruction(),
          e.kl());
    }

    /** The same with the KL's gradient weighted by β. */
    @Override
    public ElboEstimate estimate(LatentVariableModel model, NDArray batch, double klWeight) {
      if (klWeight == 1.0) {
        return estimate(model, batch);
      }
      count.addi(1f);
      ElboTerms terms = ElboTerms.estimate(model, batch, 1, true);
      NDArray loss = terms.reconstruction().add(NdMath.times(terms.kl(), klWeight)).mean()
          .add(count.mul(1e-3f).mul(terms.kl().stopGradient().mean()));
      return new ElboEstimate(loss, terms.reconstruction().stopGradient(), terms.kl().stopGradient());
    }

    @Override
    public boolean supportsKlWeight() {
      return true;
    }

    @Override
    public Map<String, NDArray> runningState() {
      return Map.of("count", count);
    }

    @Override
    public Set<Capability> requiredPosteriorCapabilities() {
      return inner.requiredPosteriorCapabilities();
    }
  }

  private record Outcome(List<float[]> parameters, List<EpochMetrics> history) {}

  private static Outcome train(long initSeed, Checkpointing checkpointing) {
    return train(initSeed, checkpointing, -1);
  }

  private static Outcome train(long initSeed, Checkpointing checkpointing, int poisonAtCall) {
    return train(SPEC, initSeed, checkpointing, poisonAtCall);
  }

  private static Outcome train(TrainingSpec spec, long initSeed, Checkpointing checkpointing, int poisonAtCall) {
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(initSeed);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 3, 24), manager)) {
      List<EpochMetrics> history = new SviTrainer(spec, new CountingEstimator(manager, poisonAtCall), EVALUATOR, 5)
          .fit(model, DATA, new TrainingListener() {}, checkpointing);
      List<float[]> parameters = new ArrayList<>();
      model.model().parameters().forEach(p -> parameters.add(p.getValue().getArray().toFloatArray()));
      return new Outcome(parameters, history);
    }
  }

  private static void assertSame(Outcome resumed, Outcome reference) {
    assertThat(resumed.parameters()).hasSameSizeAs(reference.parameters());
    for (int i = 0; i < reference.parameters().size(); i++) {
      assertThat(resumed.parameters().get(i)).containsExactly(reference.parameters().get(i));
    }
    assertThat(resumed.history()).hasSameSizeAs(reference.history());
    for (int i = 0; i < reference.history().size(); i++) {
      EpochMetrics a = resumed.history().get(i);
      EpochMetrics b = reference.history().get(i);
      assertThat(new double[] {a.trainNegElbo(), a.trainKl(), a.testNegElbo(), a.testKl(), a.learningRate(),
          a.klWeight(), a.validationNegElbo(), a.validationKl()})
          .containsExactly(b.trainNegElbo(), b.trainKl(), b.testNegElbo(), b.testKl(), b.learningRate(), b.klWeight(),
              b.validationNegElbo(), b.validationKl());
      assertThat(a.stoppedEarly()).isEqualTo(b.stoppedEarly());
    }
  }

  @Test
  void aRunResumedMidWarmUpMidScheduleAndMidPatienceEndsIdenticalToTheUninterruptedRun(@TempDir Path dir)
      throws IOException {
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 100);
    Outcome reference = train(SCHEDULED, 1, new Checkpointing(store, 3, "digest", null), -1);
    // The schedules did what the comment above says.
    List<EpochMetrics> h = reference.history();
    assertThat(h).hasSize(4);
    assertThat(h.get(3).stoppedEarly()).isTrue();
    assertThat(h.stream().mapToDouble(EpochMetrics::klWeight).toArray())
        .containsExactly(new double[] {0.4375, 0.8875, 1, 1}, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(h.stream().mapToDouble(EpochMetrics::learningRate).toArray()).containsExactly(1e-2, 1e-2, 1e-2, 5e-3);
    assertThat(h.stream().mapToDouble(EpochMetrics::validationNegElbo).allMatch(Double::isFinite)).isTrue();
    List<Path> written = store.list();
    assertThat(written.stream().map(p -> p.getFileName().toString())).containsExactly("step-000000000003",
        "step-000000000004", "step-000000000006", "step-000000000008", "step-000000000009", "step-000000000012",
        "step-000000000015", "step-000000000016");
    for (Path checkpoint : written) {
      Outcome resumed = train(SCHEDULED, 99, new Checkpointing(null, 0, "digest", CheckpointStore.read(checkpoint)), -1);
      assertSame(resumed, reference);
    }
    // Epoch 1's parameters were restored: without restore_best the run ends elsewhere.
    TrainingSpec keepLast = SCHEDULED.withSchedules(SCHEDULED.klWeight(), SCHEDULED.lrSchedule(), SCHEDULED.validation(),
        new EarlyStoppingSpec(3, 1e9, false));
    assertThat(reference.parameters().get(0)).isNotEqualTo(train(keepLast, 1, Checkpointing.none(), -1).parameters().get(0));
  }

  /**
   * A checkpoint written before the schedules existed (its metrics without learning rate, KL weight,
   * validation figures and stopped_early) resumes, and the figures it lacked are filled in.
   */
  @Test
  void aCheckpointWithoutTheScheduleFiguresResumesAndGetsThemFilledIn(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 100);
    Outcome reference = train(1, new Checkpointing(store, 3, "digest", null));
    Path at = store.list().get(2); // step 6: epoch 1's figures are in it
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode trainer =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(at.resolve(CheckpointStore.TRAINER).toFile());
    for (var metrics : trainer.get("metrics")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) metrics).remove(List.of("learning_rate", "kl_weight",
          "validation_neg_elbo", "validation_reconstruction", "validation_kl", "stopped_early"));
    }
    byte[] bytes = json.writeValueAsBytes(trainer);
    java.nio.file.Files.write(at.resolve(CheckpointStore.TRAINER), bytes);
    com.fasterxml.jackson.databind.node.ObjectNode manifest =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(at.resolve(CheckpointStore.MANIFEST).toFile());
    for (var file : manifest.get("files")) {
      if (file.get("name").asText().equals(CheckpointStore.TRAINER)) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) file).put("bytes", bytes.length)
            .put("sha256", CheckpointStore.sha256(bytes));
      }
    }
    json.writeValue(at.resolve(CheckpointStore.MANIFEST).toFile(), manifest);
    Checkpoint old = CheckpointStore.read(at);
    assertThat(old.trainer().metrics().get(0).learningRate()).isNaN();
    assertThat(old.trainer().metrics().get(0).klWeight()).isNaN();
    Outcome resumed = train(99, new Checkpointing(null, 0, "digest", old));
    assertSame(resumed, reference);
    assertThat(resumed.history().get(0).learningRate()).isEqualTo(1e-2);
    assertThat(resumed.history().get(0).klWeight()).isEqualTo(1.0);
  }

  @Test
  void aRunResumedFromEachCheckpointEndsIdenticalToTheUninterruptedRun(@TempDir Path dir) throws IOException {
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 100);
    Outcome reference = train(1, new Checkpointing(store, 3, "digest", null));
    List<Path> written = store.list();
    assertThat(written.stream().map(p -> p.getFileName().toString()))
        .containsExactly("step-000000000003", "step-000000000004", "step-000000000006", "step-000000000008");
    for (Path checkpoint : written) {
      Outcome resumed = train(99, new Checkpointing(null, 0, "digest", CheckpointStore.read(checkpoint)));
      assertSame(resumed, reference);
    }
    // Without a checkpoint the same seed gives the same run (the noise is a function of the position).
    assertSame(train(1, Checkpointing.none()), reference);
  }

  @Test
  void aCheckpointOfAnotherConfigOrDataIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 2);
    train(1, new Checkpointing(store, 3, "digest", null));
    Checkpoint last = store.latest().orElseThrow().checkpoint();
    assertThatThrownBy(() -> train(1, new Checkpointing(null, 0, "other", last)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkpoint at step 8: written by a run of another config");
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 3, 24), manager)) {
      TrainingSpec otherBatch = new TrainingSpec(2, 40, 1e-2, null, null, null, null);
      assertThatThrownBy(() -> new SviTrainer(otherBatch, new CountingEstimator(manager, -1), EVALUATOR, 5)
              .fit(model, DATA, new TrainingListener() {}, new Checkpointing(null, 0, "digest", last)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("written for 200 training items in batches of 50 (4 steps per epoch), but the data"
              + " and config give 200 items in batches of 40 (5)");
    }
    NDManager wider = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(wider, 784, 3, 32), wider)) {
      assertThatThrownBy(() -> new SviTrainer(SPEC, new CountingEstimator(wider, -1), EVALUATOR, 5)
              .fit(model, DATA, new TrainingListener() {}, new Checkpointing(null, 0, "digest", last)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("checkpoint at step 8: parameter '")
          .hasMessageContaining("the checkpoint holds float32 (24, 784), the model built from the config has float32 (32, 784)");
    }
  }

  @Test
  void afterDivergenceTheLastGoodCheckpointLoadsAndResumes(@TempDir Path dir) throws IOException {
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 3);
    assertThatThrownBy(() -> train(1, new Checkpointing(store, 2, "digest", null), 7))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("epoch 2, step 3: the loss is NaN");
    CheckpointStore.Loaded last = store.latest().orElseThrow();
    assertThat(last.refused()).isEmpty();
    assertThat(last.checkpoint().trainer().globalStep()).isEqualTo(6);
    Outcome reference = train(1, Checkpointing.none());
    assertSame(train(42, new Checkpointing(null, 0, "digest", last.checkpoint())), reference);
  }
}
