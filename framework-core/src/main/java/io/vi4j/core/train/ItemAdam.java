package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.model.PerItemFamily;
import io.vi4j.core.config.TrainingSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam for the rows of a {@link PerItemFamily}'s table: a step updates the rows of its minibatch's items
 * only, each with its own moments and its own step count (so a row's bias correction is that of the
 * updates it has had, as if every item had its own optimizer). Rows of items outside the minibatch do not
 * move, unlike under dense Adam, whose moments would keep moving them with a zero gradient (PyTorch's
 * {@code SparseAdam} and TensorFlow's {@code LazyAdam} skip them the same way, with one shared count).
 *
 * <p>Its moments and counts are running state: saved in checkpoints and put back by the divergence guard
 * with the estimator's ({@link #state()}).
 */
final class ItemAdam implements AutoCloseable {
  private final PerItemFamily family;
  private final NDManager manager;
  private final NDArray firstMoment;
  private final NDArray secondMoment;
  private final NDArray steps;
  private final float learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float clip;

  /** A minibatch's rows: their indices and a leaf copy the estimator's gradient reaches. */
  record Rows(NDArray index, NDArray values) {}

  /**
   * @param family the per-item family, its table of {@code N} rows
   * @param parent the model's manager; the state lives on a child of it until {@link #close()}
   * @param spec Adam's decays and guard, and the gradient clip
   */
  ItemAdam(PerItemFamily family, NDManager parent, TrainingSpec spec) {
    this.family = family;
    this.manager = parent.newSubManager();
    Shape shape = family.table().getShape();
    this.firstMoment = manager.zeros(shape);
    this.secondMoment = manager.zeros(shape);
    this.steps = manager.zeros(new Shape(shape.get(0), 1));
    this.learningRate = (float) family.learningRate();
    this.beta1 = spec.beta1().floatValue();
    this.beta2 = spec.beta2().floatValue();
    this.epsilon = spec.epsilon().floatValue();
    this.clip = spec.clipGradient().floatValue();
  }

  /** @return the moments and step counts by name, for checkpoints and the divergence guard. */
  Map<String, NDArray> state() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    state.put("items.adam.first_moment", firstMoment);
    state.put("items.adam.second_moment", secondMoment);
    state.put("items.adam.steps", steps);
    return state;
  }

  /**
   * @param order the epoch's order of the training items
   * @return rows {@code order[from..to)} of the table as a leaf array with a gradient, shape
   *     {@code (to − from, P)}, on {@code stepManager}
   */
  Rows gather(long[] order, int from, int to, NDManager stepManager) {
    NDArray index = stepManager.create(Arrays.copyOfRange(order, from, to));
    NDArray values = family.table().get(stepManager, new NDIndex("{}", index));
    values.setRequiresGradient(true);
    return new Rows(index, values);
  }

  /** Binds {@code rows} to the family as the posteriors of the step's minibatch, until the scope closes. */
  PerItemFamily.Binding bind(Rows rows) {
    return family.bind(rows.values());
  }

  /** Applies Adam to {@code rows} with their gradient, writing the rows and their state back. */
  void update(Rows rows, NDManager stepManager) {
    NDIndex at = new NDIndex("{}", rows.index());
    try (NDManager scope = stepManager.newSubManager(); NDArray raw = rows.values().getGradient()) {
      NDArray gradient = clip > 0 ? raw.clip(-clip, clip) : raw;
      NDArray m = firstMoment.get(scope, at).mul(beta1).add(gradient.mul(1 - beta1));
      NDArray v = secondMoment.get(scope, at).mul(beta2).add(gradient.square().mul(1 - beta2));
      NDArray t = steps.get(scope, at).add(1);
      NDArray firstCorrection = t.zerosLike().add(beta1).pow(t).neg().add(1);
      NDArray secondCorrection = t.zerosLike().add(beta2).pow(t).neg().add(1);
      NDArray step = m.div(firstCorrection).div(v.div(secondCorrection).sqrt().add(epsilon)).mul(learningRate);
      family.table().set(at, rows.values().stopGradient().sub(step));
      firstMoment.set(at, m);
      secondMoment.set(at, v);
      steps.set(at, t);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
