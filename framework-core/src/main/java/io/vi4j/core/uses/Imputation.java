package io.vi4j.core.uses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.progress.Progress;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.core.model.AssembledModel;

/**
 * Filling in missing pixels with a trained latent-variable model, and the floor every method must beat.
 * All arrays are host arrays, row-major {@code items × D}; {@code missing} is true where a value is
 * unknown (its value in {@code observed} is ignored).
 */
public final class Imputation {
  private Imputation() {}

  /** Per-dimension means of the training data: the imputation to beat. */
  public static float[] meanImputation(float[] observed, boolean[] missing, Dataset train) {
    int d = train.columns();
    double[] mean = new double[d];
    for (int i = 0; i < train.rows(); i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += train.values()[i * d + j] / (double) train.rows();
      }
    }
    float[] out = observed.clone();
    for (int i = 0; i < out.length; i++) {
      if (missing[i]) {
        out[i] = (float) mean[i % d];
      }
    }
    return out;
  }

  /**
   * Pseudo-Gibbs sampling (Rezende, Mohamed &amp; Wierstra 2014): starting from {@code start}, repeat
   * {@code t ~ q(t | x)}, then set the missing values to the decoder's mean at {@code t}. The result
   * averages the decoder means of the last half of the iterations.
   */
  public static float[] pseudoGibbs(AssembledModel model, float[] observed, boolean[] missing, float[] start,
      int items, int iterations) {
    requireEncoder(model, "pseudo-gibbs");
    LatentVariableModel parts = model.model();
    int d = observed.length / items;
    try (NDManager manager = model.manager().newSubManager();
        Progress.Stage stage = Progress.stage("pseudo-Gibbs", iterations, "iterations")) {
      NDArray keep = manager.create(toFloat(missing, false), new Shape(items, d));
      NDArray fill = manager.create(toFloat(missing, true), new Shape(items, d));
      NDArray x = manager.create(start, new Shape(items, d));
      NDArray average = manager.zeros(new Shape(items, d));
      int averaged = 0;
      for (int it = 0; it < iterations; it++) {
        stage.stepTo(it);
        try (NDManager step = manager.newSubManager()) {
          NDArray t = parts.encoder().posterior(x).sample(1).squeeze(0);
          NDArray mean = decoderMean(parts.decoder().conditional(t));
          x.muli(keep).addi(mean.mul(fill));
          if (it >= iterations / 2) {
            average.addi(mean);
            averaged++;
          }
        }
      }
      stage.stepTo(iterations);
      NDArray result = x.mul(keep).add(average.div(Math.max(1, averaged)).mul(fill));
      return result.toFloatArray();
    }
  }

  /**
   * Metropolis-within-Gibbs (Mattei &amp; Frellsen 2018): a chain over {@code (t, x_missing)} whose
   * stationary distribution is the model's {@code p(t, x_missing | x_observed)}. Each iteration proposes
   * {@code t' ~ q(t | x)} (independent proposal given the current completion) and accepts it with
   * probability {@code min(1, p(x_o|t') p(t') q(t|x) / (p(x_o|t) p(t) q(t'|x)))}; then draws the missing
   * values from {@code p(x_m | t)}. The result averages the decoder means at {@code t} over the last half.
   */
  public static float[] metropolisWithinGibbs(AssembledModel model, float[] observed, boolean[] missing,
      float[] start, int items, int iterations) {
    requireEncoder(model, "metropolis-within-gibbs");
    LatentVariableModel parts = model.model();
    int d = observed.length / items;
    try (NDManager manager = model.manager().newSubManager();
        Progress.Stage stage = Progress.stage("Metropolis-within-Gibbs", iterations, "iterations")) {
      NDArray keep = manager.create(toFloat(missing, false), new Shape(items, d));
      NDArray fill = manager.create(toFloat(missing, true), new Shape(items, d));
      NDArray x = manager.create(start, new Shape(items, d));
      NDArray t = parts.encoder().posterior(x).sample(1).squeeze(0);
      NDArray average = manager.zeros(new Shape(items, d));
      int averaged = 0;
      for (int it = 0; it < iterations; it++) {
        stage.stepTo(it);
        try (NDManager step = manager.newSubManager()) {
          Distribution q = parts.encoder().posterior(x);
          NDArray proposal = q.sample(1).squeeze(0);
          NDArray logTarget = observedLogJoint(parts, x, keep, proposal).sub(observedLogJoint(parts, x, keep, t));
          NDArray logProposal = q.logProb(t).sub(q.logProb(proposal));
          NDArray logRatio = logTarget.add(logProposal);
          // (items, 1): one uniform per row, from the row's own stream inside a RowNoise scope (Spark)
          NDArray accept = io.vi4j.api.kit.math.RowNoise.uniform(step, new Shape(items, 1)).log()
              .lt(logRatio.expandDims(1)).toType(DataType.FLOAT32, false);
          t.muli(accept.neg().add(1)).addi(proposal.mul(accept));
          Distribution conditional = parts.decoder().conditional(t);
          NDArray draw = conditional.sample(1).squeeze(0);
          x.muli(keep).addi(draw.mul(fill));
          if (it >= iterations / 2) {
            average.addi(decoderMean(conditional));
            averaged++;
          }
        }
      }
      stage.stepTo(iterations);
      NDArray result = x.mul(keep).add(average.div(Math.max(1, averaged)).mul(fill));
      return result.toFloatArray();
    }
  }

  /** @return {@code log p(x_observed | t) + log p(t)} per item, shape {@code (items)}. */
  private static NDArray observedLogJoint(LatentVariableModel parts, NDArray x, NDArray keep, NDArray t) {
    NDArray perCoordinate = parts.decoder().conditional(t).logProbPerCoordinate(x);
    NDArray prior = parts.prior().distribution(x.getManager(), x.getShape().get(0)).logProb(t);
    return perCoordinate.mul(keep).sum(new int[] {1}).add(prior);
  }

  private static NDArray decoderMean(Distribution conditional) {
    return conditional.mean().orElseGet(() -> conditional.sample(1).squeeze(0));
  }

  /** Mean squared error over the missing values only. */
  public static double missingMse(float[] imputed, float[] truth, boolean[] missing) {
    double sum = 0;
    long count = 0;
    for (int i = 0; i < truth.length; i++) {
      if (missing[i]) {
        double e = imputed[i] - truth[i];
        sum += e * e;
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private static float[] toFloat(boolean[] mask, boolean whenTrue) {
    float[] out = new float[mask.length];
    for (int i = 0; i < mask.length; i++) {
      out[i] = mask[i] == whenTrue ? 1f : 0f;
    }
    return out;
  }

  /**
   * Both samplers ask the encoder for {@code q(t | x)} of a new {@code x} at every iteration; a model without
   * an encoder would have to fit each item's posterior anew each time.
   */
  private static void requireEncoder(AssembledModel model, String method) {
    if (model.model().encoder() instanceof io.vi4j.api.model.PerItemFamily) {
      throw new IllegalArgumentException("imputation by " + method + " draws from the encoder's q(t | x) at every"
          + " iteration, and this model has per-item posteriors and no encoder; impute with a model that has one"
          + " (encoder type gaussian-mlp)");
    }
  }
}
