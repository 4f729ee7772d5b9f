package io.vi4j.core.run;

import io.vi4j.core.model.AssembledModel;

import io.vi4j.api.data.DataSplits;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.eval.LogLikelihoodReport;
import io.vi4j.core.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model trained from Java ({@link io.vi4j.core.Vi4j}): its config, its training history, and methods
 * to evaluate, sample and save it. Close it to free its native memory.
 */
public final class TrainedModel implements AutoCloseable {
  private final ExperimentSpec spec;
  private final AssembledModel model;
  private final DataSplits data;
  private final List<EpochMetrics> history;
  private final Evaluator evaluator;

  /** Made by the builder. */
  public TrainedModel(
      ExperimentSpec spec, AssembledModel model, DataSplits data, List<EpochMetrics> history, Evaluator evaluator) {
    this.spec = spec;
    this.model = model;
    this.data = data;
    this.history = List.copyOf(history);
    this.evaluator = evaluator;
  }

  /** @return the config the model was built and trained from. */
  public ExperimentSpec spec() {
    return spec;
  }

  /** @return the model and its manager. */
  public AssembledModel model() {
    return model;
  }

  /** @return the figures of every epoch. */
  public List<EpochMetrics> history() {
    return history;
  }

  /** @return the test −ELBO now. */
  public ElboReport testNegativeElbo() {
    return evaluator.negativeElbo(model, data.test());
  }

  /** @return the IWAE log-likelihood with {@code k} samples on the first {@code items} test items. */
  public LogLikelihoodReport logLikelihood(int k, int items) {
    return evaluator.logLikelihood(model, data.test(), k, Math.min(items, data.test().rows()));
  }

  /**
   * Draws new items: latents from the prior, then the decoder's mean.
   *
   * @return row-major {@code count × D}
   */
  public float[] sample(int count) {
    return io.vi4j.core.uses.Generation.priorSamples(model, count, false);
  }

  /** Writes the parameters (the format {@code vi4j evaluate} reads). */
  public void save(Path file) throws IOException {
    model.save(file);
  }

  @Override
  public void close() {
    model.close();
  }
}
