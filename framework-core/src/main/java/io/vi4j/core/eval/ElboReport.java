package io.vi4j.core.eval;

/**
 * The mean per-item negative ELBO over a dataset and its two terms, nats.
 *
 * @param negativeElbo {@code reconstruction + kl}
 * @param reconstruction {@code −E_q log p(x | t)}
 * @param kl {@code KL(q(t | x) ‖ p(t))}
 * @param items how many items were averaged
 */
public record ElboReport(double negativeElbo, double reconstruction, double kl, int items) {}
