/**
 * The gradient test kit for estimator and family authors: conjugate problems with closed-form ELBO
 * gradients, and a check that an estimator's mean gradient matches them within a tolerance computed
 * from the draws. Published in the framework-core test-jar.
 */
package io.vi4j.core.testing.gradient;
