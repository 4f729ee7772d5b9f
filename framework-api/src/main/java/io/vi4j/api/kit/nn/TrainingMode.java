package io.vi4j.api.kit.nn;

/**
 * Whether networks run in training mode (batch statistics in batch norm, dropout on) or in inference
 * mode (running statistics, no dropout), as PyTorch's {@code module.train()} and {@code module.eval()}.
 * Inference is the default; the trainer switches training on around each step, for the calling thread
 * only, so evaluation and every use run in inference mode without anyone having to remember it.
 *
 * <pre>{@code
 * try (TrainingMode.Scope training = TrainingMode.training()) {
 *   ... forward and backward ...
 * }
 * }</pre>
 */
public final class TrainingMode {
  private static final ThreadLocal<Boolean> TRAINING = ThreadLocal.withInitial(() -> false);

  private TrainingMode() {}

  /** @return whether networks on this thread run in training mode. */
  public static boolean isTraining() {
    return TRAINING.get();
  }

  /** @return a scope in which this thread's networks run in training mode; close it to restore. */
  public static Scope training() {
    boolean before = TRAINING.get();
    TRAINING.set(true);
    return () -> TRAINING.set(before);
  }

  /** Ends a training scope. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
