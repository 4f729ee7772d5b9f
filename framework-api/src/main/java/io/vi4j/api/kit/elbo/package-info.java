/** The ELBO's two terms computed once, shared by estimators and the evaluator. */
package io.vi4j.api.kit.elbo;
