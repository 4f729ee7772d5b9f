package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.PerItemFamily;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A latent-variable model trained on the ELBO: its gradient estimator gives each step's surrogate, and the
 * evaluator the held-out −ELBO. The estimator's own parameters (control variates) are trained with the
 * model's, named {@code estimator.NAME}.
 *
 * @param model the model, changed in place
 * @param estimator the gradient estimator
 * @param evaluator evaluates held-out −ELBO
 */
public record LatentObjective(AssembledModel model, GradientEstimator estimator, Evaluator evaluator)
    implements TrainingObjective {

  @Override
  public NDManager manager() {
    return model.manager();
  }

  @Override
  public List<Pair<String, Parameter>> parameters() {
    List<Pair<String, Parameter>> parameters = new ArrayList<>();
    model.model().parameters().forEach(parameters::add);
    estimator.parameters().forEach(p -> parameters.add(new Pair<>("estimator." + p.getKey(), p.getValue())));
    return parameters;
  }

  @Override
  public Map<String, NDArray> runningState() {
    return estimator.runningState();
  }

  @Override
  public PerItemFamily perItemFamily() {
    return model.model().encoder() instanceof PerItemFamily family ? family : null;
  }

  @Override
  public boolean supportsKlWeight() {
    return estimator.supportsKlWeight();
  }

  @Override
  public String lossName() {
    return estimator.getClass().getSimpleName();
  }

  @Override
  public ElboEstimate estimate(NDArray batch, double klWeight) {
    return klWeight == 1.0 ? estimator.estimate(model.model(), batch)
        : estimator.estimate(model.model(), batch, klWeight);
  }

  /** The encoder's widest layer per item, or the decoder's per sample times the estimator's samples per item. */
  @Override
  public long widestPerItem(int columns) {
    return Math.max(Evaluator.widest(model.model().encoder(), columns),
        (long) Math.max(1, estimator.samplesPerItem()) * Evaluator.widest(model.model().decoder(), columns));
  }

  @Override
  public boolean convolutional() {
    return Evaluator.convolutional(model.model().encoder()) || Evaluator.convolutional(model.model().decoder());
  }

  /**
   * Separable when the estimator is ({@link GradientEstimator#rowSeparable}), every part is ({@link
   * io.vi4j.api.model.Trainable#rowSeparable}) and the posterior is amortized (free per-item rows are
   * updated by the trainer's own per-item Adam, which does not split).
   */
  @Override
  public boolean rowSeparable() {
    return estimator.rowSeparable() && estimator.runningState().isEmpty() && perItemFamily() == null
        && model.model().prior().rowSeparable() && model.model().encoder().rowSeparable()
        && model.model().decoder().rowSeparable();
  }

  @Override
  public ElboReport evaluate(Dataset data) {
    return evaluator.negativeElbo(model, data);
  }
}
