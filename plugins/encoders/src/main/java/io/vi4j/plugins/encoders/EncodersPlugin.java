package io.vi4j.plugins.encoders;

import io.vi4j.api.plugin.ComponentFactory;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.Vi4jPlugin;

/**
 * Registers the {@code gaussian-mlp} variational family, the {@code full-covariance-mlp} family (a Gaussian
 * with a Cholesky factor per item), the {@code planar-flow-mlp} family (a diagonal Gaussian through planar
 * flows), the {@code deterministic-mlp} encoder and the {@code per-item-gaussian}
 * family (no encoder: variational EM with a posterior per training item).
 */
public final class EncodersPlugin extends Vi4jPlugin {
  @Override
  protected void configure() {
    register(
        ComponentKind.VARIATIONAL_FAMILY,
        "gaussian-mlp",
        ComponentFactory.of(
            GaussianMlpEncoderSpec.class,
            (spec, c) -> new GaussianMlpEncoder(c.manager(), c.shape(), c.latentDimension(), spec)));
    register(
        ComponentKind.VARIATIONAL_FAMILY,
        "deterministic-mlp",
        ComponentFactory.of(
            DeterministicMlpEncoderSpec.class,
            (spec, c) -> new DeterministicMlpEncoder(c.manager(), c.shape(), c.latentDimension(), spec)));
    register(
        ComponentKind.VARIATIONAL_FAMILY,
        "per-item-gaussian",
        ComponentFactory.of(
            PerItemGaussianSpec.class,
            (spec, c) -> new PerItemGaussian(c.manager(), c.trainItems(), c.latentDimension(), spec)));
    register(
        ComponentKind.VARIATIONAL_FAMILY,
        "full-covariance-mlp",
        ComponentFactory.of(
            FullCovarianceMlpEncoderSpec.class,
            (spec, c) -> new FullCovarianceMlpEncoder(c.manager(), c.shape(), c.latentDimension(), spec)));
    register(
        ComponentKind.VARIATIONAL_FAMILY,
        "planar-flow-mlp",
        ComponentFactory.of(
            PlanarFlowMlpEncoderSpec.class,
            (spec, c) -> new PlanarFlowMlpEncoder(c.manager(), c.shape(), c.latentDimension(), spec)));
  }
}
