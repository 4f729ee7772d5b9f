package io.vi4j.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.vi4j.api.density.DensityModel;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.kit.math.NdMath;

/**
 * A latent-variable model seen as a density: {@code log p(x)} estimated by importance sampling with the
 * encoder as proposal (the IWAE estimator, Burda et al. 2016), {@code k} samples per item split into
 * passes of at most {@code samplesPerPass}; samples drawn by ancestral sampling (prior, then decoder).
 */
public final class ImportanceSampledDensity implements DensityModel {
  private final LatentVariableModel model;
  private final int k;
  private final int samplesPerPass;

  /**
   * @param model the trained model
   * @param k importance samples per item
   * @param samplesPerPass most samples drawn at once (bounds memory: the decoder output of one pass is
   *     {@code samplesPerPass × B × D} floats)
   */
  public ImportanceSampledDensity(LatentVariableModel model, int k, int samplesPerPass) {
    if (k < 1 || samplesPerPass < 1) {
      throw new IllegalArgumentException("k and samplesPerPass must be at least 1, got " + k + " and " + samplesPerPass);
    }
    this.model = model;
    this.k = k;
    this.samplesPerPass = samplesPerPass;
  }

  /** @return {@code k}. */
  public int samples() {
    return k;
  }

  /**
   * @param data shape {@code (B, D)}
   * @return shape {@code (B)}, float64, nats: {@code log (1/k) Σ_j p(x, t_j) / q(t_j | x)}
   */
  @Override
  public NDArray logLikelihood(NDArray data) {
    NDManager manager = data.getManager();
    Distribution posterior = model.encoder().posterior(data);
    Distribution prior = model.prior().distribution(manager, data.getShape().get(0));
    NDList partial = new NDList();
    for (int done = 0; done < k; done += samplesPerPass) {
      int now = Math.min(samplesPerPass, k - done);
      NDArray latent = posterior.sample(now);
      NDArray logWeights = model.decoder().conditional(latent).logProb(data)
          .add(prior.logProb(latent))
          .sub(posterior.logProb(latent))
          .toType(DataType.FLOAT64, false);
      partial.add(NdMath.logSumExp(logWeights, 0).expandDims(0));
    }
    NDArray stacked = partial.size() == 1 ? partial.get(0) : ai.djl.ndarray.NDArrays.concat(partial);
    return NdMath.logSumExp(stacked, 0).sub(Math.log(k));
  }

  /**
   * @return shape {@code (count, D)}: {@code t ~ p(t)}, then {@code x ~ p(x | t)}
   */
  @Override
  public NDArray sample(int count, NDManager manager) {
    NDArray latent = model.prior().distribution(manager, count).sample(1).squeeze(0);
    return model.decoder().conditional(latent).sample(1).squeeze(0);
  }
}
