package io.vi4j.core.run;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledDensity;
import io.vi4j.core.train.EpochMetrics;
import java.util.List;

/**
 * A density trained from Java ({@code Vi4j.density(...).train()}): the density, its data as prepared for
 * its protocol, and its training history. Closing it frees the density's native memory.
 */
public final class TrainedDensity implements AutoCloseable {
  private final ExperimentSpec spec;
  private final Experiment.DensitySetup setup;
  private final List<EpochMetrics> history;

  /** Made by the builder. */
  public TrainedDensity(ExperimentSpec spec, Experiment.DensitySetup setup, List<EpochMetrics> history) {
    this.spec = spec;
    this.setup = setup;
    this.history = List.copyOf(history);
  }

  /** @return the config the density was built and trained from. */
  public ExperimentSpec spec() {
    return spec;
  }

  /** @return the density and its manager. */
  public AssembledDensity density() {
    return setup.density();
  }

  /** @return the splits it trained and is evaluated on, prepared for its protocol. */
  public DataSplits data() {
    return setup.data();
  }

  /** @return the figures of every epoch. */
  public List<EpochMetrics> history() {
    return history;
  }

  /**
   * @return the exact test figures: {@code test_log_likelihood_nats} over every test item with its
   *     standard error, and bits per dimension where the protocol defines them
   */
  public RunSummary testLogLikelihood() {
    return Experiment.exactEvaluation(setup.density().density(), setup.data().test(), setup.prepared().protocol(),
        spec.evaluation(), setup.density().manager());
  }

  /**
   * Draws {@code count} new items (an autoregressive density makes one network pass per dimension).
   *
   * @return row-major {@code count × D}
   */
  public float[] sample(int count) {
    try (NDManager manager = setup.density().manager().newSubManager()) {
      return setup.density().density().sample(count, manager).toFloatArray();
    }
  }

  @Override
  public void close() {
    setup.close();
  }
}
