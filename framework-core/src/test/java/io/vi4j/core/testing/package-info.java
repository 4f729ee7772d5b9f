/**
 * Test doubles shared with plugin tests through the core test-jar: a conjugate linear-Gaussian model
 * whose posterior and marginal likelihood are known in closed form, and small trainable MLP parts.
 */
package io.vi4j.core.testing;
