package com.example.vi4j.laplace;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Prior;
import java.util.EnumSet;
import java.util.Set;

/** {@code p(t) = Π_l (1/2b) exp(−|t_l|/b)}. */
public final class LaplacePrior implements Prior {
  private final int latentDimension;
  private final double scale;

  /** @param latentDimension {@code L}; @param scale {@code b} */
  public LaplacePrior(int latentDimension, double scale) {
    this.latentDimension = latentDimension;
    this.scale = scale;
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
        // The constant lives in engine-owned memory (NDManager.full): DJL's div(Number) wraps it in a Java
        // buffer that a garbage collection can free before the backward pass reads it.
        NDArray b = value.getManager().full(new Shape(), (float) scale, value.getDataType());
        return value.abs().div(b).add(Math.log(2 * scale)).sum(new int[] {-1}).neg();
      }

      /** Inverse CDF: {@code t = −b·sign(u)·log(1 − 2|u|)}, {@code u ~ U(−½, ½)}. */
      @Override
      public NDArray sample(int k) {
        NDArray u = manager.randomUniform(-0.5f, 0.5f, new Shape(k, batchSize, latentDimension));
        return u.sign().mul(u.abs().mul(-2).add(1).log()).mul(-scale);
      }

      @Override
      public Set<Capability> capabilities() {
        return EnumSet.of(Capability.DENSITY, Capability.SAMPLE);
      }
    };
  }
}
