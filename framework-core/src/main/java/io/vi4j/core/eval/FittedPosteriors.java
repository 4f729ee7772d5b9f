package io.vi4j.core.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.kit.elbo.ElboTerms;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.PerItemFamily;
import io.vi4j.core.model.AssembledModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The posteriors of a data set's items for a model without an encoder ({@link PerItemFamily}): each item's
 * row of variational parameters fitted by Adam on the item's own ELBO with the prior and the likelihood
 * held fixed — the E-step of variational EM, which such a model must run for every item it was not trained
 * on ("no {@code m, s} for test objects"). For a model with an encoder there is nothing to fit ({@link
 * #none()}). Its fitting time is what test-time inference costs the non-amortized model; the evaluator
 * reports it.
 */
public final class FittedPosteriors implements AutoCloseable {
  private static final FittedPosteriors NONE = new FittedPosteriors(null, null, null, 0, 0);

  private final PerItemFamily family;
  private final NDManager manager;
  private final NDArray table;
  private final double seconds;
  private final int steps;

  private FittedPosteriors(PerItemFamily family, NDManager manager, NDArray table, double seconds, int steps) {
    this.family = family;
    this.manager = manager;
    this.table = table;
    this.seconds = seconds;
    this.steps = steps;
  }

  /** @return nothing fitted: the model's encoder infers posteriors itself. */
  public static FittedPosteriors none() {
    return NONE;
  }

  /**
   * Fits the posteriors of every item of {@code data} when the model has no encoder, in chunks whose decoder
   * output stays under 2^22 values; otherwise returns {@link #none()}.
   */
  public static FittedPosteriors fit(AssembledModel model, Dataset data) {
    if (!(model.model().encoder() instanceof PerItemFamily family)) {
      return NONE;
    }
    long perItem = (long) family.inference().samples() * data.columns();
    int chunk = (int) Math.max(1, Math.min(4096, (1L << 22) / perItem));
    return fit(model, data, data.rows(), chunk);
  }

  /**
   * Fits the posteriors of the first {@code items} items of {@code data} when the model has no encoder;
   * otherwise returns {@link #none()}.
   *
   * @param chunk items fitted together (each chunk's steps run before the next chunk's)
   */
  public static FittedPosteriors fit(AssembledModel model, Dataset data, int items, int chunk) {
    if (!(model.model().encoder() instanceof PerItemFamily family)) {
      return NONE;
    }
    PerItemFamily.ItemInference inference = family.inference();
    LatentVariableModel parts = model.model();
    long start = System.nanoTime();
    NDManager manager = model.manager().newSubManager();
    List<NDArray> frozen = new ArrayList<>();
    try {
      // The model is held fixed: its parameters need no gradient while the rows are fitted.
      for (var p : parts.parameters()) {
        Parameter parameter = p.getValue();
        if (parameter.requiresGradient()) {
          parameter.getArray().setRequiresGradient(false);
          frozen.add(parameter.getArray());
        }
      }
      NDArray table = family.initialRows(manager, items);
      try (io.vi4j.api.kit.progress.Progress.Stage stage = io.vi4j.api.kit.progress.Progress.stage(
          "fitting per-item posteriors (" + inference.steps() + " steps each)", items, "items")) {
        for (int from = 0; from < items; from += chunk) {
          int to = Math.min(items, from + chunk);
          try (NDManager chunkManager = manager.newSubManager()) {
            NDArray rows = table.get(chunkManager, new NDIndex(from + ":" + to)).duplicate();
            fitRows(family, parts, data, from, to, rows, inference);
            table.set(new NDIndex(from + ":" + to), rows);
          }
          stage.stepTo(to);
        }
      }
      return new FittedPosteriors(family, manager, table, (System.nanoTime() - start) / 1e9, inference.steps());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    } finally {
      frozen.forEach(array -> array.setRequiresGradient(true));
    }
  }

  /**
   * DJL's Adam (PyTorch's defaults but the step size) on the rows of items {@code [from, to)}, each row on
   * its own item's ELBO; every step's arrays, its copy of the items included, live in the step's manager.
   *
   * @param rows shape {@code (to − from, P)}, fitted in place
   */
  private static void fitRows(PerItemFamily family, LatentVariableModel parts, Dataset data, int from, int to,
      NDArray rows, PerItemFamily.ItemInference inference) {
    rows.setRequiresGradient(true);
    Optimizer adam = Adam.builder().optLearningRateTracker(Tracker.fixed((float) inference.learningRate())).build();
    for (int step = 0; step < inference.steps(); step++) {
      try (NDManager stepManager = rows.getManager().newSubManager()) {
        NDArray x = Evaluator.rows(stepManager, data, from, to);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          // Bound through a sum made on the step's manager, so the step's arrays land there, not on rows'.
          NDArray view = stepManager.zeros(new ai.djl.ndarray.types.Shape(1)).add(rows);
          try (PerItemFamily.Binding binding = family.bind(view)) {
            // The sum over items: each row gets its own item's ELBO gradient.
            collector.backward(ElboTerms.estimate(parts, x, inference.samples(), true).negativeElbo().sum());
          }
        }
        try (NDArray gradient = rows.getGradient()) {
          adam.update("rows", rows, gradient);
        }
      }
    }
    rows.setRequiresGradient(false);
  }

  /**
   * Binds the rows of items {@code [from, to)} to the family until the scope closes (nothing for a model
   * with an encoder).
   */
  public PerItemFamily.Binding bind(int from, int to, NDManager manager) {
    if (family == null) {
      return () -> {};
    }
    return family.bind(table.get(manager, new NDIndex(from + ":" + to)));
  }

  /** @return whether rows were fitted (the model has no encoder). */
  public boolean fitted() {
    return family != null;
  }

  /** @return the wall time of the fit, seconds (0 when nothing was fitted). */
  public double seconds() {
    return seconds;
  }

  /** @return Adam steps per item (0 when nothing was fitted). */
  public int steps() {
    return steps;
  }

  /** @return items fitted (0 when nothing was fitted). */
  public int items() {
    return table == null ? 0 : (int) table.getShape().get(0);
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
    }
  }
}
