/** Learners fit a model to data: stochastic VI for assembled models, EM or closed form for baselines. */
package io.vi4j.api.learn;
