package io.vi4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.kit.elbo.ElboTerms;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.core.config.EarlyStoppingSpec;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.core.config.KlWeightSpec;
import io.vi4j.core.config.LrScheduleSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.config.ValidationSpec;
import io.vi4j.core.data.SpritesDataset;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.testing.ReparameterizedTestEstimator;
import io.vi4j.core.testing.TinyMlpModel;
import io.vi4j.core.train.schedule.EarlyStopping;
import io.vi4j.core.train.schedule.ValidationSplit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The schedules inside the trainer: what reaches the estimator and Adam, the validation split, early stopping. */
class ScheduledTrainingTest {
  private static final Evaluator EVALUATOR = new Evaluator(new EvaluationSpec(0, 0, 1, 1 << 20));

  /** Reparameterization weighting the KL by β, recording β and the first value of every item it is given. */
  private static final class RecordingEstimator implements GradientEstimator {
    final List<Double> weights = new ArrayList<>();
    final Set<Float> firstValues = new TreeSet<>();
    private final boolean recordItems;

    RecordingEstimator(boolean recordItems) {
      this.recordItems = recordItems;
    }

    @Override
    public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
      return estimate(model, batch, 1.0);
    }

    @Override
    public ElboEstimate estimate(LatentVariableModel model, NDArray batch, double klWeight) {
      weights.add(klWeight);
      if (recordItems) {
        float[] values = batch.toFloatArray();
        int d = (int) batch.getShape().get(1);
        for (int i = 0; i < values.length; i += d) {
          firstValues.add(values[i]);
        }
      }
      ElboTerms terms = ElboTerms.estimate(model, batch, 1, true);
      NDArray surrogate = terms.reconstruction().add(NdMath.times(terms.kl(), klWeight));
      return new ElboEstimate(surrogate.mean(), terms.reconstruction().stopGradient(), terms.kl().stopGradient());
    }

    @Override
    public boolean supportsKlWeight() {
      return true;
    }

