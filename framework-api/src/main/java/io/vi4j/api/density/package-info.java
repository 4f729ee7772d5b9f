/** The one face every model shows to the evaluator: a log-likelihood and a sampler. */
package io.vi4j.api.density;
