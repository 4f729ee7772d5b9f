package io.vi4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.ReparameterizedTestEstimator;
import io.vi4j.core.testing.TinyMlpModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepThreadsTest {

  @Test
  void smallStepsRunOnOneThreadUnlessTheCountIsFixedOrTheModelIsNotOnTheCpu() {
    long small = StepThreads.SMALL_OPERATION - 1;
    long large = StepThreads.SMALL_OPERATION;
    assertThat(StepThreads.forSteps(128 * 784, 2, false, true)).isEqualTo(1); // the reference VAE at batch 128
    assertThat(StepThreads.forSteps(small, 16, false, true)).isEqualTo(1);
    assertThat(StepThreads.forSteps(large, 16, false, true)).isEqualTo(16);
    assertThat(StepThreads.forSteps(1024 * 784, 2, false, true)).isEqualTo(2);
    assertThat(StepThreads.forSteps(small, 2, true, true)).as("--threads fixed").isEqualTo(2);
    assertThat(StepThreads.forSteps(small, 2, false, false)).as("a GPU").isEqualTo(2);
    assertThat(StepThreads.forSteps(small, 0, false, true)).as("not PyTorch's engine").isEqualTo(0);
  }

  @Test
  void theEngineCountChangesForTheCallingThreadAndBack() {
    int engine = Engines.threads();
    assertThat(engine).isEqualTo(2); // the test JVM's -Dai.djl.pytorch.num_threads=2
    try {
      Engines.setThreads(1);
      assertThat(Engines.threads()).isEqualTo(1);
    } finally {
      Engines.setThreads(engine);
    }
    assertThat(Engines.threads()).isEqualTo(engine);
  }

  @Test
  void aFitWhoseCountIsNotFixedStepsOnOneThreadAndEvaluatesOnTheEngines() {
    DataSplits data = new DataSplits(
        SpritesDataset.train(256, 5).dataset(), SpritesDataset.test(64, 5).dataset(), Binarization.NONE);
    String fixed = System.clearProperty(Engines.INTRA_OP_THREADS);
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(3);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 4, 64), manager)) {
      int engine = Engines.threads();
      List<Integer> chosen = new ArrayList<>();
      List<Integer> duringSteps = new ArrayList<>();
      List<Integer> afterEvaluation = new ArrayList<>();
      new SviTrainer(new TrainingSpec(2, 64, 1e-3, null, null, null, null), new ReparameterizedTestEstimator(),
          new Evaluator(new EvaluationSpec(0, 0, 1, 1 << 20)), 1)
          .fit(model, data, new TrainingListener() {
            @Override
            public void threadsChosen(int stepThreads, int engineThreads, long widestArray) {
              chosen.add(stepThreads);
              chosen.add(engineThreads);
              assertThat(widestArray).isEqualTo(64L * 784); // the decoder's output is the widest layer
            }

            @Override
            public void stepDone(int epoch, int step, double running) {
              duringSteps.add(Engines.threads());
            }

            @Override
            public void epochEnded(EpochMetrics metrics) {
              afterEvaluation.add(Engines.threads());
            }
          });
      assertThat(chosen).containsExactly(1, engine);
      assertThat(duringSteps).hasSize(8).containsOnly(1);
      assertThat(afterEvaluation).containsExactly(engine, engine);
      assertThat(Engines.threads()).isEqualTo(engine);
    } finally {
      System.setProperty(Engines.INTRA_OP_THREADS, fixed);
    }
  }

  @Test
  void aFixedCountIsLeftAlone() {
    DataSplits data = new DataSplits(
        SpritesDataset.train(64, 5).dataset(), SpritesDataset.test(16, 5).dataset(), Binarization.NONE);
    assertThat(Engines.threadsFixed()).isTrue();
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(3);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 4, 64), manager)) {
      List<Integer> duringSteps = new ArrayList<>();
      new SviTrainer(new TrainingSpec(1, 32, 1e-3, null, null, null, null), new ReparameterizedTestEstimator(),
          new Evaluator(new EvaluationSpec(0, 0, 1, 1 << 20)), 1)
          .fit(model, data, new TrainingListener() {
            @Override
            public void stepDone(int epoch, int step, double running) {
              duringSteps.add(Engines.threads());
            }
          });
      assertThat(duringSteps).hasSize(2).containsOnly(2);
    }
  }
}