    @Override
    public Set<Capability> requiredPosteriorCapabilities() {
      return EnumSet.of(Capability.RSAMPLE);
    }
  }

  private static DataSplits sprites(int train) {
    return new DataSplits(SpritesDataset.train(train, 5).dataset(), SpritesDataset.test(20, 5).dataset(),
        Binarization.NONE);
  }

  private static List<float[]> parameters(AssembledModel model) {
    List<float[]> out = new ArrayList<>();
    model.model().parameters().forEach(p -> out.add(p.getValue().getArray().toFloatArray()));
    return out;
  }

  @Test
  void theKlWeightOfEveryStepAndTheRateOfEveryEpochAreTheSchedulesValues() {
    // 80 items in batches of 20: 4 steps per epoch; β from 0 to 1 over 2 epochs (8 steps); rate halved every 2 epochs.
    TrainingSpec spec = new TrainingSpec(4, 20, 1e-3, null, null, null, 2).withSchedules(
        KlWeightSpec.warmup(0.0, 1.0, 2), new LrScheduleSpec.Step(2, 0.5), null, null);
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(2);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 2, 16), manager)) {
      RecordingEstimator estimator = new RecordingEstimator(false);
      List<EpochMetrics> history = new SviTrainer(spec, estimator, EVALUATOR, 3).fit(model, sprites(80));
      assertThat(estimator.weights).hasSize(16);
      for (int s = 0; s < 16; s++) {
        assertThat(estimator.weights.get(s)).as("step %d", s).isCloseTo(Math.min(1.0, s / 8.0), within(1e-12));
      }
      assertThat(history.stream().mapToDouble(EpochMetrics::klWeight).toArray()).containsExactly(0.375, 0.875, 1, 1);
      assertThat(history.stream().mapToDouble(EpochMetrics::learningRate).toArray())
          .containsExactly(1e-3, 1e-3, 5e-4, 5e-4);
      // Figures stay the unweighted −ELBO; without a validation split there are none.
      for (EpochMetrics m : history) {
        assertThat(m.trainNegElbo()).isCloseTo(m.trainReconstruction() + m.trainKl(), within(1e-9));
        assertThat(m.validationNegElbo()).isNaN();
        assertThat(m.stoppedEarly()).isFalse();
      }
    }
  }

  @Test
  void aScheduledKlWeightWithAnEstimatorThatCannotApplyItIsRefusedBeforeTheFirstStep() {
    TrainingSpec spec = new TrainingSpec(2, 20, 1e-3, null, null, null, null)
        .withSchedules(KlWeightSpec.warmup(0.0, 1.0, 1), null, null, null);
    NDManager manager = Engines.pytorch().newBaseManager();
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 2, 16), manager)) {
      List<Integer> steps = new ArrayList<>();
      assertThatThrownBy(() -> new SviTrainer(spec, new ReparameterizedTestEstimator(), EVALUATOR, 3)
              .fit(model, sprites(40), new TrainingListener() {
                @Override
                public void stepDone(int epoch, int step, double running) {
                  steps.add(step);
                }
              }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("training.kl_weight: the estimator ReparameterizedTestEstimator does not weight the"
              + " KL term");
      assertThat(steps).isEmpty();
      // β = 1 throughout needs no support.
      TrainingSpec unit = spec.withSchedules(KlWeightSpec.constant(1.0), null, null, null);
      assertThat(new SviTrainer(unit, new ReparameterizedTestEstimator(), EVALUATOR, 3).fit(model, sprites(40)))
          .hasSize(2);
    }
  }

  /** Items whose first value is their index / 1000, so that a batch tells which items it holds. */
  private static DataSplits numbered(int n) {
    Dataset sprites = SpritesDataset.train(n, 8).dataset();
    float[] values = sprites.values().clone();
    for (int i = 0; i < n; i++) {
      values[i * 784] = i / 1000f;
    }
    Dataset train = new Dataset("numbered", values, n, 784, null, null);
    return new DataSplits(train, SpritesDataset.test(10, 8).dataset(), Binarization.NONE);
  }

  @Test
  void theHeldOutItemsAreNeverTrainedOnAndAreValidatedAfterEveryEpoch() {
    DataSplits data = numbered(60);
    ValidationSpec validation = ValidationSpec.items(15, 11);
    TrainingSpec spec = new TrainingSpec(3, 16, 1e-3, null, null, null, 3).withSchedules(null, null, validation, null);
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(4);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 2, 16), manager)) {
      RecordingEstimator estimator = new RecordingEstimator(true);
      List<Integer> stepsPerEpoch = new ArrayList<>();
      List<EpochMetrics> history = new SviTrainer(spec, estimator, EVALUATOR, 3).fit(model, data, new TrainingListener() {
        @Override
        public void epochStarted(int epoch, int epochs, int steps) {
          stepsPerEpoch.add(steps);
        }
      });
      assertThat(stepsPerEpoch).containsExactly(3, 3, 3); // 45 trained items in batches of 16
      ValidationSplit split = ValidationSplit.carve(data.train(), validation, Binarization.NONE);
      Set<Float> trained = new TreeSet<>();
      for (int i : split.trainedItems()) {
        trained.add(i / 1000f);
      }
      assertThat(estimator.firstValues).isEqualTo(trained);
      for (int i : split.heldOutItems()) {
        assertThat(estimator.firstValues).doesNotContain(i / 1000f);
      }
      for (EpochMetrics m : history) {
        assertThat(m.validationNegElbo()).isFinite().isPositive();
        assertThat(m.validationNegElbo()).isCloseTo(m.validationReconstruction() + m.validationKl(), within(1e-6));
      }
      assertThat(history.get(0).testNegElbo()).isNaN(); // the test split keeps evaluate_every
      assertThat(history.get(2).testNegElbo()).isFinite();
    }
  }

  private record Run(List<EpochMetrics> history, List<float[]> finalParameters, List<List<float[]>> atEpochEnds) {}

  private static Run overfit(boolean restoreBest) {
    // 40 items, 20 of them held out, a wide network: the validation −ELBO falls for some epochs, then rises
    // (with these seeds it is best at epoch 7 and training stops after epoch 9).
    TrainingSpec spec = new TrainingSpec(30, 10, 2e-3, null, null, null, 30).withSchedules(
        null, null, ValidationSpec.items(20, 3), new EarlyStoppingSpec(2, 0.0, restoreBest));
    NDManager manager = Engines.pytorch().newBaseManager();
    Engines.seed(6);
    try (AssembledModel model = new AssembledModel(TinyMlpModel.build(manager, 784, 4, 128), manager)) {
      List<List<float[]>> atEpochEnds = new ArrayList<>();
      List<EpochMetrics> history = new SviTrainer(spec, new ReparameterizedTestEstimator(), EVALUATOR, 9)
          .fit(model, sprites(40), new TrainingListener() {
            @Override
            public void epochEnded(EpochMetrics metrics) {
              atEpochEnds.add(parameters(model));
            }
          });
      return new Run(history, parameters(model), atEpochEnds);
    }
  }

  @Test
  void earlyStoppingEndsAtTheEpochItsRuleNamesAndRestoresTheBestEpochsParameters() {
    Run run = overfit(true);
    List<EpochMetrics> history = run.history();
    int stopped = history.size();
    assertThat(stopped).as("stopped before the last of 30 epochs").isLessThan(30);
    double[] validation = history.stream().mapToDouble(EpochMetrics::validationNegElbo).toArray();
    // The rule says stop after the last epoch and after no earlier one.
    for (int e = 1; e < stopped; e++) {
      assertThat(EarlyStopping.after(java.util.Arrays.copyOf(validation, e), 2, 0.0).stop()).as("epoch %d", e).isFalse();
      assertThat(history.get(e - 1).stoppedEarly()).isFalse();
    }
    EarlyStopping.State state = EarlyStopping.after(validation, 2, 0.0);
    assertThat(state.stop()).isTrue();
    assertThat(history.get(stopped - 1).stoppedEarly()).isTrue();
    int best = state.bestEpoch();
    assertThat(best).isEqualTo(stopped - 2).as("several epochs improved first").isGreaterThan(3);
    assertThat(validation[best - 1]).isEqualTo(java.util.Arrays.stream(validation).min().orElseThrow());
    List<float[]> atBest = run.atEpochEnds().get(best - 1);
    for (int i = 0; i < atBest.size(); i++) {
      assertThat(run.finalParameters().get(i)).containsExactly(atBest.get(i));
    }
    assertThat(run.finalParameters().get(0)).isNotEqualTo(run.atEpochEnds().get(stopped - 1).get(0));

    // Without restore_best the same run ends at the same epoch with its last parameters.
    Run last = overfit(false);
    assertThat(last.history()).hasSize(stopped);
    List<float[]> atStop = last.atEpochEnds().get(stopped - 1);
    for (int i = 0; i < atStop.size(); i++) {
      assertThat(last.finalParameters().get(i)).containsExactly(atStop.get(i));
    }
  }
}
