package io.vi4j.core.run;

import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.Support;
import io.vi4j.core.config.ExperimentSpec;
import java.io.IOException;
import java.nio.file.Path;

/** The checks a run passes before anything is trained or written, and before a trained run is used. */
public final class RunChecks {
  private RunChecks() {}

  /**
   * Fails, naming the dataset, the item, the position and the value, when a value lies outside what the
   * likelihood can score.
   */
  public static void checkSupport(Dataset data, Support support, String likelihoodName) {
    float[] values = data.values();
    int d = data.columns();
    for (int i = 0; i < values.length; i++) {
      if (!support.contains(values[i])) {
        throw new IllegalArgumentException(
            data.name() + ": item " + (i / d) + ", position " + (i % d) + " has value " + values[i]
                + ", but the '" + likelihoodName + "' likelihood accepts " + support.description()
                + (support.lower() == 0 && support.upper() == 1 ? "; scale the data to [0, 1] first" : ""));
      }
    }
  }

  /**
   * Fails when the data a run's config leads to now are not those it was trained on (a file replaced, a
   * relative path resolved elsewhere); runs from before fingerprints were recorded are not checked.
   */
  public static void checkSameData(RunDirectory run, DataFingerprint now) throws IOException {
    if (run.record().isEmpty() || run.record().get().data() == null) {
      return;
    }
    String difference = run.record().get().data().difference(now);
    if (difference != null) {
      throw new IOException(run.root() + ": the data its config.yaml names are not the data it was trained on: "
          + difference + " (relative data paths resolve against "
          + run.dataDirectory(Path.of("").toAbsolutePath()) + ")");
    }
  }

  /**
   * Fails, naming the setting, when one training step's largest array (the decoder's output for every
   * sample of every item of a minibatch) cannot fit in memory.
   */
  static void checkStepMemory(ExperimentSpec spec, GradientEstimator estimator, int items, int dimension, int latent) {
    int batch = Math.min(spec.training().batchSize(), items);
    int samples = estimator.samplesPerItem();
    long width = Math.max(dimension, latent);
    String formula = batch + " items × " + samples + " samples × " + width + " values";
    String problem = io.vi4j.api.kit.math.MemoryBudget.nativeProblem(formula, batch, samples, width);
    if (problem != null) {
      throw new IllegalArgumentException((samples > 1 ? "estimator.samples" : "training.batch_size") + ": a step holds "
          + problem + "; lower " + (samples > 1 ? "estimator.samples or " : "") + "training.batch_size");
    }
  }
}
