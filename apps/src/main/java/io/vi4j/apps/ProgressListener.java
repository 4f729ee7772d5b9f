package io.vi4j.apps;

import io.vi4j.core.train.EpochMetrics;
import io.vi4j.core.train.TrainingListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch on a terminal (the running −ELBO beside it), and one summary line per epoch
 * everywhere (so that logs of non-interactive runs stay readable).
 */
final class ProgressListener implements TrainingListener {
  private final PrintStream out;
  private final boolean bar;
  private ProgressBar progress;

  ProgressListener(PrintStream out, boolean bar) {
    this.out = out;
    this.bar = bar;
  }

  @Override
  public void threadsChosen(int stepThreads, int engineThreads, long widestArray) {
    if (stepThreads != engineThreads) {
      out.printf("vi4j: training steps on %d engine thread%s of %d: their widest array (%,d floats) is too small to"
          + " split (docs/performance.md; --threads N fixes the count)%n", stepThreads, stepThreads == 1 ? "" : "s",
          engineThreads, widestArray);
      out.flush();
    }
  }

  @Override
  public void slicesChosen(int slices, int batchSize) {
    out.printf("vi4j: training steps split into %d slices of about %d rows, computed side by side on one engine"
        + " thread each (docs/performance.md; training.shards: 1 keeps a step whole)%n", slices,
        (batchSize + slices - 1) / slices);
    out.flush();
  }

  @Override
  public void convolutionsChosen(boolean engine) {
    out.println(engine
        ? "vi4j: stride-1 convolutions by the engine (its gradient checked sound on this machine; docs/networks.md)"
        : "vi4j: stride-1 convolutions as im2col (the engine's gradient failed the check on this machine; docs/networks.md)");
    out.flush();
  }

  @Override
  public void epochStarted(int epoch, int epochs, int steps) {
    if (bar) {
      progress = new ProgressBarBuilder()
          .setTaskName("epoch " + epoch + "/" + epochs)
          .setInitialMax(steps)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .continuousUpdate()
          .build();
    }
  }

  @Override
  public void stepDone(int epoch, int step, double runningNegElbo) {
    if (progress != null) {
      progress.stepTo(step);
      if (!Double.isNaN(runningNegElbo)) {
        progress.setExtraMessage(String.format(" -ELBO %.2f", runningNegElbo));
      }
    }
  }

  @Override
  public void epochEnded(EpochMetrics m) {
    if (progress != null) {
      progress.close();
      progress = null;
    }
    String test = Double.isNaN(m.testNegElbo())
        ? ""
        : String.format("  test -ELBO %.3f (recon %.3f + KL %.3f)", m.testNegElbo(), m.testReconstruction(), m.testKl());
    String validation = Double.isNaN(m.validationNegElbo()) ? "" : String.format("  validation -ELBO %.3f", m.validationNegElbo());
    String weight = Double.isNaN(m.klWeight()) || m.klWeight() == 1.0 ? "" : String.format("  KL weight %.3g", m.klWeight());
    out.printf("epoch %d: train -ELBO %.3f%s%s%s  %.0f items/s%s%n", m.epoch(), m.trainNegElbo(), validation, test, weight,
        m.samplesPerSecond(), m.stoppedEarly() ? "  (early stopping: no improvement, training ends)" : "");
    out.flush();
  }
}
