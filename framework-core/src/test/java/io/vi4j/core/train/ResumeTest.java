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
import io.vi4j.core.config.EvaluationSpec;
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
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(initSeed);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 3, 24), manager)) {
      List<EpochMetrics> history = new SviTrainer(SPEC, new CountingEstimator(manager, poisonAtCall), EVALUATOR, 5)
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
      assertThat(new double[] {a.trainNegElbo(), a.trainKl(), a.testNegElbo(), a.testKl()})
          .containsExactly(b.trainNegElbo(), b.trainKl(), b.testNegElbo(), b.testKl());
    }
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
