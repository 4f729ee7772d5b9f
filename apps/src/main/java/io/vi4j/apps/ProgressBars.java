package io.vi4j.apps;

import io.vi4j.api.kit.progress.Progress;
import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows the stages of long computations ({@link Progress}): on a terminal a bar with the rate and the time
 * left, elsewhere one plain line per stage when it ends (what it did, how many units, how long), so that
 * logs stay readable. A stage opened while another is open is left to the outer one. {@link #context}
 * names what the next stages belong to (such as an estimator's name).
 */
final class ProgressBars implements Progress.Listener {
  private final PrintStream lines;
  private final boolean bars;
  private final boolean quiet;
  private int open;
  private String context = "";

  /**
   * @param lines where the plain lines go (standard output)
   * @param bars whether to draw bars (a terminal) rather than lines
   * @param quiet whether to show nothing ({@code --no-progress})
   */
  ProgressBars(PrintStream lines, boolean bars, boolean quiet) {
    this.lines = lines;
    this.bars = bars;
    this.quiet = quiet;
  }

  /** @return whether training shows a bar per epoch (a terminal, and progress not switched off) */
  boolean bars() {
    return bars && !quiet;
  }

  /** Prefixes the names of the stages opened until the scope closes with {@code name}. */
  Progress.Scope context(String name) {
    String before = context;
    context = name + ": ";
    return () -> context = before;
  }

  @Override
  public Progress.Stage stage(String name, long total, String unit) {
    if (quiet || open > 0) {
      return silentNested();
    }
    open++;
    String task = context + name;
    long start = System.nanoTime();
    ProgressBar bar = bars ? new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total > 0 ? total : -1)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .continuousUpdate()
        .build() : null;
    return new Progress.Stage() {
      private long done;
      private boolean closed;

      @Override
      public void stepTo(long units) {
        done = units;
        if (bar != null) {
          bar.stepTo(units);
        }
      }

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        open--;
        if (bar != null) {
          bar.close();
        } else {
          double seconds = (System.nanoTime() - start) / 1e9;
          lines.println(line(task, done, unit, seconds));
          lines.flush();
        }
      }
    };
  }

  /** @return the plain line of a stage that ended: {@code "TASK: N UNIT in S s (R UNIT/s)"}. */
  static String line(String task, long done, String unit, double seconds) {
    String rate = seconds > 0 && done > 0 ? String.format(" (%.3g %s/s)", done / seconds, unit) : "";
    return String.format("%s: %d %s in %s%s", task, done, unit, duration(seconds), rate);
  }

  private static String duration(double seconds) {
    if (seconds < 60) {
      return String.format("%.1f s", seconds);
    }
    Duration d = Duration.ofMillis(Math.round(seconds * 1000));
    return d.toHours() > 0 ? String.format("%d h %02d min", d.toHours(), d.toMinutesPart())
        : String.format("%d min %02d s", d.toMinutes(), d.toSecondsPart());
  }

  private Progress.Stage silentNested() {
    boolean counted = !quiet;
    if (counted) {
      open++;
    }
    return new Progress.Stage() {
      private boolean closed;

      @Override
      public void stepTo(long done) {}

      @Override
      public void close() {
        if (counted && !closed) {
          open--;
        }
        closed = true;
      }
    };
  }
}
