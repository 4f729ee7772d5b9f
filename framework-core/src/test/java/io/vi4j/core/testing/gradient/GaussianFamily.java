package io.vi4j.core.testing.gradient;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import java.util.Set;

/**
 * A variational family under test, parameterized like a diagonal Gaussian by a mean {@code μ} and a
 * log-variance {@code v} per latent coordinate: the kit's closed-form gradients are with respect to
 * those. A family plugin whose posterior is a diagonal Gaussian in this parameterization supplies the
 * function from parameter arrays to its distribution.
 */
public interface GaussianFamily {

  /** @return a name for messages. */
  String name();

  /**
   * @param mean shape {@code (B, L)}, requires gradient
   * @param logVariance shape {@code (B, L)}, requires gradient
   * @return the family's distribution with those parameters, batch {@code (B)}, event {@code L}
   */
  Distribution distribution(NDArray mean, NDArray logVariance);

  /** @return what its distributions can do. */
  Set<Capability> capabilities();
}
