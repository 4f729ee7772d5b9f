package io.vi4j.core.diagnostics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.kit.progress.Progress;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures an estimator's encoder-gradient variance: the model is held fixed, one batch is fixed, and
 * the estimator is asked for {@code R} independent gradients. Per-coordinate sums and sums of squares
 * are kept on the device (float64, updated in place) and read back once. An estimator with parameters
 * of its own (a learned baseline) is first fitted, with the model fixed, for {@link #FIT_STEPS} Adam steps
 * on minibatches of the data, so that it is measured as it would be after training.
 */
public final class GradientVariance {
  /** Adam steps given to an estimator's own parameters before measuring. */
  public static final int FIT_STEPS = 300;

  private GradientVariance() {}

  /** Trains only the estimator's own parameters (if any), zeroing every other gradient. */
  private static void fitEstimator(
      AssembledModel model, GradientEstimator estimator, Dataset data, int batchSize, List<Parameter> all) {
    List<Pair<String, Parameter>> own = new ArrayList<>();
    estimator.parameters().forEach(own::add);
    if (own.isEmpty()) {
      return;
    }
    ai.djl.training.optimizer.Optimizer adam = ai.djl.training.optimizer.Adam.builder().build();
    int batches = Math.max(1, data.rows() / batchSize);
    try (Progress.Stage stage = Progress.stage("fitting the estimator's own parameters", FIT_STEPS, "steps")) {
      for (int step = 0; step < FIT_STEPS; step++) {
        stage.stepTo(step);
        int from = (step % batches) * batchSize;
        try (NDManager manager = model.manager().newSubManager()) {
          NDArray x = Evaluator.rows(manager, data, from, Math.min(data.rows(), from + batchSize));
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(estimator.estimate(model.model(), x).loss());
          }
          for (Pair<String, Parameter> p : own) {
            try (NDArray g = p.getValue().getArray().getGradient()) {
              adam.update(p.getKey(), p.getValue().getArray(), g);
            }
          }
          for (Parameter p : all) {
            try (NDArray g = p.getArray().getGradient()) {
              g.muli(0);
            }
          }
        }
      }
      stage.stepTo(FIT_STEPS);
    }
  }

  /**
   * @param model the trained model; its parameters are not changed
   * @param estimator the estimator under study
   * @param data the batch is its first {@code batchSize} items
   * @param batchSize {@code B}
   * @param draws {@code R}, at least 2
   * @param warmUp draws made first and not recorded (estimators with running baselines settle)
   */
  public static GradientVarianceReport measure(
      AssembledModel model, GradientEstimator estimator, Dataset data, int batchSize, int draws, int warmUp) {
    if (draws < 2) {
      throw new IllegalArgumentException("draws must be at least 2, got " + draws);
    }
    if (model.model().encoder() instanceof io.vi4j.api.model.PerItemFamily) {
      throw new IllegalArgumentException("the gradient variance is measured on the encoder's parameters, and this"
          + " model has per-item posteriors and no encoder");
    }
    List<Parameter> encoder = new ArrayList<>();
    // Only parameters that get gradients: batch norm's running statistics have none.
    model.model().encoder().parameters().forEach(p -> {
      if (p.getValue().requiresGradient()) {
        encoder.add(p.getValue());
      }
    });
    List<Parameter> all = new ArrayList<>();
    for (Pair<String, Parameter> p : model.model().parameters()) {
      if (p.getValue().requiresGradient()) {
        all.add(p.getValue());
      }
    }
    estimator.parameters().forEach(p -> all.add(p.getValue()));
    long coordinates = encoder.stream().mapToLong(p -> p.getArray().size()).sum();
    int b = Math.min(batchSize, data.rows());
    fitEstimator(model, estimator, data, b, all);
    double seconds = 0;
    try (NDManager accumulators = model.manager().newSubManager()) {
      List<NDArray> sums = new ArrayList<>();
      List<NDArray> squares = new ArrayList<>();
      for (Parameter p : encoder) {
        sums.add(accumulators.zeros(p.getArray().getShape(), DataType.FLOAT64));
        squares.add(accumulators.zeros(p.getArray().getShape(), DataType.FLOAT64));
      }
      // long: warmUp + draws overflows an int for draws near 2^31, and the loop would make no draw at all
      try (Progress.Stage stage = Progress.stage("gradient draws", (long) warmUp + draws, "draws")) {
        for (long r = 0; r < (long) warmUp + draws; r++) {
          stage.stepTo(r);
          long start = System.nanoTime();
          try (NDManager step = accumulators.newSubManager()) {
            NDArray x = Evaluator.rows(step, data, 0, b);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
              collector.backward(estimator.estimate(model.model(), x).loss());
            }
            for (int i = 0; i < encoder.size(); i++) {
              try (NDArray g = encoder.get(i).getArray().getGradient()) {
                if (r >= warmUp) {
                  NDArray g64 = g.toType(DataType.FLOAT64, false);
                  step.attachAll(g64); // a conversion lands on the parameter's manager; move it to the step's
                  sums.get(i).addi(g64);
                  squares.get(i).addi(g64.square());
                }
              }
            }
            for (Parameter p : all) {
              try (NDArray g = p.getArray().getGradient()) {
                g.muli(0);
              }
            }
          }
          if (r >= warmUp) {
            seconds += (System.nanoTime() - start) / 1e9;
          }
        }
        stage.stepTo((long) warmUp + draws);
      }
      double totalVariance = 0;
      double meanSquaredNorm = 0;
      double snrSum = 0;
      long snrCount = 0;
      for (int i = 0; i < encoder.size(); i++) {
        double[] s = sums.get(i).toDoubleArray();
        double[] q = squares.get(i).toDoubleArray();
        for (int j = 0; j < s.length; j++) {
          double mean = s[j] / draws;
          double variance = Math.max(0, (q[j] - draws * mean * mean) / (draws - 1));
          totalVariance += variance;
          meanSquaredNorm += mean * mean;
          if (variance > 0) {
            snrSum += Math.abs(mean) / Math.sqrt(variance);
            snrCount++;
          }
        }
      }
      double snr = totalVariance > 0 ? Math.sqrt(meanSquaredNorm / totalVariance) : Double.POSITIVE_INFINITY;
      return new GradientVarianceReport(draws, coordinates, totalVariance, meanSquaredNorm, snr,
          snrCount == 0 ? Double.NaN : snrSum / snrCount, seconds / draws);
    }
  }
}
