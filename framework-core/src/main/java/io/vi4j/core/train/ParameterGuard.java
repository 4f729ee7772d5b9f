package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the divergence guard's promise that a non-finite update is never kept: before every update it
 * copies the parameters into buffers allocated once (a device-side copy, no host transfer), so that when
 * an update turns a parameter into NaN or infinity — a learning rate of 1e308 does with finite losses and
 * gradients — the parameters from before that update are put back and training stops naming its step.
 */
final class ParameterGuard {
  private final List<Pair<String, Parameter>> parameters;
  private final List<NDArray> before = new ArrayList<>();
  private int epoch;
  private int step;
  private boolean remembered;

  /**
   * @param parameters every trained parameter
   * @param manager where the copies live (closed after training)
   */
  ParameterGuard(List<Pair<String, Parameter>> parameters, NDManager manager) {
    this.parameters = parameters;
    for (Pair<String, Parameter> p : parameters) {
      NDArray weight = p.getValue().getArray();
      before.add(manager.zeros(weight.getShape(), weight.getDataType()));
    }
  }

  /** Copies the parameters as they are before the update of {@code (epoch, step)}. */
  void remember(int epoch, int step) {
    for (int i = 0; i < parameters.size(); i++) {
      before.get(i).set(new NDIndex("..."), parameters.get(i).getValue().getArray());
    }
    this.epoch = epoch;
    this.step = step;
    this.remembered = true;
  }

  /** @return the sum of every parameter as a float64 scalar on {@code stepManager} (not read back). */
  NDArray parameterSum(NDManager stepManager) {
    NDArray total = stepManager.zeros(new Shape(), DataType.FLOAT64);
    for (Pair<String, Parameter> p : parameters) {
      NDArray sum = p.getValue().getArray().sum();
      stepManager.attachAll(sum); // results of a parameter land on the parameter's manager otherwise
      total.addi(sum.toType(DataType.FLOAT64, false));
    }
    return total;
  }

  /**
   * Returns when every parameter is finite, element by element; otherwise puts back the parameters from before the last
   * update and throws.
   *
   * @throws TrainingDivergedException naming the update's step and the first parameter it broke
   */
  void requireFinite() {
    String broken = firstNonFinite();
    if (broken == null) {
      return;
    }
    if (!remembered) {
      throw new IllegalStateException("parameter '" + broken + "' is not finite before any update");
    }
    for (int i = 0; i < parameters.size(); i++) {
      parameters.get(i).getValue().getArray().set(new NDIndex("..."), before.get(i));
    }
    throw SviTrainer.diverged(epoch, step, "its update made parameter '" + broken + "' non-finite");
  }

  /**
   * @return the first parameter holding a NaN or an infinity, element by element: a sum (the per-step
   *     screen of {@link #parameterSum}) also overflows for finite values near the float32 limit
   */
  private String firstNonFinite() {
    for (Pair<String, Parameter> p : parameters) {
      NDArray weight = p.getValue().getArray();
      try (NDManager scratch = weight.getManager().newSubManager()) {
        NDArray nan = weight.isNaN();
        NDArray infinite = weight.isInfinite();
        scratch.attachAll(nan, infinite); // results of a parameter land on the parameter's manager otherwise
        if (nan.logicalOr(infinite).any().getBoolean()) {
          return p.getKey();
        }
      }
    }
    return null;
  }
}
