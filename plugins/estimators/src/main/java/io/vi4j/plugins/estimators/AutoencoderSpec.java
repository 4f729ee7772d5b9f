package io.vi4j.plugins.estimators;

import io.vi4j.api.plugin.EstimatorSpec;

/** Config of the {@code autoencoder} "estimator": the reconstruction loss alone; it has no fields. */
public record AutoencoderSpec() implements EstimatorSpec {}
