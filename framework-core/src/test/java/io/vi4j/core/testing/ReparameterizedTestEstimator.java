package io.vi4j.core.testing;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.estimator.ElboEstimate;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.kit.elbo.ElboTerms;
import java.util.EnumSet;
import java.util.Set;

/** The plain reparameterization estimator, written against core only, for trainer tests. */
public final class ReparameterizedTestEstimator implements GradientEstimator {
  private final boolean rowSeparable;

  /** An estimator that does not declare itself separable over rows (trainer steps stay whole). */
  public ReparameterizedTestEstimator() {
    this(false);
  }

  /** @param rowSeparable whether it declares itself separable over rows (it is: its noise is drawn per row in a scope) */
  public ReparameterizedTestEstimator(boolean rowSeparable) {
    this.rowSeparable = rowSeparable;
  }

  @Override
  public boolean rowSeparable() {
    return rowSeparable;
  }
  @Override
  public ElboEstimate estimate(LatentVariableModel model, NDArray batch) {
    ElboTerms terms = ElboTerms.estimate(model, batch, 1, true);
    return new ElboEstimate(
        terms.negativeElbo().mean(), terms.reconstruction().stopGradient(), terms.kl().stopGradient());
  }

  @Override
  public Set<Capability> requiredPosteriorCapabilities() {
    return EnumSet.of(Capability.RSAMPLE);
  }
}
