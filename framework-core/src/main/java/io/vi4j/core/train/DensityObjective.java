package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledDensity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A density trained by maximum likelihood: each step's loss is the minibatch's mean {@code −log p(x)},
 * exact, so its gradient is exact too (no estimator, no noise beyond the minibatch). In the trainer's
 * figures the reconstruction term is {@code −log p(x)} and the KL term 0: a model without latents has
 * {@code ELBO = log p(x)}.
 *
 * @param density the density, changed in place
 * @param evaluator scores held-out items exactly
 */
public record DensityObjective(AssembledDensity density, Evaluator evaluator) implements TrainingObjective {

  @Override
  public NDManager manager() {
    return density.manager();
  }

  @Override
  public List<Pair<String, Parameter>> parameters() {
    List<Pair<String, Parameter>> parameters = new ArrayList<>();
    density.parameters().forEach(parameters::add);
    return parameters;
  }

  @Override
  public Map<String, NDArray> runningState() {
    return Map.of();
  }

  @Override
  public boolean supportsKlWeight() {
    return false;
  }

  @Override
  public String lossName() {
    return density.density().getClass().getSimpleName() + " (a density without a KL term)";
  }

  /** The density's widest layer per item. */
  @Override
  public long widestPerItem(int columns) {
    return Evaluator.widest(density.density(), columns);
  }

  @Override
  public boolean convolutional() {
    return Evaluator.convolutional(density.density());
  }

  @Override
  public ElboEstimate estimate(NDArray batch, double klWeight) {
    NDArray negativeLogLikelihood = density.density().logLikelihood(batch).neg();
    return new ElboEstimate(negativeLogLikelihood.mean(), negativeLogLikelihood, negativeLogLikelihood.zerosLike());
  }

  @Override
  public ElboReport evaluate(Dataset data) {
    double[] logLikelihood = evaluator.logLikelihoodPerItem(density.density(), data, density.manager());
    double mean = Evaluator.meanAndStandardError(logLikelihood)[0];
    return new ElboReport(-mean, -mean, 0, data.rows());
  }
}
