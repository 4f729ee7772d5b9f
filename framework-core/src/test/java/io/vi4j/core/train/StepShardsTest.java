package io.vi4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.api.kit.math.RowNoise;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.ReparameterizedTestEstimator;
import io.vi4j.core.testing.TinyMlpModel;
import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.CheckpointStore;
import io.vi4j.core.checkpoint.Checkpointing;
import io.vi4j.core.checkpoint.TrainerState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepShardsTest {

  @Test
  void slicesDifferInSizeByAtMostOneTheLargerFirst() {
    assertThat(StepShards.bounds(0, 128, 2)).containsExactly(0, 64, 128);
    assertThat(StepShards.bounds(0, 5, 2)).containsExactly(0, 3, 5);
    assertThat(StepShards.bounds(10, 17, 3)).containsExactly(10, 13, 15, 17);
    assertThat(StepShards.bounds(4, 5, 1)).containsExactly(4, 5);
    assertThatThrownBy(() -> StepShards.bounds(0, 2, 3)).hasMessage("2 rows cannot be cut into 3 slices");
  }

  @Test
  void theSplitIsChosenByCoresAndBatchOrAsConfigured() {
    assertThat(StepThreads.slicesFor(0, 128, 2, true, true, "E")).as("the reference VAE, 2 cores").isEqualTo(2);
    assertThat(StepThreads.slicesFor(0, 1024, 16, true, true, "E")).isEqualTo(16);
    assertThat(StepThreads.slicesFor(0, 128, 16, true, true, "E")).as("64 rows a slice at least").isEqualTo(2);
    assertThat(StepThreads.slicesFor(0, 127, 2, true, true, "E")).isEqualTo(1);
    assertThat(StepThreads.slicesFor(0, 32, 2, true, true, "E")).isEqualTo(1);
    assertThat(StepThreads.slicesFor(0, 128, 1, true, true, "E")).as("one core").isEqualTo(1);
    assertThat(StepThreads.slicesFor(0, 128, 2, false, true, "E")).as("not separable").isEqualTo(1);
    assertThat(StepThreads.slicesFor(0, 128, 2, true, false, "E")).as("a GPU").isEqualTo(1);
    assertThat(StepThreads.slicesFor(1, 1024, 16, true, true, "E")).as("training.shards: 1").isEqualTo(1);
    assertThat(StepThreads.slicesFor(3, 32, 2, true, true, "E")).as("asked for").isEqualTo(3);
    assertThat(StepThreads.slicesFor(8, 5, 2, true, true, "E")).as("at most a slice per row").isEqualTo(5);
    assertThatThrownBy(() -> StepThreads.slicesFor(2, 128, 2, false, true, "ScoreFunctionEstimator"))
        .hasMessageStartingWith("training.shards: 2 needs an objective separable over the minibatch's rows, and"
            + " ScoreFunctionEstimator is not");
    assertThatThrownBy(() -> StepThreads.slicesFor(2, 128, 2, true, false, "E"))
        .hasMessageContaining("but the model is on a GPU");
  }

  @Test
  void slicesRunSideBySideOnOneEngineThreadEachAndReturnInOrder() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Integer> engineThreads = new ArrayList<>();
    String caller = Thread.currentThread().getName();
    try (StepShards shards = new StepShards(3)) {
      assertThat(shards.partner()).isNotNull();
      for (int repeat = 0; repeat < 20; repeat++) {
        List<Integer> results = shards.run(3, s -> {
          if (s == 0) {
            sleep(5); // long enough for the workers to take their slices
          }
          threads.add(Thread.currentThread().getName());
          if (!Thread.currentThread().getName().equals(caller)) {
            synchronized (engineThreads) {
              engineThreads.add(Engines.threads());
            }
          }
          return s * 10;
        });
        assertThat(results).containsExactly(0, 10, 20);
      }
      assertThat(shards.run(2, s -> s)).as("a short last batch").containsExactly(0, 1);
      sleep(20); // longer than the workers spin: they sleep, and are woken by the next step
      assertThat(shards.run(3, s -> s)).containsExactly(0, 1, 2);
    }
    assertThat(threads).hasSize(3).contains(caller);
    assertThat(engineThreads).isNotEmpty().containsOnly(1);
  }

  /** A task its thread has not started by the time the caller needs it runs on the caller, once. */
  @Test
  void aTaskNotYetStartedIsTakenBackByTheCaller() throws InterruptedException {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    try (HandOffThread worker = new HandOffThread("vi4j-test-hand-off", () -> {})) {
      HandOffThread.Pending<String> busy = worker.submit(() -> {
        release.await();
        return Thread.currentThread().getName();
      });
      HandOffThread.Pending<String> queued = worker.submit(() -> {
        runs.incrementAndGet();
        return Thread.currentThread().getName();
      });
      assertThat(queued.runHereOrJoin()).isEqualTo(Thread.currentThread().getName());
      release.countDown();
      assertThat(busy.join()).isEqualTo("vi4j-test-hand-off");
      assertThat(worker.submit(() -> Thread.currentThread().getName()).join()).isEqualTo("vi4j-test-hand-off");
      assertThat(runs).hasValue(1);
    }
  }

  @Test
  void aSliceThatFailsFailsTheStepAfterEverySliceHasEnded() {
    try (StepShards shards = new StepShards(2)) {
      boolean[] otherEnded = new boolean[1];
      assertThatThrownBy(() -> shards.run(2, s -> {
        if (s == 1) {
          throw new IllegalArgumentException("slice 1 went wrong");
        }
        return s;
      })).isInstanceOf(IllegalArgumentException.class).hasMessage("slice 1 went wrong");
      assertThatThrownBy(() -> shards.run(2, s -> {
        if (s == 0) {
          throw new IllegalStateException("slice 0 went wrong");
        }
        sleep(50);
        otherEnded[0] = true;
        return s;
      })).hasMessage("slice 0 went wrong");
      assertThat(otherEnded[0]).as("the worker's slice ended before the step failed").isTrue();
      assertThat(shards.run(2, s -> s)).as("the threads still work").containsExactly(0, 1);
    }
  }

  /**
   * The engine adds each slice's gradient into the parameters' under a lock, in whichever order the slices
   * end: with two slices the sum is the same bit for bit either way, and it is the gradient of the whole
   * minibatch's mean loss up to rounding.
   */
  @Test
  void slicedGradientsAreTheWholeBatchsAndDoNotDependOnWhichSliceEndsFirst() {
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(11);
    int engine = Engines.threads();
    Engines.setThreads(1); // as a sliced fit's training thread (the matrix products' sums depend on the threads)
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 4, 32), manager)) {
      NDArray batch = manager.create(SpritesDataset.train(96, 5).dataset().values(), new Shape(96, 784));
      long[] seeds = new long[96];
      for (int i = 0; i < 96; i++) {
        seeds[i] = RowNoise.rowSeed(42, i);
      }
      List<Pair<String, Parameter>> parameters = new ArrayList<>();
      model.model().parameters().forEach(parameters::add);
      float[][] whole = gradients(model.model(), parameters, batch, seeds, new int[][] {{0, 96}});
      float[][] inOrder = gradients(model.model(), parameters, batch, seeds, new int[][] {{0, 48}, {48, 96}});
      float[][] reversed = gradients(model.model(), parameters, batch, seeds, new int[][] {{48, 96}, {0, 48}});
      float[][] threaded;
      try (StepShards shards = new StepShards(2)) {
        threaded = threadedGradients(model.model(), parameters, batch, seeds, shards);
      }
      for (int p = 0; p < whole.length; p++) {
        assertThat(reversed[p]).as(parameters.get(p).getKey()).containsExactly(inOrder[p]);
        assertThat(threaded[p]).as(parameters.get(p).getKey()).containsExactly(inOrder[p]);
        float scale = 0;
        for (float v : whole[p]) {
          scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).isPositive();
        for (int i = 0; i < whole[p].length; i++) {
          assertThat(Math.abs(inOrder[p][i] - whole[p][i])).as(parameters.get(p).getKey() + "[" + i + "]")
              .isLessThanOrEqualTo(1e-5f * scale);
        }
      }
    } finally {
      Engines.setThreads(engine);
    }
  }

  /**
   * A fit whose steps are cut into two slices: run twice, it ends with the same parameters bit for bit
   * (each row's noise is its own, and the engine's sum of two gradients does not depend on their order);
   * it says so before the first step, and it trains about as well as the fit with whole steps.
   */
  @Test
  void aSlicedFitIsRepeatableAndTrainsAsTheWholeOne() {
    DataSplits data = new DataSplits(
        SpritesDataset.train(1024, 5).dataset(), SpritesDataset.test(256, 5).dataset(), Binarization.DYNAMIC);
    List<Integer> chosen = new ArrayList<>();
    Fit first = fit(data, 2, chosen);
    Fit second = fit(data, 2, new ArrayList<>());
    Fit whole = fit(data, 1, new ArrayList<>());
    assertThat(chosen).containsExactly(2, 128);
    assertThat(second.parameters).hasSameSizeAs(first.parameters);
    for (int p = 0; p < first.parameters.size(); p++) {
      assertThat(second.parameters.get(p)).containsExactly(first.parameters.get(p));
    }
    assertThat(first.testNegativeElbo).isNotEqualTo(whole.testNegativeElbo); // other noise, other sums
    // 175.0 against 176.8 here: the spread of a change of seed on this small data
    assertThat(Math.abs(first.testNegativeElbo - whole.testNegativeElbo) / whole.testNegativeElbo).isLessThan(0.03);
    assertThat(first.testNegativeElbo).isLessThan(0.5 * first.firstEpochNegativeElbo);
  }

  /**
   * Exact resume holds for sliced steps: 200 items in batches of 50 cut into two slices, 2 epochs under
   * dynamic binarization, a checkpoint every 3 steps; a run resumed from each checkpoint into a model
   * initialized otherwise ends with the uninterrupted run's parameters and figures, bit for bit.
   */
  @Test
  void aSlicedRunResumedFromEachCheckpointEndsIdenticalToTheUninterruptedRun(@TempDir Path dir) throws IOException {
    DataSplits data = new DataSplits(
        SpritesDataset.train(200, 21).dataset(), SpritesDataset.test(40, 21).dataset(), Binarization.DYNAMIC);
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 100);
    Fit reference = resumable(data, 1, new Checkpointing(store, 3, "digest", null));
    List<Path> written = store.list();
    assertThat(written).hasSize(4);
    for (Path checkpoint : written) {
      Fit resumed = resumable(data, 99, new Checkpointing(null, 0, "digest", CheckpointStore.read(checkpoint)));
      for (int p = 0; p < reference.parameters.size(); p++) {
        assertThat(resumed.parameters.get(p)).containsExactly(reference.parameters.get(p));
      }
      assertThat(resumed.testNegativeElbo).isEqualTo(reference.testNegativeElbo);
      assertThat(resumed.firstEpochNegativeElbo).isEqualTo(reference.firstEpochNegativeElbo);
    }
  }

  /**
   * A run whose config leaves the slice count to the machine resumes with the count its checkpoint
   * records, so it continues exactly on a machine that would choose another: here the checkpoints of a run
   * in two slices of 25 rows, resumed by a config without {@code training.shards}, which would keep steps
   * of 50 rows whole on any machine. A recorded count a step cannot hold is refused, naming it.
   */
  @Test
  void aResumedRunKeepsTheSliceCountItsCheckpointRecords(@TempDir Path dir) throws IOException {
    DataSplits data = new DataSplits(
        SpritesDataset.train(200, 21).dataset(), SpritesDataset.test(40, 21).dataset(), Binarization.DYNAMIC);
    CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 100);
    Fit reference = resumable(data, 1, 2, new Checkpointing(store, 3, "digest", null), new ArrayList<>());
    List<Path> written = store.list();
    List<Integer> chosen = new ArrayList<>();
    Checkpoint middle = CheckpointStore.read(written.get(2)); // step 6, in the second epoch
    assertThat(middle.trainer().slices()).isEqualTo(2);
    Fit resumed = resumable(data, 99, 0, new Checkpointing(null, 0, "digest", middle), chosen);
    assertThat(chosen).containsExactly(2, 50);
    for (int p = 0; p < reference.parameters.size(); p++) {
      assertThat(resumed.parameters.get(p)).containsExactly(reference.parameters.get(p));
    }
    assertThat(resumed.testNegativeElbo).isEqualTo(reference.testNegativeElbo);
    // Without the record (a checkpoint from before it), the machine chooses: whole steps, other sums
    TrainerState t = middle.trainer();
    Checkpoint unrecorded = new Checkpoint(new TrainerState(t.globalStep(), t.epoch(), t.stepsDone(), t.stepsPerEpoch(),
        t.trainItems(), t.batchSize(), t.adamStep(), t.epochSums(), t.configDigest(), t.metrics(), null), middle.tensors());
    Fit chosenHere = resumable(data, 99, 0, new Checkpointing(null, 0, "digest", unrecorded), new ArrayList<>());
    assertThat(chosenHere.testNegativeElbo).isNotEqualTo(reference.testNegativeElbo);
    Checkpoint tooMany = new Checkpoint(new TrainerState(t.globalStep(), t.epoch(), t.stepsDone(), t.stepsPerEpoch(),
        t.trainItems(), t.batchSize(), t.adamStep(), t.epochSums(), t.configDigest(), t.metrics(), 51), middle.tensors());
    assertThatThrownBy(() -> resumable(data, 99, 0, new Checkpointing(null, 0, "digest", tooMany), new ArrayList<>()))
        .hasMessage("checkpoint at step 6: steps cut into 51 slices, but a step holds 50 items");
  }

  private static Fit resumable(DataSplits data, long initSeed, Checkpointing checkpointing) {
    return resumable(data, initSeed, 2, checkpointing, new ArrayList<>());
  }

  private static Fit resumable(DataSplits data, long initSeed, int shards, Checkpointing checkpointing,
      List<Integer> chosen) {
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(initSeed);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 3, 24), manager)) {
      List<EpochMetrics> history = new SviTrainer(
          new TrainingSpec(2, 50, 1e-2, null, null, null, null, 0.5, null).withShards(shards),
          new ReparameterizedTestEstimator(true), new Evaluator(new EvaluationSpec(0, 0, 1, 1 << 20)), 5)
          .fit(model, data, new TrainingListener() {
            @Override
            public void slicesChosen(int slices, int batchSize) {
              chosen.add(slices);
              chosen.add(batchSize);
            }
          }, checkpointing);
      List<float[]> parameters = new ArrayList<>();
      model.model().parameters().forEach(p -> parameters.add(p.getValue().getArray().toFloatArray()));
      return new Fit(parameters, history.get(history.size() - 1).testNegElbo(), history.get(0).trainNegElbo());
    }
  }

  @Test
  void slicesAreRefusedWhereTheObjectiveIsNotSeparable() {
    DataSplits data = new DataSplits(
        SpritesDataset.train(256, 5).dataset(), SpritesDataset.test(64, 5).dataset(), Binarization.NONE);
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 4, 16), manager)) {
      SviTrainer trainer = new SviTrainer(new TrainingSpec(1, 128, 1e-3, null, null, null, null).withShards(2),
          new ReparameterizedTestEstimator(), new Evaluator(new EvaluationSpec(0, 0, 1, 1 << 20)), 1);
      assertThatThrownBy(() -> trainer.fit(model, data, new TrainingListener() {}))
          .hasMessageStartingWith("training.shards: 2 needs an objective separable over the minibatch's rows,"
              + " and ReparameterizedTestEstimator is not");
      // The same check before anything is trained or written (Experiment.setUp calls it)
      TrainingSpec two = new TrainingSpec(1, 128, 1e-3, null, null, null, null).withShards(2);
      assertThatThrownBy(() -> SviTrainer.checkShards(two, model, new ReparameterizedTestEstimator()))
          .hasMessageStartingWith("training.shards: 2 needs an objective separable");
      SviTrainer.checkShards(two, model, new ReparameterizedTestEstimator(true));
      SviTrainer.checkShards(two.withShards(1), model, new ReparameterizedTestEstimator());
    }
    assertThatThrownBy(() -> new TrainingSpec(1, 128, 1e-3, null, null, null, null).withShards(-1))
        .hasMessage("shards must be at least 0, got -1");
    assertThat(new TrainingSpec(1, 128, 1e-3, null, null, null, null).withShards(0).shards()).isNull();
  }

  private record Fit(List<float[]> parameters, double testNegativeElbo, double firstEpochNegativeElbo) {}

  private static Fit fit(DataSplits data, int shards, List<Integer> chosen) {
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(5);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 4, 32), manager)) {
      List<EpochMetrics> history = new SviTrainer(
          new TrainingSpec(6, 128, 3e-3, null, null, null, null).withShards(shards),
          new ReparameterizedTestEstimator(true), new Evaluator(new EvaluationSpec(0, 0, 1, 1 << 20)), 9)
          .fit(model, data, new TrainingListener() {
            @Override
            public void slicesChosen(int slices, int batchSize) {
              chosen.add(slices);
              chosen.add(batchSize);
            }
          });
      List<float[]> parameters = new ArrayList<>();
      model.model().parameters().forEach(p -> parameters.add(p.getValue().getArray().toFloatArray()));
      return new Fit(parameters, history.get(history.size() - 1).testNegElbo(), history.get(0).trainNegElbo());
    }
  }

  /** The gradients of the mean loss over {@code batch}, its slices differentiated one after another here. */
  private static float[][] gradients(LatentVariableModel model, List<Pair<String, Parameter>> parameters,
      NDArray batch, long[] seeds, int[][] slices) {
    clear(parameters);
    try (NDManager scratch = batch.getManager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      for (int[] slice : slices) {
        backward(model, collector, batch, seeds, slice[0], slice[1], scratch);
      }
    }
    return read(parameters);
  }

  /** The same with two slices computed side by side by {@code shards}. */
  private static float[][] threadedGradients(LatentVariableModel model, List<Pair<String, Parameter>> parameters,
      NDArray batch, long[] seeds, StepShards shards) {
    clear(parameters);
    try (NDManager scratch = batch.getManager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDManager[] managers = {scratch.newSubManager(), scratch.newSubManager()};
      shards.run(2, s -> {
        backward(model, collector, batch, seeds, s * 48, s * 48 + 48, managers[s]);
        return s;
      });
    }
    return read(parameters);
  }

  private static void backward(LatentVariableModel model, GradientCollector collector, NDArray batch, long[] seeds,
      int from, int to, NDManager manager) {
    long[] sliceSeeds = java.util.Arrays.copyOfRange(seeds, from, to);
    try (RowNoise.Scope noise = RowNoise.perRow(sliceSeeds)) {
      NDArray rows = batch.get(new NDIndex(from + ":" + to));
      rows.attach(manager);
      NDArray loss = new ReparameterizedTestEstimator(true).estimate(model, rows).loss();
      collector.backward(NdMath.times(loss, (double) (to - from) / batch.getShape().get(0)));
    }
  }

  private static void clear(List<Pair<String, Parameter>> parameters) {
    for (Pair<String, Parameter> p : parameters) {
      try (NDArray g = p.getValue().getArray().getGradient()) {
        g.subi(g);
      }
    }
  }

  private static float[][] read(List<Pair<String, Parameter>> parameters) {
    float[][] out = new float[parameters.size()][];
    for (int i = 0; i < out.length; i++) {
      try (NDArray g = parameters.get(i).getValue().getArray().getGradient()) {
        out[i] = g.toFloatArray();
      }
    }
    return out;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
