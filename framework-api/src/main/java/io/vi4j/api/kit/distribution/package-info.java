/** Distributions shared by plugins: diagonal Gaussian, standard normal and Bernoulli on logits. */
package io.vi4j.api.kit.distribution;
