package io.vi4j.api.kit.progress;

/**
 * Where a long loop reports how far it is. A loop opens a stage, reports the units done, and closes it:
 *
 * <pre>{@code
 * try (Progress.Stage stage = Progress.stage("IWAE log-likelihood, k = 1000", items, "items")) {
 *   for (int from = 0; from < items; from += chunk) {
 *     ... one chunk ...
 *     stage.stepTo(Math.min(items, from + chunk));
 *   }
 * }
 * }</pre>
 *
 * <p>Nothing is shown unless the calling thread has a {@link Listener} (installed with {@link #show}),
 * as the command line does around each command; without one a stage costs one thread-local read. The
 * listener decides how to show stages that open while another is open (the command line shows the
 * outermost only).
 */
public final class Progress {
  private static final ThreadLocal<Listener> LISTENER = new ThreadLocal<>();

  private static final Stage SILENT = new Stage() {
    @Override
    public void stepTo(long done) {}

    @Override
    public void close() {}
  };

  private Progress() {}

  /** Shows stages: a progress bar, a log line, or anything else. */
  @FunctionalInterface
  public interface Listener {
    /**
     * A stage begins.
     *
     * @param name what the stage does, in words (such as {@code "EM iterations"})
     * @param total the units it has; 0 when not known in advance
     * @param unit what a unit is, plural (such as {@code "items"})
     * @return the stage, which hears the units done and its end
     */
    Stage stage(String name, long total, String unit);
  }

  /** One stage of a long computation; close it when the stage ends. */
  public interface Stage extends AutoCloseable {
    /** @param done the units done so far (at most the total; a stage may end before its total, as EM does) */
    void stepTo(long done);

    @Override
    void close();
  }

  /** Ends the listening that {@link #show} began. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Opens a stage on the calling thread's listener.
   *
   * @param total the units of the stage; 0 when not known in advance
   * @return the stage; a silent one when nothing listens
   */
  public static Stage stage(String name, long total, String unit) {
    Listener listener = LISTENER.get();
    return listener == null ? SILENT : listener.stage(name, total, unit);
  }

  /**
   * Lets {@code listener} hear the stages this thread opens until the scope is closed (then the listener
   * before it hears them again).
   */
  public static Scope show(Listener listener) {
    Listener before = LISTENER.get();
    LISTENER.set(listener);
    return () -> {
      if (before == null) {
        LISTENER.remove();
      } else {
        LISTENER.set(before);
      }
    };
  }
}
