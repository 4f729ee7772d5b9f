/**
 * Gradient estimators of the ELBO: {@code reparameterization} (pathwise, {@code t = μ + σ·ε}),
 * {@code path-derivative} (pathwise without the score term of {@code log q}, "sticking the landing") and
 * {@code score-function} (the log-derivative trick with a choice of control variates). All report the
 * same −ELBO; they differ only in the gradient. See docs/estimators.md.
 */
package io.vi4j.plugins.estimators;
