package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.optimizer.Optimizer;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015) whose state can be read and restored, so that a checkpointed run resumes
 * exactly. The update is DJL's ({@code Adam}): bias correction folded into the step size, optional
 * clipping of each gradient coordinate to {@code [−c, c]}, the gradient cleared after the update. For
 * float32 parameters in CPU memory it runs in one pass per parameter on the host ({@link HostAdam}); for
 * anything else (a GPU) it is the engine's fused {@code adamUpdate} call. The two differ only in float
 * rounding; a run takes the same path at every step, so a resumed run continues bit for bit. DJL's own class
 * keeps its moments and step counts in private fields.
 *
 * <p>The moments live on a manager the caller owns (the model's), created on a parameter's first update
 * and updated in place afterwards, so the live-array count does not grow with steps.
 */
public final class ResumableAdam {
  private float learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float clipGradient;
  private final NDManager stateManager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private final HostAdam host; // null: always the engine's call
  private long step;
  private float stepLearningRate; // α as of the last beginStep(): every update of a step uses the same
  private float correctedStepSize;

  /**
   * @param learningRate the step size α
   * @param beta1 first-moment decay β₁
   * @param beta2 second-moment decay β₂
   * @param epsilon the denominator guard ε
   * @param clipGradient clip each gradient coordinate to {@code [−c, c]} before the update; 0 or less
   *     means no clipping
   * @param stateManager where the moments are allocated (a long-lived manager on the parameters' device)
   */
  public ResumableAdam(
      float learningRate, float beta1, float beta2, float epsilon, float clipGradient, NDManager stateManager) {
    this(learningRate, beta1, beta2, epsilon, clipGradient, stateManager, true);
  }

  /** As above; {@code hostUpdates} false makes every update the engine's call (for tests of both paths). */
  ResumableAdam(float learningRate, float beta1, float beta2, float epsilon, float clipGradient,
      NDManager stateManager, boolean hostUpdates) {
    this.host = hostUpdates ? new HostAdam() : null;
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.clipGradient = clipGradient > 0 ? clipGradient : -1f;
    this.stateManager = stateManager;
  }

  /** @return the step size α the next step begins with. */
  public float learningRate() {
    return learningRate;
  }

  /**
   * Sets the step size α from the next {@link #beginStep()} on (a learning-rate schedule); both update
   * paths, the host pass and the engine's call, use it, and the updates of a step already begun keep the
   * rate it began with. It is not part of the saved state: a schedule sets
   * it again from its position in the run before a resumed run's first step.
   *
   * @param value a positive step size (as in the constructor, a configured rate beyond float's range is
   *     infinite here, and training diverges at its first step, naming it)
   */
  public void setLearningRate(float value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException("Adam's learning rate must be a positive number, got " + value);
    }
    learningRate = value;
  }

  /**
   * Starts the next step: every parameter updated until the next call shares its step count {@code t}
   * (the bias correction's exponent). DJL's optimizer counts per parameter and takes the maximum, which
   * is the same when every parameter is updated at every step, as here.
   */
  public void beginStep() {
    step++;
    stepLearningRate = learningRate;
    // Bias correction folded into the step size, as DJL's Adam does: α·√(1 − β₂ᵗ)/(1 − β₁ᵗ).
    correctedStepSize =
        (float) (learningRate * Math.sqrt(1.0 - Math.pow(beta2, step)) / (1.0 - Math.pow(beta1, step)));
  }

  /**
   * Updates {@code weight} in place from {@code gradient} and clears the parameter's gradient.
   *
   * @param name the parameter's unique name
   * @param weight the parameter, any shape
   * @param gradient its gradient ({@code weight.getGradient()}), the same shape
   */
  public void update(String name, NDArray weight, NDArray gradient) {
    if (step == 0) {
      throw new IllegalStateException("beginStep() was not called before the first update");
    }
    FloatBuffer[] views = hostViews(name, weight, gradient);
    if (views != null) {
      host.update(views[0], views[1], views[2], views[3], beta1, beta2, correctedStepSize, epsilon, clipGradient);
    } else {
      engineUpdate(name, weight, gradient);
    }
  }

  /** The engine's fused update of a parameter whose moments {@link #hostViews} made. */
  private void engineUpdate(String name, NDArray weight, NDArray gradient) {
    NDArray first = firstMoments.get(name);
    NDArray second = secondMoments.get(name);
    if (clipGradient > 0) {
      // The engine's call clips from above only (MXNet's convention): clip both ways, in place.
      try (NDArray clipped = gradient.clip(-clipGradient, clipGradient)) {
        gradient.set(new NDIndex("..."), clipped);
      }
    }
    weight.getNDArrayInternal().adamUpdate(new NDList(weight, gradient, first, second), new NDList(weight),
        stepLearningRate, correctedStepSize, 0f, 1f, -1f, beta1, beta2, epsilon, true, false);
  }

  /**
   * Updates every parameter of a step, as {@link #update} does one by one, with the same result bit for
   * bit. The host passes ({@link HostAdam}) of all of them are handed to two threads at once when they are
   * large enough: the calling thread updates the first half of each parameter, one other thread the second
   * half. The pass is bound by memory traffic, which one core does not saturate; one hand-off per step
   * (not per parameter) keeps the cost of waking the other thread small.
   *
   * @param names the parameters' unique names
   * @param weights the parameters, any shapes
   * @param gradients their gradients, the same shapes; cleared
   */
  public void updateAll(List<String> names, List<NDArray> weights, List<NDArray> gradients) {
    updateAll(names, weights, gradients, null);
  }

  /**
   * As {@link #updateAll(List, List, List)}, with the other thread's half on {@code partner} (null: the
   * process's shared partner thread).
   */
  void updateAll(List<String> names, List<NDArray> weights, List<NDArray> gradients, HandOffThread partner) {
    if (step == 0) {
      throw new IllegalStateException("beginStep() was not called before the first update");
    }
    List<FloatBuffer[]> hostViews = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      FloatBuffer[] views = hostViews(names.get(i), weights.get(i), gradients.get(i));
      if (views == null) {
        engineUpdate(names.get(i), weights.get(i), gradients.get(i));
      } else {
        hostViews.add(views);
      }
    }
    if (!hostViews.isEmpty()) {
      host.updateAll(hostViews, beta1, beta2, correctedStepSize, epsilon, clipGradient, partner);
    }
  }

  /** @return the four host views of a parameter's update (weight, gradient, moments), or null for the engine's call */
  private FloatBuffer[] hostViews(String name, NDArray weight, NDArray gradient) {
    NDArray first = moment(firstMoments, name, weight);
    NDArray second = moment(secondMoments, name, weight);
    FloatBuffer weightView = host == null ? null : HostAdam.view(weight);
    FloatBuffer gradientView = weightView == null ? null : HostAdam.view(gradient);
    FloatBuffer firstView = gradientView == null ? null : HostAdam.view(first);
    FloatBuffer secondView = firstView == null ? null : HostAdam.view(second);
    return secondView == null ? null : new FloatBuffer[] {weightView, gradientView, firstView, secondView};
  }

  private NDArray moment(Map<String, NDArray> moments, String name, NDArray weight) {
    NDArray moment = moments.computeIfAbsent(name, k -> stateManager.zeros(weight.getShape(), weight.getDataType()));
    if (!moment.getShape().equals(weight.getShape()) || moment.getDataType() != weight.getDataType()) {
      throw new IllegalArgumentException("parameter '" + name + "' is " + weight.getDataType() + " "
          + weight.getShape() + ", its Adam moment " + moment.getDataType() + " " + moment.getShape());
    }
    return moment;
  }

  /** @return the number of steps begun so far (Adam's {@code t}). */
  public long step() {
    return step;
  }

  /** @return the first moments by parameter name (live arrays; do not close them). */
  public Map<String, NDArray> firstMoments() {
    return Collections.unmodifiableMap(firstMoments);
  }

  /** @return the second moments by parameter name (live arrays; do not close them). */
  public Map<String, NDArray> secondMoments() {
    return Collections.unmodifiableMap(secondMoments);
  }

  /**
   * Replaces the state with a saved one.
   *
   * @param savedStep the step count {@code t} saved
   * @param first first moments by parameter name, each the shape of its parameter; copied
   * @param second second moments by parameter name; copied
   */
  public void restore(long savedStep, Map<String, NDArray> first, Map<String, NDArray> second) {
    if (savedStep < 0) {
      throw new IllegalArgumentException("Adam's step count must be ≥ 0, got " + savedStep);
    }
    if (!first.keySet().equals(second.keySet())) {
      throw new IllegalArgumentException("first and second moments name different parameters: "
          + first.keySet() + " vs " + second.keySet());
    }
    for (String name : first.keySet()) {
      NDArray m = first.get(name);
      NDArray v = second.get(name);
      if (!m.getShape().equals(v.getShape()) || m.getDataType() != v.getDataType()) {
        throw new IllegalArgumentException("parameter '" + name + "': first moment " + m.getDataType() + " "
            + m.getShape() + ", second " + v.getDataType() + " " + v.getShape());
      }
    }
    // Copy before closing the old state: the maps passed may be this optimizer's own (firstMoments()).
    Map<String, NDArray> newFirst = new LinkedHashMap<>();
    Map<String, NDArray> newSecond = new LinkedHashMap<>();
    first.forEach((name, array) -> newFirst.put(name, copy(array)));
    second.forEach((name, array) -> newSecond.put(name, copy(array)));
    firstMoments.values().forEach(NDArray::close);
    secondMoments.values().forEach(NDArray::close);
    firstMoments.clear();
    secondMoments.clear();
    firstMoments.putAll(newFirst);
    secondMoments.putAll(newSecond);
    step = savedStep;
  }

  /** A copy in the engine's own memory (a clone, not {@code set(Buffer)}: see HostTensor.copyInto). */
  private NDArray copy(NDArray array) {
    NDArray copy = array.duplicate();
    copy.attach(stateManager);
    return copy;
  }
}
