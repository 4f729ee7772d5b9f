package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.vi4j.core.config.EarlyStoppingSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.train.schedule.EarlyStopping;
import io.vi4j.core.train.schedule.KlWeightSchedule;
import io.vi4j.core.train.schedule.LearningRateSchedule;
import io.vi4j.core.train.schedule.ValidationSplit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedules and the stopping rule of one fit, beside the step loop: the KL weight of every step, the
 * learning rate of every epoch, early stopping, and the best epoch's parameters when they are to be
 * restored. Every value but those parameters is a function of the position in the run and the figures of
 * the epochs before it (see {@link io.vi4j.core.train.schedule}); the best parameters are the one piece of
 * state, copied on the device when an epoch improves and saved with every checkpoint.
 */
final class FitSchedules implements AutoCloseable {
  private final TrainingSpec spec;
  private final KlWeightSchedule klWeight;
  private final LearningRateSchedule learningRate;
  private final ValidationSplit split;
  private final List<Pair<String, Parameter>> parameters;
  private final NDManager bestManager;
  private final Map<String, NDArray> best;

  /**
   * @param spec the training settings
   * @param split the validation split (possibly none)
   * @param stepsPerEpoch minibatches per epoch
   * @param parameters every parameter the trainer saves
   * @param modelManager the model's manager, under which the best parameters' copies live for the fit
   */
  FitSchedules(TrainingSpec spec, ValidationSplit split, int stepsPerEpoch, List<Pair<String, Parameter>> parameters,
      NDManager modelManager) {
    this.spec = spec;
    this.klWeight = KlWeightSchedule.of(spec.klWeight(), stepsPerEpoch);
    this.learningRate = LearningRateSchedule.of(spec.learningRate(), spec.lrSchedule(), spec.epochs());
    this.split = split;
    this.parameters = parameters;
    EarlyStoppingSpec stopping = spec.earlyStopping();
    boolean keepBest = stopping != null && stopping.restoreBest();
    this.bestManager = keepBest ? modelManager.newSubManager() : null;
    Map<String, NDArray> copies = new LinkedHashMap<>();
    if (keepBest) { // the initial parameters until an epoch improves; a checkpoint always holds a full set
      for (Pair<String, Parameter> p : parameters) {
        NDArray copy = p.getValue().getArray().duplicate();
        copy.attach(bestManager);
        copies.put(p.getKey(), copy);
      }
    }
    this.best = Collections.unmodifiableMap(copies);
  }

  /**
   * @throws IllegalArgumentException naming {@code training.kl_weight} when it weights the KL and the
   *     estimator cannot
   */
  void checkLoss(TrainingObjective objective) {
    if (!klWeight.isConstantOne() && !objective.supportsKlWeight()) {
      throw new IllegalArgumentException(KlWeightSchedule.unsupportedBy(objective.lossName()));
    }
  }

  /** @return whether the KL weight is 1 at every step. */
  boolean unitKlWeight() {
    return klWeight.isConstantOne();
  }

  /** @return β of the run's step {@code globalStep} (0-based). */
  double klWeight(long globalStep) {
    return klWeight.at(globalStep);
  }

  /** @return the learning rate of epoch {@code epoch}, given the figures of the epochs before it. */
  double learningRate(int epoch, List<EpochMetrics> history) {
    return learningRate.at(epoch, monitored(history));
  }

  /**
   * @return the −ELBO reduce-on-plateau monitors, per epoch of {@code history}: the validation figure with
   *     a validation split, the training figure otherwise
   */
  private double[] monitored(List<EpochMetrics> history) {
    return history.stream()
        .mapToDouble(m -> split.present() ? m.validationNegElbo() : m.trainNegElbo())
        .toArray();
  }

  /** @return the best parameters' copies by name (empty unless {@code early_stopping.restore_best}). */
  Map<String, NDArray> bestParameters() {
    return best;
  }

  /** @return whether early stopping has ended training (the last epoch says so). */
  static boolean stoppedEarly(List<EpochMetrics> history) {
    return !history.isEmpty() && history.get(history.size() - 1).stoppedEarly();
  }

  /**
   * Decides after the last epoch of {@code history}: marks it as the stopping epoch when early stopping
   * ends training there (before the run's last epoch), and copies the parameters when it is the best so
   * far and they are to be restored.
   *
   * @return the epoch's figures, marked when training stops
   */
  EpochMetrics afterEpoch(List<EpochMetrics> history, EpochMetrics metrics) {
    EarlyStoppingSpec stopping = spec.earlyStopping();
    if (stopping == null) {
      return metrics;
    }
    List<EpochMetrics> with = new ArrayList<>(history);
    with.add(metrics);
    EarlyStopping.State state = state(with);
    if (!best.isEmpty() && state.bestEpoch() == metrics.epoch()) {
      for (Pair<String, Parameter> p : parameters) {
        best.get(p.getKey()).set(new NDIndex("..."), p.getValue().getArray());
      }
    }
    return state.stop() && metrics.epoch() < spec.epochs() ? metrics.withStoppedEarly() : metrics;
  }

  /** Puts the best epoch's parameters back, when they are kept and an epoch improved. */
  void restoreBest(List<EpochMetrics> history) {
    if (best.isEmpty() || history.isEmpty() || state(history).bestEpoch() == 0) {
      return;
    }
    for (Pair<String, Parameter> p : parameters) {
      p.getValue().getArray().set(new NDIndex("..."), best.get(p.getKey()));
    }
  }

  private EarlyStopping.State state(List<EpochMetrics> history) {
    double[] validation = history.stream().mapToDouble(EpochMetrics::validationNegElbo).toArray();
    return EarlyStopping.after(validation, spec.earlyStopping().patience(), spec.earlyStopping().minDelta());
  }

  /**
   * @return the figures of a checkpoint, with the learning rate and KL weight filled in where the
   *     checkpoint did not record them (one written before schedules existed): both are functions of the
   *     position and the epochs before
   */
  List<EpochMetrics> completed(List<EpochMetrics> restored, int stepsPerEpoch) {
    List<EpochMetrics> out = new ArrayList<>();
    for (EpochMetrics m : restored) {
      out.add(Double.isNaN(m.learningRate()) || Double.isNaN(m.klWeight())
          ? m.withSchedule(learningRate(m.epoch(), out), klWeight((long) m.epoch() * stepsPerEpoch - 1))
          : m);
    }
    return out;
  }

  @Override
  public void close() {
    if (bestManager != null) {
      bestManager.close();
    }
  }
}
