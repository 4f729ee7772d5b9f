package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The divergence guard's promise — a non-finite loss, gradient or update is never kept, and training stops
 * naming its step with the parameters from before that step — kept without a host read at every step.
 *
 * <p>Steps run unchecked inside a window. Each adds {@code loss − loss} (0 when the loss is finite, NaN
 * otherwise) to a device-side health scalar; the window is verified where the trainer reads its running
 * sums anyway (every {@code readEvery} steps, before a checkpoint or a stop, at the epoch's end): one host
 * read of the health plus {@code p − p} summed over every parameter (NaN or infinity anywhere makes it
 * NaN). A non-finite gradient always shows there: Adam turns it into a non-finite parameter element.
 * When the window is healthy, the training state is copied on the device (parameters, Adam's moments and
 * step count, the estimator's running state, the epoch's running sums) as the next window's start. When
 * it is not, that copy is put back and the trainer replays the window's steps one at a time with the
 * per-step check ({@link StepCheck}); since every step's noise and minibatch depend on its position only,
 * the replay is the same computation, and it stops at the first step that fails, naming it.
 *
 * <p>Memory: the window's start holds one copy of the parameters and of Adam's two moments; the per-step
 * check's copy of the parameters exists only during a replay.
 */
final class DivergenceGuard implements AutoCloseable {
  private final List<Pair<String, Parameter>> parameters;
  private final ResumableAdam optimizer;
  private final Map<String, NDArray> estimatorState;
  private final NDManager manager;
  private final NDArray health;
  private final NDArray zero;
  private NDManager startManager;
  private WindowStart start;

  /**
   * @param parameters every parameter the trainer saves (trained or not: batch norm's statistics change
   *     too)
   * @param optimizer Adam, whose moments and step count belong to the window's start
   * @param estimatorState the estimator's running arrays, updated in place by its steps
   * @param manager where the guard's arrays live (closed after training)
   */
  DivergenceGuard(
      List<Pair<String, Parameter>> parameters,
      ResumableAdam optimizer,
      Map<String, NDArray> estimatorState,
      NDManager manager) {
    this.parameters = parameters;
    this.optimizer = optimizer;
    this.estimatorState = estimatorState;
    this.manager = manager;
    this.health = manager.zeros(new Shape(), DataType.FLOAT32);
    this.zero = manager.zeros(new Shape(), DataType.FLOAT32); // set(index, 0f) leaves an array behind
  }

  /** Where a window starts: the step it starts after, and the state then. */
  private record WindowStart(
      int stepsDone,
      long globalStep,
      List<NDArray> parameters,
      long adamStep,
      Map<String, NDArray> firstMoments,
      Map<String, NDArray> secondMoments,
      Map<String, NDArray> estimatorState,
      NDArray epochSums) {}

  /**
   * Starts a window after {@code stepsDone} steps of the epoch: copies the training state as it is now.
   * The state must be finite (the trainer starts one at the start of training, after a verified window, and
   * after restoring a checkpoint, whose parameters were checked when it was saved).
   *
   * @param epochSums the epoch's running sums, shape {@code (2)}, float64
   */
  void startWindow(int stepsDone, long globalStep, NDArray epochSums) {
    NDManager next = manager.newSubManager();
    List<NDArray> copies = new ArrayList<>();
    for (Pair<String, Parameter> p : parameters) {
      copies.add(copy(p.getValue().getArray(), next));
    }
    WindowStart window = new WindowStart(stepsDone, globalStep, copies, optimizer.step(),
        copies(optimizer.firstMoments(), next), copies(optimizer.secondMoments(), next), copies(estimatorState, next),
        copy(epochSums, next));
    if (startManager != null) {
      startManager.close();
    }
    startManager = next;
    start = window;
    health.set(new NDIndex("..."), zero);
  }

  /**
   * Adds a step's loss to the window's health, on the device.
   *
   * @param loss the step's loss, a scalar
   * @param stepManager the step's manager, for temporaries
   */
  void record(NDArray loss, NDManager stepManager) {
    NDArray zeroIfFinite = loss.sub(loss); // inf − inf and NaN − NaN are NaN
    stepManager.attachAll(zeroIfFinite); // a result lands on its first operand's manager otherwise
    health.addi(zeroIfFinite.toType(DataType.FLOAT32, false));
  }

  /**
   * @return whether every step of the window had a finite loss and every parameter is finite now (one host
   *     read)
   */
  boolean windowHealthy() {
    try (NDManager scratch = manager.newSubManager()) {
      NDList terms = new NDList();
      NDArray window = health.reshape(1);
      scratch.attachAll(window);
      terms.add(window);
      for (Pair<String, Parameter> p : parameters) {
        NDArray weight = p.getValue().getArray();
        NDArray zeroIfFinite = weight.sub(weight);
        scratch.attachAll(zeroIfFinite); // results of a parameter land on the parameter's manager otherwise
        terms.add(zeroIfFinite.sum().toType(DataType.FLOAT32, false).reshape(1));
      }
      return Float.isFinite(ai.djl.ndarray.NDArrays.concat(terms).sum().getFloat());
    }
  }

  /** @return the steps of that epoch done when the window started. */
  int windowStepsDone() {
    return start.stepsDone();
  }

  /** @return the global step count when the window started. */
  long windowGlobalStep() {
    return start.globalStep();
  }

  /**
   * Puts back the state the window started from, for a replay.
   *
   * @param epochSums the epoch's running sums, overwritten in place
   */
  void restoreWindowStart(NDArray epochSums) {
    for (int i = 0; i < parameters.size(); i++) {
      parameters.get(i).getValue().getArray().set(new NDIndex("..."), start.parameters().get(i));
    }
    optimizer.restore(start.adamStep(), start.firstMoments(), start.secondMoments());
    for (Map.Entry<String, NDArray> entry : start.estimatorState().entrySet()) {
      estimatorState.get(entry.getKey()).set(new NDIndex("..."), entry.getValue());
    }
    epochSums.set(new NDIndex("..."), start.epochSums());
    health.set(new NDIndex("..."), zero);
  }

  private static Map<String, NDArray> copies(Map<String, NDArray> arrays, NDManager where) {
    Map<String, NDArray> copies = new LinkedHashMap<>();
    arrays.forEach((name, array) -> copies.put(name, copy(array, where)));
    return copies;
  }

  /** A copy in the engine's own memory on {@code where}. */
  private static NDArray copy(NDArray array, NDManager where) {
    NDArray copy = array.duplicate();
    copy.attach(where);
    return copy;
  }

  @Override
  public void close() {
    if (startManager != null) {
      startManager.close();
      startManager = null;
    }
  }

  /**
   * The per-step check a replay runs: before each update, the loss, the sum of every gradient and the sum
   * of every parameter (as the previous update left them) are read back, one host transfer; a non-finite
   * loss or gradient stops training before the update is applied; non-finite parameters mean the previous
   * step's update broke them, and the parameters from before it are put back first. Its copy of the
   * parameters is allocated for a replay and closed after it.
   */
  static final class StepCheck implements AutoCloseable {
    private final List<Pair<String, Parameter>> parameters;
    private final NDManager manager;
    private final List<NDArray> before = new ArrayList<>();
    private int epoch;
    private int step;
    private boolean remembered;

    /**
     * @param parameters every parameter the trainer saves
     * @param owner the manager under which its copies live until {@link #close}
     */
    StepCheck(List<Pair<String, Parameter>> parameters, NDManager owner) {
      this.parameters = parameters;
      this.manager = owner.newSubManager();
      for (Pair<String, Parameter> p : parameters) {
        NDArray weight = p.getValue().getArray();
        before.add(manager.zeros(weight.getShape(), weight.getDataType()));
      }
    }

    /**
     * Checks a step before its update.
     *
     * @param loss the step's loss, a scalar
     * @param trained the trained parameters
     * @param gradients their gradients, in the same order
     * @param stepManager the step's manager, for temporaries
     * @throws TrainingDivergedException naming the step, with the parameters from before it put back
     */
    void beforeUpdate(
        int epoch,
        int stepInEpoch,
        NDArray loss,
        List<Pair<String, Parameter>> trained,
        List<NDArray> gradients,
        NDManager stepManager) {
      NDArray gradientSum = stepManager.zeros(new Shape(), DataType.FLOAT64);
      for (NDArray gradient : gradients) {
        NDArray sum = gradient.sum();
        stepManager.attachAll(sum); // a result of a gradient lands on the parameter's manager otherwise
        gradientSum.addi(sum.toType(DataType.FLOAT64, false));
      }
      NDArray parameterSum = stepManager.zeros(new Shape(), DataType.FLOAT64);
      for (Pair<String, Parameter> p : parameters) {
        NDArray sum = p.getValue().getArray().sum();
        stepManager.attachAll(sum);
        parameterSum.addi(sum.toType(DataType.FLOAT64, false));
      }
      double[] check = ai.djl.ndarray.NDArrays.stack(new NDList(
          loss.toType(DataType.FLOAT64, false), gradientSum, parameterSum)).toDoubleArray();
      if (!Double.isFinite(check[2])) {
        requireFinite(); // puts back the parameters before the last update and throws
      }
      if (!Double.isFinite(check[0])) {
        throw SviTrainer.diverged(epoch, stepInEpoch, "the loss is " + check[0]);
      }
      if (!Double.isFinite(check[1])) {
        throw SviTrainer.diverged(epoch, stepInEpoch, "the gradient of "
            + firstNonFinite(trained, gradients, stepManager) + " is not finite");
      }
      for (int i = 0; i < parameters.size(); i++) {
        before.get(i).set(new NDIndex("..."), parameters.get(i).getValue().getArray());
      }
      this.epoch = epoch;
      this.step = stepInEpoch;
      this.remembered = true;
    }

    /**
     * Returns when every parameter is finite, element by element; otherwise puts back the parameters from
     * before the last update checked and throws.
     *
     * @throws TrainingDivergedException naming the update's step and the first parameter it broke
     */
    void requireFinite() {
      String broken = firstNonFiniteParameter();
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
     *     screen) also overflows for finite values near the float32 limit
     */
    private String firstNonFiniteParameter() {
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

    private static String firstNonFinite(
        List<Pair<String, Parameter>> trained, List<NDArray> gradients, NDManager stepManager) {
      for (int i = 0; i < gradients.size(); i++) {
        NDArray partial = gradients.get(i).sum();
        stepManager.attachAll(partial);
        if (!Float.isFinite(partial.getFloat())) {
          return "parameter '" + trained.get(i).getKey() + "'";
        }
      }
      return "a parameter";
    }

    @Override
    public void close() {
      manager.close();
    }
  }
}
