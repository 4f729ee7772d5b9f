package io.vi4j.core.eval;

/**
 * An importance-sampled estimate of the mean test log-likelihood,
 * {@code log p(x) ≈ log (1/k) Σ_j p(x, t_j) / q(t_j | x)}, {@code t_j ~ q(t | x)}: a lower bound in
 * expectation that tightens as {@code k} grows (Burda, Grosse &amp; Salakhutdinov 2016).
 *
 * @param meanLogLikelihood mean over items, nats per item
 * @param standardError standard error of that mean over items
 * @param k importance samples per item
 * @param items items evaluated
 */
public record LogLikelihoodReport(double meanLogLikelihood, double standardError, int k, int items) {}
