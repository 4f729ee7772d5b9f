package io.vi4j.core.train;

import io.vi4j.core.checkpoint.Checkpointing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.ReparameterizedTestEstimator;
import io.vi4j.core.testing.TinyMlpModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.vi4j.core.checkpoint.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SviTrainerTest {

  private static DataSplits sprites(int train, int test) {
    return new DataSplits(
        SpritesDataset.train(train, 5).dataset(), SpritesDataset.test(test, 5).dataset(), Binarization.NONE);
  }

  private static TrainingSpec spec(int epochs, int batch) {
    return new TrainingSpec(epochs, batch, 1e-3, null, null, null, null);
  }

  @Test
  void trainingLowersTheTestNegativeElboAndHandlesAPartialLastBatch() {
    DataSplits data = sprites(1000, 200); // 1000 = 7 full batches of 128 and one of 104
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(3);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 4, 64), manager)) {
      Evaluator evaluator = new Evaluator(new EvaluationSpec(0, 0, 1, 1 << 20));
      double before = evaluator.negativeElbo(model, data.test()).negativeElbo();
      List<Integer> steps = new ArrayList<>();
      List<EpochMetrics> history = new SviTrainer(spec(3, 128), new ReparameterizedTestEstimator(), evaluator, 1)
          .fit(model, data, new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int count) {
              steps.add(count);
            }
          });
      assertThat(steps).containsExactly(8, 8, 8);
      assertThat(history).hasSize(3);
      EpochMetrics last = history.get(2);
      assertThat(last.testNegElbo()).isLessThan(before - 100);
      assertThat(last.testNegElbo()).isEqualTo(last.testReconstruction() + last.testKl(),
          org.assertj.core.api.Assertions.within(1e-6));
      assertThat(history.get(2).trainNegElbo()).isLessThan(history.get(0).trainNegElbo());
      assertThat(last.testKl()).isPositive();
    }
  }

  @Test
  void liveArraysAndResidentMemoryStayFlatOverThousandsOfSteps() throws IOException {
    // 64 items in batches of 8 → 8 steps per epoch; 260 epochs → 2080 steps.
    Dataset train = SpritesDataset.train(64, 9).dataset();
    DataSplits data = new DataSplits(train, SpritesDataset.test(16, 9).dataset(), Binarization.DYNAMIC);
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(4);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 4, 32), manager)) {
      List<Integer> liveArrays = new ArrayList<>();
      List<Long> rssKb = new ArrayList<>();
      TrainingSpec spec = new TrainingSpec(260, 8, 1e-3, null, null, null, 1000);
      new SviTrainer(spec, new ReparameterizedTestEstimator(), new Evaluator(EvaluationSpec.defaults()), 2, 1)
          .fit(model, data, new TrainingListener() {
            private int total;

            @Override
            public void stepDone(int epoch, int step, double running) {
              total++;
              if (total % 100 == 0) {
                liveArrays.add(model.manager().getManagedArrays().size());
                // Collect first: otherwise RSS grows with the Java heap's young generation being touched
                // for the first time, which is not native memory and is reused after a collection.
                System.gc();
                rssKb.add(residentKb());
              }
            }
          });
      assertThat(liveArrays).hasSizeGreaterThanOrEqualTo(20);
      // After the first epoch (Adam's state exists), the count of live arrays never changes.
      assertThat(liveArrays.subList(1, liveArrays.size())).containsOnly(liveArrays.get(1));
      // Resident memory: after warm-up (the JIT and libtorch's allocator settle within the first ~600
      // steps), no steady growth. A leak of one 8×784 float batch per step alone would add 2.5 MB every
      // 100 steps, in every interval. Native memory outside the Java heap also grows by 2-20 MiB once or
      // twice at random steps (seen in CI and here: an allocator arena, or the JIT compiler's scratch
      // memory, which malloc keeps), so the bounds leave out the two largest of the last ten intervals:
      // the median interval, and the sum of the other eight, which catches a leak of 0.5 KiB per step.
      int n = rssKb.size();
      List<Long> increments = new ArrayList<>();
      for (int i = n - 10; i < n; i++) {
        increments.add(rssKb.get(i) - rssKb.get(i - 1));
      }
      increments.sort(null);
      long medianIncrement = (increments.get(4) + increments.get(5)) / 2;
      long steadyGrowth = increments.subList(0, 8).stream().mapToLong(Long::longValue).sum();
      assertThat(medianIncrement).as("median RSS growth in KiB per 100 steps, samples " + rssKb).isLessThan(512);
      assertThat(steadyGrowth).as("RSS growth in KiB over 1000 steps less its two largest intervals, samples "
          + rssKb).isLessThan(4 * 1024);
    }
  }

  private static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void aNonFiniteLossStopsTrainingNamingTheStepAndKeepsTheLastGoodParameters() {
    DataSplits data = sprites(200, 50);
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(8);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 2, 16), manager)) {
      io.vi4j.api.estimator.GradientEstimator poisoned = new PoisonedEstimator(manager, 3);
      List<float[]> snapshot = new ArrayList<>();
      TrainingListener listener = new TrainingListener() {
        @Override
        public void stepDone(int epoch, int step, double running) {
          if (step == 2) {
            snapshot.clear();
            model.model().parameters().forEach(p -> snapshot.add(p.getValue().getArray().toFloatArray()));
          }
        }
      };
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SviTrainer(spec(1, 50), poisoned,
              new Evaluator(EvaluationSpec.defaults()), 1).fit(model, data, listener))
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("epoch 1, step 3: the loss is NaN");
      List<float[]> after = new ArrayList<>();
      model.model().parameters().forEach(p -> after.add(p.getValue().getArray().toFloatArray()));
      for (int i = 0; i < after.size(); i++) {
        assertThat(after.get(i)).containsExactly(snapshot.get(i));
      }
    }
  }

  /**
   * The test estimator, with a NaN loss from its {@code poisonAt}-th call on. The call count is running
   * state, kept in an array as the estimator contract asks: the divergence guard replays a window's steps
   * from the window's start to find the step that failed.
   */
  private static final class PoisonedEstimator implements io.vi4j.api.estimator.GradientEstimator {
    private final ReparameterizedTestEstimator inner = new ReparameterizedTestEstimator();
    private final ai.djl.ndarray.NDArray calls;
    private final int poisonAt;

    PoisonedEstimator(NDManager manager, int poisonAt) {
      this.calls = manager.zeros(new ai.djl.ndarray.types.Shape(1));
      this.poisonAt = poisonAt;
    }

    @Override
    public io.vi4j.api.estimator.ElboEstimate estimate(io.vi4j.api.model.LatentVariableModel m, ai.djl.ndarray.NDArray x) {
      var e = inner.estimate(m, x);
      calls.set(new ai.djl.ndarray.index.NDIndex("..."), calls.getFloat(0) + 1);
      return calls.getFloat(0) < poisonAt ? e
          : new io.vi4j.api.estimator.ElboEstimate(e.loss().mul(Float.NaN), e.reconstruction(), e.kl());
    }

    @Override
    public java.util.Map<String, ai.djl.ndarray.NDArray> runningState() {
      return java.util.Map.of("calls", calls);
    }

    @Override
    public java.util.Set<io.vi4j.api.distribution.Capability> requiredPosteriorCapabilities() {
      return inner.requiredPosteriorCapabilities();
    }
  }

  @Test
  void aDivergenceInsideAWindowIsFoundByReplayWithTheParametersOfTheStepBefore() {
    // 1,000 items in batches of 25: 40 steps in the epoch, one unchecked window of 40 steps (readEvery 50).
    // The loss turns NaN at step 23; training must stop naming step 23 with exactly the parameters that
    // 22 clean steps leave, which a run stopped after step 22 shows.
    DataSplits data = sprites(1000, 50);
    TrainingSpec spec = spec(1, 25);
    List<float[]> clean = new ArrayList<>();
    NDManager reference = Engines.pytorch().newBaseManager();
    Engines.seed(8);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(reference, 784, 2, 16), reference)) {
      int[] steps = {0};
      TrainingListener stopAfter22 = new TrainingListener() {
        @Override
        public void stepDone(int epoch, int step, double running) {
          steps[0] = step;
        }

        @Override
        public boolean stopRequested() {
          return steps[0] == 22;
        }
      };
      org.junit.jupiter.api.Assertions.assertThrows(TrainingStoppedException.class, () -> new SviTrainer(spec,
          new PoisonedEstimator(reference, Integer.MAX_VALUE), new Evaluator(EvaluationSpec.defaults()), 1)
          .fit(model, data, stopAfter22));
      model.model().parameters().forEach(p -> clean.add(p.getValue().getArray().toFloatArray()));
    }
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(8);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 2, 16), manager)) {
      List<Double> reported = new ArrayList<>();
      TrainingListener listener = new TrainingListener() {
        @Override
        public void stepDone(int epoch, int step, double running) {
          reported.add(running);
        }
      };
      TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
          () -> new SviTrainer(spec, new PoisonedEstimator(manager, 23), new Evaluator(EvaluationSpec.defaults()), 1)
              .fit(model, data, listener));
      assertThat(e).hasMessageContaining("epoch 1, step 23: the loss is NaN");
      assertThat(e.step()).isEqualTo(23);
      // Every step ran unchecked once (no running figure read inside the window), then the replay threw.
      assertThat(reported).hasSize(39).allMatch(v -> v.isNaN());
      List<float[]> after = new ArrayList<>();
      model.model().parameters().forEach(p -> after.add(p.getValue().getArray().toFloatArray()));
      assertThat(after).hasSameSizeAs(clean);
      for (int i = 0; i < after.size(); i++) {
        assertThat(after.get(i)).containsExactly(clean.get(i));
      }
    }
  }

  @Test
  void anUpdateThatMakesParametersNonFiniteIsUndoneAndNamed() {
    // A learning rate of 1e308 with finite losses and gradients: in float32 it is infinite, so Adam's first
    // update makes every weight infinite. The guard puts back the parameters from before that update.
    DataSplits data = sprites(200, 50);
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(8);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 2, 16), manager)) {
      List<List<float[]>> before = new ArrayList<>();
      List<float[]> initial = new ArrayList<>();
      model.model().parameters().forEach(p -> initial.add(p.getValue().getArray().toFloatArray()));
      TrainingListener listener = new TrainingListener() {
        @Override
        public void stepDone(int epoch, int step, double running) {
          List<float[]> now = new ArrayList<>();
          model.model().parameters().forEach(p -> now.add(p.getValue().getArray().toFloatArray()));
          before.add(now);
        }
      };
      TrainingSpec huge = new TrainingSpec(1, 50, 1e308, null, null, null, 1);
      TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
          () -> new SviTrainer(huge, new ReparameterizedTestEstimator(), new Evaluator(EvaluationSpec.defaults()), 1)
              .fit(model, data, listener));
      assertThat(e).hasMessageContaining("its update made parameter '")
          .hasMessageContaining("non-finite; the parameters before this step are kept");
      // The step named is the one whose update broke; the parameters are those the step before left.
      int broken = e.step();
      List<float[]> after = new ArrayList<>();
      model.model().parameters().forEach(p -> after.add(p.getValue().getArray().toFloatArray()));
      List<float[]> expected = broken == 1 ? initial : before.get(broken - 2);
      for (int i = 0; i < after.size(); i++) {
        assertThat(after.get(i)).containsExactly(expected.get(i));
        for (float v : after.get(i)) {
          assertThat(v).isFinite();
        }
      }
    }
  }

  @Test
  void aStopRequestWritesACheckpointWhereTrainingStandsAndStops(@TempDir Path dir) throws IOException {
    DataSplits data = sprites(200, 50); // 4 steps per epoch
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(8);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 2, 16), manager)) {
      int[] steps = {0};
      TrainingListener listener = new TrainingListener() {
        @Override
        public void stepDone(int epoch, int step, double running) {
          steps[0]++;
        }

        @Override
        public boolean stopRequested() {
          return steps[0] == 6; // epoch 2, step 2
        }
      };
      CheckpointStore store = new CheckpointStore(dir, 3);
      TrainingStoppedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingStoppedException.class,
          () -> new SviTrainer(spec(3, 50), new ReparameterizedTestEstimator(), new Evaluator(EvaluationSpec.defaults()), 1)
              .fit(model, data, listener, new Checkpointing(store, 0, "digest", null)));
      assertThat(e.epoch()).isEqualTo(2);
      assertThat(e.stepsDone()).isEqualTo(2);
      assertThat(e.globalStep()).isEqualTo(6);
      assertThat(e.checkpoint()).isEqualTo(dir.resolve("step-000000000006"));
      assertThat(CheckpointStore.read(e.checkpoint()).trainer().globalStep()).isEqualTo(6);
    }
  }

  @Test
  void aConvolutionalModelKeepsItsLiveArraysFlat() {
    // 64 items in batches of 8 → 8 steps per epoch; 40 epochs → 320 steps, with batch norm and dropout.
    Dataset train = SpritesDataset.train(64, 9).dataset();
    DataSplits data = new DataSplits(train, SpritesDataset.test(16, 9).dataset(), Binarization.DYNAMIC);
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(4);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.convolutional(manager, 3), manager)) {
      List<Integer> liveArrays = new ArrayList<>();
      List<Boolean> strideOne = new ArrayList<>();
      TrainingSpec spec = new TrainingSpec(40, 8, 1e-3, null, null, null, 1000);
      List<EpochMetrics> history = new SviTrainer(spec, new ReparameterizedTestEstimator(),
          new Evaluator(EvaluationSpec.defaults()), 2, 1).fit(model, data, new TrainingListener() {
            private int total;

            @Override
            public void convolutionsChosen(boolean engine) {
              strideOne.add(engine);
            }

            @Override
            public void stepDone(int epoch, int step, double running) {
              if (++total % 40 == 0) {
                liveArrays.add(model.manager().getManagedArrays().size());
              }
            }
          });
      assertThat(liveArrays).hasSize(8);
      assertThat(liveArrays.subList(1, liveArrays.size())).containsOnly(liveArrays.get(1));
      // The fit probed the engine's stride-1 gradient once, before its first step, as a probe here does.
      try (io.vi4j.api.kit.nn.Convolutions.StrideOne probe = io.vi4j.api.kit.nn.Convolutions.probeEngine(manager)) {
        assertThat(strideOne).containsExactly(probe.engine());
      }
      assertThat(history.get(history.size() - 1).trainNegElbo()).isLessThan(history.get(0).trainNegElbo());
    }
  }
}
