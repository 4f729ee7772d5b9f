/**
 * Gradient estimators of the ELBO: {@code reparameterization} (pathwise, {@code t = μ + σ·ε}),
 * {@code path-derivative} (pathwise without the score term of {@code log q}, "sticking the landing"),
 * {@code iwae} (the importance-weighted bound {@code L_k}, with its standard or doubly reparameterized
 * gradient) and {@code score-function} (the log-derivative trick with a choice of control variates). All
 * report the same −ELBO; they differ in the gradient (and {@code iwae} in the objective it follows). See
 * docs/estimators.md.
 */
package io.vi4j.plugins.estimators;
