package io.vi4j.core.train.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vi4j.api.data.DataSplits.Binarization;
import io.vi4j.api.data.Dataset;
import io.vi4j.core.config.KlWeightSpec;
import io.vi4j.core.config.LrScheduleSpec;
import io.vi4j.core.config.ValidationSpec;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every schedule's values against their closed forms, early stopping on crafted histories, the validation split. */
class SchedulesTest {

  @Test
  void theKlWeightRisesLinearlyPerStepOverTheWarmUpThenHolds() {
    KlWeightSchedule warmup = KlWeightSchedule.of(KlWeightSpec.warmup(0.2, 1.0, 2), 4); // 8 steps of warm-up
    double[] expected = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0};
    for (int s = 0; s < expected.length; s++) {
      assertThat(warmup.at(s)).as("step %d", s).isCloseTo(expected[s], within(1e-12));
    }
    assertThat(warmup.at(1_000_000)).isEqualTo(1.0);
    assertThat(warmup.isConstantOne()).isFalse();
    KlWeightSchedule beta = KlWeightSchedule.of(KlWeightSpec.constant(4.0), 4);
    assertThat(new double[] {beta.at(0), beta.at(3), beta.at(400)}).containsOnly(4.0);
    assertThat(KlWeightSchedule.of(null, 4)).isSameAs(KlWeightSchedule.ONE);
    assertThat(KlWeightSchedule.ONE.at(7)).isEqualTo(1.0);
    assertThat(KlWeightSchedule.ONE.isConstantOne()).isTrue();
    assertThat(KlWeightSchedule.of(KlWeightSpec.warmup(1.0, 1.0, 3), 4).isConstantOne()).isTrue();
    assertThat(KlWeightSchedule.of(KlWeightSpec.constant(1.0), 4).isConstantOne()).isTrue();
    // Downwards too (a free-bits-like start at a high β): linear all the same.
    KlWeightSchedule down = KlWeightSchedule.of(KlWeightSpec.warmup(2.0, 1.0, 1), 5);
    assertThat(down.at(2)).isCloseTo(1.6, within(1e-12));
  }

  @Test
  void theStepScheduleMultipliesByGammaEveryStepEpochs() {
    LearningRateSchedule step = LearningRateSchedule.of(0.1, new LrScheduleSpec.Step(3, 0.5), 10);
    double[] expected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125};
    for (int e = 1; e <= 10; e++) {
      assertThat(step.at(e, new double[0])).as("epoch %d", e).isCloseTo(expected[e - 1], within(1e-15));
    }
    assertThat(LearningRateSchedule.of(0.003, null, 5).at(4, new double[0])).isEqualTo(0.003);
    assertThat(step.monitors()).isFalse();
  }

  @Test
  void theCosineScheduleFollowsSgdrWithoutRestarts() {
    double base = 1e-2;
    double min = 1e-4;
    int epochs = 4;
    LearningRateSchedule cosine = LearningRateSchedule.of(base, new LrScheduleSpec.Cosine(min), epochs);
    assertThat(cosine.at(1, new double[0])).isEqualTo(base);
    assertThat(cosine.at(3, new double[0])).isCloseTo(min + (base - min) / 2, within(1e-15)); // cos(π/2) = 0
    for (int e = 1; e <= epochs; e++) {
      double closedForm = min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * (e - 1) / epochs));
      assertThat(cosine.at(e, new double[0])).isCloseTo(closedForm, within(1e-15));
      if (e > 1) {
        assertThat(cosine.at(e, new double[0])).isLessThan(cosine.at(e - 1, new double[0]));
      }
    }
    assertThat(cosine.at(epochs, new double[0])).isGreaterThan(min);
    assertThat(cosine.at(epochs + 1, new double[0])).isCloseTo(min, within(1e-15));
  }

  /**
   * PyTorch's {@code ReduceLROnPlateau(mode="min", factor=0.5, patience=1, threshold=0.1, cooldown=1,
   * min_lr=0.2)} stepped with these values gives these rates (worked by hand from its {@code step}).
   */
  @Test
  void reduceOnPlateauLowersTheRateAfterPatienceEpochsWithoutRelativeImprovement() {
    LearningRateSchedule plateau =
        LearningRateSchedule.of(1.0, new LrScheduleSpec.ReduceOnPlateau(0.5, 1, 0.1, 1, 0.2), 12);
    assertThat(plateau.monitors()).isTrue();
    double[] monitored = {10, 9.5, 9.2, 8.0, 8.0, 7.9, 7.85, 7.8, 7.8, 7.8};
    double[] expected = {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2};
    for (int e = 1; e <= expected.length; e++) {
      assertThat(plateau.at(e, monitored)).as("epoch %d", e).isEqualTo(expected[e - 1]);
    }
    // Only the epochs before the one asked about matter.
    assertThat(plateau.at(4, Arrays.copyOf(monitored, 3))).isEqualTo(0.5);
    assertThatThrownBy(() -> plateau.at(5, Arrays.copyOf(monitored, 3)))
        .hasMessageContaining("the rate of epoch 5 depends on the 4 epochs before it, 3 given");
    // NaN never improves; patience 0 reduces after each epoch that does not improve; min_learning_rate holds.
    LearningRateSchedule eager = LearningRateSchedule.of(1.0, new LrScheduleSpec.ReduceOnPlateau(0.1, 0, 0.0, 0, 0.0), 9);
    double[] values = {5, Double.NaN, 4, 4};
    assertThat(IntStream.rangeClosed(1, 5).mapToDouble(e -> eager.at(e, values)).toArray())
        .containsExactly(1, 1, 0.1, 0.1, 0.010000000000000002);
    // Negative −ELBOs (densities of continuous data) improve by a threshold relative to |best|.
    LearningRateSchedule negative = LearningRateSchedule.of(1.0, new LrScheduleSpec.ReduceOnPlateau(0.5, 0, 0.1, 0, 0.0), 9);
    assertThat(negative.at(3, new double[] {-100, -105})).as("-105 is below -100 - 10? no").isEqualTo(0.5);
    assertThat(negative.at(3, new double[] {-100, -111})).isEqualTo(1.0);
  }

  @Test
  void earlyStoppingStopsAtTheFirstEpochThatEndsPatienceEpochsWithoutImprovement() {
    double[] validation = {5, 4, 4.5, 3.9, 3.95, 3.97, 3.99, 3.0};
    int stopped = firstStop(validation, 3, 0.0);
    assertThat(stopped).isEqualTo(7);
    EarlyStopping.State state = EarlyStopping.after(Arrays.copyOf(validation, stopped), 3, 0.0);
    assertThat(state).isEqualTo(new EarlyStopping.State(4, 3.9, 3, true));
    // With min_delta 0.2, epoch 4's 3.9 is no improvement on epoch 2's 4.0.
    assertThat(firstStop(validation, 3, 0.2)).isEqualTo(5);
    assertThat(EarlyStopping.after(Arrays.copyOf(validation, 5), 3, 0.2).bestEpoch()).isEqualTo(2);
    // Patience 1 stops at the first epoch that does not improve.
    assertThat(firstStop(validation, 1, 0.0)).isEqualTo(3);
    // Never stops while it keeps improving; NaN is never an improvement.
    assertThat(firstStop(new double[] {3, 2, 1, 0.5}, 1, 0.0)).isZero();
    assertThat(EarlyStopping.after(new double[] {Double.NaN, Double.NaN}, 2, 0.0))
        .isEqualTo(new EarlyStopping.State(0, Double.POSITIVE_INFINITY, 2, true));
  }

  /** @return the first epoch after which early stopping says stop, or 0 when it never does. */
  private static int firstStop(double[] validation, int patience, double minDelta) {
    for (int e = 1; e <= validation.length; e++) {
      if (EarlyStopping.after(Arrays.copyOf(validation, e), patience, minDelta).stop()) {
        return e;
      }
    }
    return 0;
  }

  private static Dataset data(int rows, int columns) {
    float[] values = new float[rows * columns];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = i % 10;
      for (int j = 0; j < columns; j++) {
        values[i * columns + j] = (i * columns + j) % 97 / 96f; // row i is recognisable, values in [0, 1]
      }
    }
    return new Dataset("toy", values, rows, columns, labels, null);
  }

  @Test
  void theValidationSplitIsDeterministicForASeedAndDisjointFromTheTrainedItems() {
    Dataset train = data(200, 6);
    ValidationSplit split = ValidationSplit.carve(train, ValidationSpec.fraction(0.1, 7), Binarization.NONE);
    ValidationSplit again = ValidationSplit.carve(train, ValidationSpec.fraction(0.1, 7), Binarization.NONE);
    ValidationSplit other = ValidationSplit.carve(train, ValidationSpec.fraction(0.1, 8), Binarization.NONE);
    int[] heldOut = split.heldOutItems();
    int[] trained = split.trainedItems();
    assertThat(heldOut).hasSize(20).isSorted().containsExactly(again.heldOutItems());
    assertThat(other.heldOutItems()).isNotEqualTo(heldOut);
    assertThat(heldOut).isNotEqualTo(IntStream.range(0, 20).toArray()); // chosen, not the first items
    assertThat(trained).hasSize(180).isSorted().doesNotContain(heldOut);
    assertThat(IntStream.concat(Arrays.stream(trained), Arrays.stream(heldOut)).sorted().toArray())
        .containsExactly(IntStream.range(0, 200).toArray());
    assertThat(split.trainedCount(200)).isEqualTo(180);
    // The validation set holds those rows and labels, unchanged.
    Dataset validation = split.validation();
    assertThat(validation.rows()).isEqualTo(20);
    assertThat(validation.name()).isEqualTo("toy (validation)");
    for (int k = 0; k < heldOut.length; k++) {
      assertThat(validation.row(k)).containsExactly(train.row(heldOut[k]));
      assertThat(validation.labels()[k]).isEqualTo(train.labels()[heldOut[k]]);
    }
    // The trainer's order of the trained items maps onto their rows of the training split.
    assertThat(split.rows(new long[] {0, 179, 5})).containsExactly(trained[0], trained[179], trained[5]);
    assertThat(Arrays.stream(split.rows(IntStream.range(0, 180).asLongStream().toArray())).mapToInt(r -> (int) r)
        .toArray()).doesNotContain(heldOut);
    // By count.
    assertThat(ValidationSplit.carve(train, ValidationSpec.items(3, 7), Binarization.NONE).heldOutItems()).hasSize(3);
  }

  @Test
  void withoutASplitEveryItemIsTrainedAndTheOrderIsItsOwnRows() {
    ValidationSplit none = ValidationSplit.carve(data(10, 2), null, Binarization.NONE);
    assertThat(none.present()).isFalse();
    assertThat(none.validation()).isNull();
    assertThat(none.trainedCount(10)).isEqualTo(10);
    long[] order = {3, 1, 2};
    assertThat(none.rows(order)).isSameAs(order);
  }

  @Test
  void underDynamicBinarizationTheHeldOutItemsAreDrawnOnceAsBernoulliValues() {
    Dataset train = data(100, 50);
    ValidationSplit split = ValidationSplit.carve(train, ValidationSpec.items(40, 3), Binarization.DYNAMIC);
    float[] values = split.validation().values();
    assertThat(values).containsOnly(0f, 1f);
    assertThat(ValidationSplit.carve(train, ValidationSpec.items(40, 3), Binarization.DYNAMIC).validation().values())
        .containsExactly(values);
    // The draw follows the grey levels: the mean of the draws is near the mean of the levels.
    double levels = 0;
    double draws = 0;
    int[] heldOut = split.heldOutItems();
    for (int k = 0; k < heldOut.length; k++) {
      for (float v : train.row(heldOut[k])) {
        levels += v;
      }
    }
    for (float v : values) {
      draws += v;
    }
    assertThat(draws / values.length).isCloseTo(levels / values.length, within(0.03));
  }

  @Test
  void aSplitThatLeavesNothingToTrainOrValidateIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ValidationSplit.carve(data(10, 2), ValidationSpec.items(10, 0), Binarization.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("training.validation.items (10) holds out 10 of the 10 training items and leaves none");
    assertThatThrownBy(() -> ValidationSplit.carve(data(10, 2), ValidationSpec.fraction(0.01, 0), Binarization.NONE))
        .hasMessageContaining("training.validation.fraction (0.01) holds out 0 of the 10 training items");
  }
}
