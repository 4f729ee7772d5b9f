/** Gradient estimators of the ELBO: {@code reparameterization} (the pathwise gradient, {@code t = μ + σ·ε}). */
package io.vi4j.plugins.estimators;
