/** Priors over the latent space: {@code standard-normal}, {@code p(t) = N(0, I)}. */
package io.vi4j.plugins.priors;
