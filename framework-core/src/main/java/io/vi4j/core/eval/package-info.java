/**
 * Test-set evaluation: the −ELBO with its two terms, and the importance-sampled log-likelihood (the IWAE
 * bound of Burda et al. 2016), in chunks whose size bounds memory.
 */
package io.vi4j.core.eval;
