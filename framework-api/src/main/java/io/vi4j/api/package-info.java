/**
 * The public face of vi4j: small interfaces that plugins implement and that the core assembles into
 * latent-variable models {@code p(x) = ∫ p(x | t, w) p(t) dt} trained by stochastic variational inference.
 *
 * <p>Shapes in the Javadoc use {@code B} for the number of data items in a batch, {@code K} for the
 * number of latent samples per item, {@code D} for the data dimension and {@code L} for the latent
 * dimension. All log-densities are in nats.
 */
package io.vi4j.api;
