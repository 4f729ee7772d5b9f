package io.vi4j.api.distribution;

import ai.djl.ndarray.NDArray;
import java.util.Optional;
import java.util.Set;

/**
 * A batch of distributions over vectors of length {@code E} (the event size), indexed by a batch shape
 * {@code S} (usually {@code (B)}, or {@code (K, B)} for a decoder fed K latent samples per item).
 *
 * <p>Arrays returned by a distribution are attached to the manager of the arrays it was built from, so a
 * distribution made inside a per-batch {@code NDManager} leaves nothing behind when that manager closes.
 */
public interface Distribution {

  /** @return the event size {@code E}: the length of one draw. */
  long eventSize();

  /**
   * Log-density (or log-mass) of values, summed over the event dimension.
   *
   * @param value shape {@code (..., S, E)}: leading dimensions broadcast against the batch shape
   * @return shape {@code (..., S)}, nats
   */
  NDArray logProb(NDArray value);

  /**
   * Log-density of each coordinate of values, not summed: what a mask of missing coordinates needs.
   * Present for distributions whose coordinates are independent given the parameters.
   *
   * @param value shape {@code (..., S, E)}
   * @return shape {@code (..., S, E)}, nats
   * @throws UnsupportedOperationException when the coordinates are not independent
   */
  default NDArray logProbPerCoordinate(NDArray value) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no per-coordinate log-density");
  }

  /**
   * Draws {@code k} samples per batch element with no gradient path to the parameters.
   *
   * @return shape {@code (k, S, E)}
   */
  NDArray sample(int k);

  /**
   * Reparameterized draws {@code t = g(ε; θ)}, differentiable in the parameters θ. Present only when
   * {@link #capabilities()} contains {@link Capability#RSAMPLE}.
   *
   * @return shape {@code (k, S, E)}
   * @throws UnsupportedOperationException when the distribution has no reparameterized sampler
   */
  default NDArray rsample(int k) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no rsample");
  }

  /**
   * The mean, when known in closed form (used to draw decoder means rather than noisy samples).
   *
   * @return shape {@code (S, E)}, or empty
   */
  default Optional<NDArray> mean() {
    return Optional.empty();
  }

  /**
   * The same distribution whose parameters no gradient flows into; present only when
   * {@link #capabilities()} contains {@link Capability#DETACH}.
   *
   * @throws UnsupportedOperationException when the distribution cannot be detached
   */
  default Distribution detached() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be detached");
  }

  /** @return the optional abilities of this distribution. */
  Set<Capability> capabilities();

  /** @return the entropy per batch element, shape {@code (S)}, when known in closed form. */
  default Optional<NDArray> entropy() {
    return Optional.empty();
  }

  /**
   * The analytic {@code KL(this ‖ other)} per batch element, when both distributions allow a closed form.
   *
   * @param other a distribution with the same event size whose batch shape broadcasts against this one
   * @return shape {@code (S)} in nats, or empty when no closed form is known for the pair
   */
  default Optional<NDArray> analyticKl(Distribution other) {
    return Optional.empty();
  }
}
