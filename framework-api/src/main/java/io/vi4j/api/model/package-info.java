/**
 * The three parts of a latent-variable model: the {@link io.vi4j.api.model.Prior} {@code p(t)}, the
 * {@link io.vi4j.api.model.Likelihood} {@code p(x | t, w)} (decoder) and the amortized
 * {@link io.vi4j.api.model.VariationalFamily} {@code q(t | x, φ)} (encoder), and their assembly.
 */
package io.vi4j.api.model;
