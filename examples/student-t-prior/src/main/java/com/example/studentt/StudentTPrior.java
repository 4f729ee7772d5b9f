package com.example.studentt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.api.model.Prior;
import java.util.EnumSet;
import java.util.Set;

/**
 * A heavy-tailed prior: every latent coordinate is an independent Student-t with ν degrees of freedom and
 * scale {@code s},
 *
 * <pre>
 *   log p(t) = Σ_l [ log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log s − (ν+1)/2 · log(1 + (t_l/s)²/ν) ].
 * </pre>
 *
 * Samples are {@code s · z / √(g/ν)} with {@code z ~ N(0, 1)} and {@code g ~ χ²_ν}, the sum of ν squared
 * standard normals. With heavier tails than the standard normal it lets a VAE place outlying items far out
 * without a large KL penalty (see e.g. Takahashi et al. 2018, "Student-t variational autoencoder"). The KL
 * from the encoder's Gaussian has no closed form: vi4j estimates it by Monte Carlo.
 */
public final class StudentTPrior implements Prior {
  private final int latentDimension;
  private final int degreesOfFreedom;
  private final double scale;
  private final double logNormalizer;

  /**
   * @param latentDimension {@code L}
   * @param degreesOfFreedom ν ≥ 1
   * @param scale {@code s} &gt; 0
   */
  public StudentTPrior(int latentDimension, int degreesOfFreedom, double scale) {
    this.latentDimension = latentDimension;
    this.degreesOfFreedom = degreesOfFreedom;
    this.scale = scale;
    double nu = degreesOfFreedom;
    this.logNormalizer = logGammaOfHalf(degreesOfFreedom + 1) - logGammaOfHalf(degreesOfFreedom)
        - 0.5 * Math.log(nu * Math.PI) - Math.log(scale);
  }

  @Override
  public int latentDimension() {
    return latentDimension;
  }

  @Override
  public Distribution distribution(NDManager manager, long batchSize) {
    return new Distribution() {
      @Override
      public long eventSize() {
        return latentDimension;
      }

      /** @param value shape {@code (..., B, L)}; @return shape {@code (..., B)} */
      @Override
      public NDArray logProb(NDArray value) {
        // Constants go through NdMath: a DJL mul(Number) on a differentiable path can read freed memory.
        NDArray standardized = NdMath.times(value, 1.0 / scale);
        NDArray u = NdMath.times(standardized.square(), 1.0 / degreesOfFreedom);
        NDArray log1p = u.add(NdMath.constant(u, 1.0)).log(); // log(1 + u), u ≥ 0: no cancellation
        NDArray perCoordinate = NdMath.times(log1p, -(degreesOfFreedom + 1) / 2.0);
        return perCoordinate.sum(new int[] {-1}).add(NdMath.constant(perCoordinate, latentDimension * logNormalizer));
      }

      /** @return shape {@code (k, B, L)} */
      @Override
      public NDArray sample(int k) {
        Shape shape = new Shape(k, batchSize, latentDimension);
        NDArray z = manager.randomNormal(shape);
        NDArray chiSquare = manager.randomNormal(new Shape(degreesOfFreedom, k, batchSize, latentDimension))
            .square().sum(new int[] {0});
        return NdMath.times(z.div(NdMath.times(chiSquare, 1.0 / degreesOfFreedom).sqrt()), scale);
      }

      @Override
      public Set<Capability> capabilities() {
        return EnumSet.of(Capability.DENSITY, Capability.SAMPLE);
      }
    };
  }

  /**
   * @return {@code log Γ(n/2)} for a whole {@code n ≥ 1}, exactly from the recurrence Γ(x + 1) = x·Γ(x)
   *     down to Γ(1) = 1 or Γ(½) = √π
   */
  static double logGammaOfHalf(int n) {
    double sum = n % 2 == 0 ? 0 : 0.5 * Math.log(Math.PI);
    for (int twice = n - 2; twice > 0; twice -= 2) {
      sum += Math.log(twice / 2.0);
    }
    return sum;
  }
}
