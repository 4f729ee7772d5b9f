package io.vi4j.apps;

import io.vi4j.core.train.TrainingListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What {@code vi4j train} does on SIGINT (Ctrl-C), SIGTERM and SIGHUP: while it trains, it finishes the
 * step under way, writes a checkpoint where it stands and stops, saying how to continue; outside the
 * training loop (loading data, the final evaluation) it stops at once, saying where the run stands. A
 * second signal stops at once. The exit status is 128 plus the signal's number, as a shell reports it.
 */
final class StopSignals implements TrainingListener, AutoCloseable {
  private static final String[] NAMES = {"INT", "TERM", "HUP"};

  private final Path runDirectory;
  private final PrintStream err;
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
  private volatile Signal received;
  private volatile boolean inTrainingLoop;
  private volatile boolean trainingDone;

  private StopSignals(Path runDirectory, PrintStream err) {
    this.runDirectory = runDirectory;
    this.err = err;
  }

  /** Handles the three signals until {@link #close()}; a platform without one of them skips it. */
  static StopSignals install(Path runDirectory, PrintStream err) {
    StopSignals signals = new StopSignals(runDirectory, err);
    for (String name : NAMES) {
      try {
        Signal signal = new Signal(name);
        signals.previous.put(signal, Signal.handle(signal, signals::handle));
      } catch (IllegalArgumentException e) {
        // not a signal on this platform (SIGHUP on Windows), or one the JVM keeps for itself
      }
    }
    return signals;
  }

  private void handle(Signal signal) {
    if (received == null && inTrainingLoop) {
      received = signal;
      err.println();
      err.println("vi4j: SIG" + signal.getName() + " received: stopping after this step and writing a checkpoint"
          + " (send it again to stop at once)");
      err.flush();
      return;
    }
    err.println();
    err.println("vi4j: stopped by SIG" + signal.getName() + " " + where());
    err.flush();
    System.exit(exitStatus(signal));
  }

  private String where() {
    if (trainingDone) {
      return "after training, before the run was finished; " + runDirectory + " is not finished: vi4j train --resume "
          + runDirectory + " evaluates it from its last checkpoint";
    }
    if (inTrainingLoop || received != null) {
      return "while training; vi4j train --resume " + runDirectory + " continues from the newest checkpoint in "
          + runDirectory.resolve("checkpoints");
    }
    return "before training started; nothing was trained";
  }

  /** @return the signal that asked training to stop, or null. */
  Signal received() {
    return received;
  }

  /** @return 128 plus the signal's number. */
  static int exitStatus(Signal signal) {
    return 128 + signal.getNumber();
  }

  @Override
  public void epochStarted(int epoch, int epochs, int steps) {
    inTrainingLoop = true;
  }

  @Override
  public boolean stopRequested() {
    return received != null;
  }

  /** The training loop has returned: from here a signal stops the process at once. */
  @Override
  public void trainingEnded() {
    inTrainingLoop = false;
    trainingDone = true;
  }

  @Override
  public void close() {
    previous.forEach(Signal::handle);
  }
}
