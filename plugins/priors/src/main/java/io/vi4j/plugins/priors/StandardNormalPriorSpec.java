package io.vi4j.plugins.priors;

import io.vi4j.api.plugin.PriorSpec;

/** Config of the {@code standard-normal} prior; it has no fields (the dimension is model.latent_dim). */
public record StandardNormalPriorSpec() implements PriorSpec {}
