package io.vi4j.core.eval;

/**
 * The mean per-item negative ELBO over a dataset and its two terms, nats.
 *
 * @param negativeElbo {@code reconstruction + kl}
 * @param reconstruction {@code −E_q log p(x | t)}
 * @param kl {@code KL(q(t | x) ‖ p(t))}
 * @param items how many items were averaged
 * @param inferenceSeconds the wall time spent fitting the items' posteriors first (test-time inference of a
 *     model without an encoder); 0 for a model with one
 * @param klStandardError the standard error of {@code kl} when it is a Monte-Carlo estimate (a prior with no
 *     closed-form KL against the posterior), nats; NaN when {@code kl} is the closed form or not known (see
 *     {@link Evaluator#negativeElbo(io.vi4j.core.model.AssembledModel, io.vi4j.api.data.Dataset,
 *     FittedPosteriors)} for how it is estimated)
 */
public record ElboReport(
    double negativeElbo, double reconstruction, double kl, int items, double inferenceSeconds, double klStandardError) {

  /** A report whose KL is in closed form or whose standard error is not known. */
  public ElboReport(double negativeElbo, double reconstruction, double kl, int items, double inferenceSeconds) {
    this(negativeElbo, reconstruction, kl, items, inferenceSeconds, Double.NaN);
  }

  /** A report of a model with an encoder (no test-time inference). */
  public ElboReport(double negativeElbo, double reconstruction, double kl, int items) {
    this(negativeElbo, reconstruction, kl, items, 0);
  }
}
