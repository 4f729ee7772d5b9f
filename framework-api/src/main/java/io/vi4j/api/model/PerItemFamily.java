package io.vi4j.api.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.distribution.Distribution;

/**
 * A variational family without an encoder: free parameters for every training item, such as
 * {@code q_i(t) = N(m_i, diag e^{v_i})} — non-amortized variational inference, the E-step of variational EM
 * with per-object posteriors (Jordan et al. 1999; the first model of Kingma &amp; Welling 2014, section 2.1,
 * before the recognition model amortizes it).
 *
 * <p>Its posterior for a batch is made from the batch's rows of parameters. Whoever asks for posteriors
 * names those rows first with {@link #bind}: the trainer binds a minibatch's rows of {@link #table()} (as a
 * leaf array whose gradient it then applies to those rows only, with their own Adam state), the evaluator
 * binds rows it fitted for test items with the model held fixed ({@link #inference()}). Asking for a
 * posterior with nothing bound is an error: such a family has no way to infer the posterior of an item
 * it was not trained on by itself. One binding at a time per family; not for concurrent use.
 */
public interface PerItemFamily extends VariationalFamily {

  /**
   * @return the training items' parameters, shape {@code (N, P)}, row {@code i} for item {@code i} of the
   *     training split; it does not require a gradient (the model's optimizer leaves it alone) and is saved
   *     and loaded with the family's other parameters
   */
  NDArray table();

  /** @return {@code P}, the parameters of one item. */
  int parametersPerItem();

  /**
   * @param manager where the rows live
   * @param items {@code n}
   * @return the starting rows of {@code n} items, shape {@code (n, P)} (for a Gaussian, the prior's
   *     {@code m = 0, log s² = 0})
   */
  NDArray initialRows(NDManager manager, int items);

  /**
   * @param rows shape {@code (B, P)}
   * @return the posterior of the {@code B} items whose parameters are {@code rows}, batch shape {@code (B)}
   */
  Distribution posteriorOf(NDArray rows);

  /**
   * Until the returned scope is closed, {@link #posterior(NDArray)} of a batch of {@code B} items returns
   * {@link #posteriorOf} of these rows (and fails when the batch holds another number of items).
   *
   * @param rows shape {@code (B, P)}, the batch's items' parameters in the batch's order
   */
  Binding bind(NDArray rows);

  /** @return how rows are fitted for items the family was not trained on (test items). */
  ItemInference inference();

  /** @return Adam's step size for the training items' rows during training. */
  double learningRate();

  /** A binding of rows, undone by {@link #close()}. */
  interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * How rows are fitted for new items, with the prior and the likelihood held fixed: Adam on each item's
   * own ELBO.
   *
   * @param steps Adam steps per item
   * @param learningRate Adam's step size
   * @param samples reparameterized samples per item and step
   */
  record ItemInference(int steps, double learningRate, int samples) {}
}
