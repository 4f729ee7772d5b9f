/**
 * Priors over the latent space: {@code standard-normal}, {@code p(t) = N(0, I)}; {@code mixture}, a learned
 * mixture of diagonal Gaussians; {@code vamp}, the VampPrior of Tomczak &amp; Welling (2018), a mixture of
 * the encoder's posteriors at learned pseudo-inputs.
 */
package io.vi4j.plugins.priors;
