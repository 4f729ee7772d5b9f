package io.vi4j.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.math.NdMath;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A diagonal Gaussian {@code q₀ = N(μ, diag σ²)} pushed through {@code F} planar transforms
 * {@code f(z) = z + û·tanh(wᵀz + b)} (Rezende &amp; Mohamed 2015, "Variational Inference with Normalizing
 * Flows", section 4.1 and appendix A.1), with per-item (amortized) flow parameters {@code u, w, b}.
 *
 * <p>Invertibility: {@code û = u + (m(wᵀu) − wᵀu)·w/‖w‖²} with {@code m(a) = −1 + softplus(a)}, so that
 * {@code wᵀû = m(wᵀu) > −1}. The density of the last draw is
 * {@code log q(z_F) = log q₀(z₀) − Σ_f log|1 + h'(wᵀz_{f−1} + b)·wᵀû|}.
 *
 * <p><b>Limitation.</b> A planar flow has no closed-form inverse, so {@link #logProb} is known only for
 * values this distribution drew itself with {@link #rsample} or {@link #sample}: each draw's log-density is
 * kept with it, and {@code logProb} of the very same array returns it (the reparameterization estimator and
 * the importance-sampled evaluation draw and then score their own draws). Any other array is refused with
 * an {@link IllegalArgumentException} (a user error: the model cannot do what was asked, such as
 * imputation's Metropolis step, which scores an earlier draw of another posterior). For the same reason the distribution has no
 * {@link Capability#DETACH} (the path-derivative estimator needs {@code log q} with the parameters frozen at
 * a draw made with them live, which needs the inverse), no entropy and no mean in closed form.
 * {@link #sample} works, but its draws' log-densities carry no gradient to the parameters (a score
 * {@code ∇ log q(t)} at a fixed {@code t} needs the inverse too), so the family does not declare
 * {@link Capability#SAMPLE}: the score-function estimator is refused when the model is assembled.
 */
public final class PlanarFlowPosterior implements Distribution {
  private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.DENSITY, Capability.RSAMPLE);
  private static final double MIN_SQUARED_NORM = 1e-12;

  private final DiagonalGaussian base;
  private final int flowLength;
  private final NDArray[] hatU;
  private final NDArray[] w;
  private final NDArray[] b;
  /** {@code wᵀû} per transform ({@code = m(wᵀu)} unless ‖w‖² is below the floor), shape {@code (B)}. */
  private final NDArray[] wHatU;
  private final Map<NDArray, NDArray> logDensityOfDraws = new IdentityHashMap<>();

  /**
   * @param mean μ of the base, shape {@code (B, E)}
   * @param logVariance log σ² of the base, shape {@code (B, E)}
   * @param flows shape {@code (B, F, 2E + 1)}: for each transform {@code u} (E), {@code w} (E), {@code b} (1)
   */
  public PlanarFlowPosterior(NDArray mean, NDArray logVariance, NDArray flows) {
    this.base = new DiagonalGaussian(mean, logVariance);
    long e = mean.getShape().get(1);
    this.flowLength = (int) flows.getShape().get(1);
    this.hatU = new NDArray[flowLength];
    this.w = new NDArray[flowLength];
    this.b = new NDArray[flowLength];
    this.wHatU = new NDArray[flowLength];
    for (int f = 0; f < flowLength; f++) {
      NDList parts = flows.get(new NDIndex(":, {}, :", f)).split(new long[] {e, 2 * e}, 1);
      NDArray u = parts.get(0);
      w[f] = parts.get(1);
      b[f] = parts.get(2).squeeze(-1);
      NDArray wu = w[f].mul(u).sum(new int[] {-1});
      NDArray target = Activation.softPlus(wu).sub(1.0); // m(wᵀu) > −1
      // ‖w‖² floored at 1e-12: an amortized w can come out near 0 for some item, and û must stay finite
      NDArray squaredNorm = NdMath.atLeast(w[f].square().sum(new int[] {-1}), MIN_SQUARED_NORM);
      NDArray correction = target.sub(wu).div(squaredNorm);
      hatU[f] = u.add(w[f].mul(correction.expandDims(-1)));
      // wᵀû itself (m(wᵀu) wherever ‖w‖² is above the floor; near 0 below it), so the log-determinant is
      // always the one of the map applied
      wHatU[f] = w[f].mul(hatU[f]).sum(new int[] {-1});
    }
  }

  /** @return {@code F}, the number of transforms. */
  public int flowLength() {
    return flowLength;
  }

  @Override
  public long eventSize() {
    return base.eventSize();
  }

  /**
   * @param value shape {@code (k, B, E)}: an array returned by this distribution's {@link #rsample} or
   *     {@link #sample}
   * @return shape {@code (k, B)}, nats
   * @throws IllegalArgumentException for any other array (a planar flow cannot be inverted)
   */
  @Override
  public NDArray logProb(NDArray value) {
    NDArray logDensity = logDensityOfDraws.get(value);
    if (logDensity == null) {
      throw new IllegalArgumentException("planar-flow posterior: log q is known only for the draws this"
          + " distribution made itself (rsample or sample), not for other values; a planar flow has no"
          + " closed-form inverse (Rezende & Mohamed 2015)");
    }
    return logDensity;
  }

  /** Draws without a gradient path; their log-densities are kept (without a gradient) for {@link #logProb}. */
  @Override
  public NDArray sample(int k) {
    NDArray[] pushed = push(base.rsample(k));
    NDArray draw = pushed[0].stopGradient();
    logDensityOfDraws.put(draw, pushed[1].stopGradient());
    return draw;
  }

  /** {@code t = f_F ∘ … ∘ f_1(μ + σ ε)}, shape {@code (k, B, E)}; its log-density is kept for {@link #logProb}. */
  @Override
  public NDArray rsample(int k) {
    NDArray[] pushed = push(base.rsample(k));
    logDensityOfDraws.put(pushed[0], pushed[1]);
    return pushed[0];
  }

  /**
   * Pushes base draws through the flow.
   *
   * @param start {@code z₀}, shape {@code (k, B, E)}
   * @return {@code z_F}, shape {@code (k, B, E)}, and {@code log q(z_F)}, shape {@code (k, B)}
   */
  NDArray[] push(NDArray start) {
    NDArray[] z = new NDArray[flowLength + 1];
    NDArray[] logDensity = new NDArray[flowLength + 1];
    z[0] = start;
    logDensity[0] = base.logProb(start);
    for (int f = 0; f < flowLength; f++) {
      NDArray h = z[f].mul(w[f]).sum(new int[] {-1}).add(b[f]).tanh();
      z[f + 1] = z[f].add(hatU[f].mul(h.expandDims(-1)));
      NDArray slope = h.square().neg().add(1.0); // h' = 1 − tanh²
      logDensity[f + 1] = logDensity[f].sub(slope.mul(wHatU[f]).add(1.0).abs().log());
    }
    return new NDArray[] {z[flowLength], logDensity[flowLength]};
  }

  /**
   * @param start {@code z₀}, shape {@code (k, B, E)}
   * @return {@code log q₀(z₀)}, the base density, shape {@code (k, B)}
   */
  NDArray baseLogProb(NDArray start) {
    return base.logProb(start);
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }
}
