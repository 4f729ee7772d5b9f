package io.vi4j.api.kit.nn;

/**
 * A promise, for the calling thread, that no gradient will be taken of what is computed in the scope
 * (evaluation, sampling, importance-sampled likelihoods). Layers may then use faster kernels whose
 * gradients are not to be trusted: {@link Convolutions} uses the engine's convolution at every stride.
 * Outside such a scope every layer computes what its gradient needs — the safe default, since DJL gives
 * no engine-independent way to ask whether a gradient collector is open.
 *
 * <pre>{@code
 * try (GradientFree.Scope inference = GradientFree.scope()) {
 *   ... forward passes only ...
 * }
 * }</pre>
 */
public final class GradientFree {
  private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> false);

  private GradientFree() {}

  /** @return whether the calling thread is in a gradient-free scope. */
  public static boolean isActive() {
    return ACTIVE.get();
  }

  /** @return a scope in which this thread promises to take no gradient; close it to restore. */
  public static TrainingMode.Scope scope() {
    boolean before = ACTIVE.get();
    ACTIVE.set(true);
    return () -> ACTIVE.set(before);
  }
}
