package io.vi4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.PerItemFamily;
import io.vi4j.api.model.VariationalFamily;

/**
 * A model's view of data with missing cells (NaN values, see {@link io.vi4j.api.data.Dataset}), as in
 * MIWAE (Mattei &amp; Frellsen 2019, "MIWAE: Deep generative modelling and imputation of incomplete data
 * sets"): the likelihood scores the observed cells only, {@code log p(x_o | t) = Σ_{d observed} log p(x_d | t)},
 * so every estimator's ELBO becomes the ELBO of the observed cells (and the importance-weighted one MIWAE's
 * bound); the encoder sees the data with missing cells filled by 0 and, when built for it, the mask of
 * observed cells beside them.
 *
 * <p>The view changes nothing for an item without missing cells except the order of summation: its
 * log-likelihood is the sum of the per-coordinate terms. It needs a likelihood whose distributions offer
 * {@link io.vi4j.api.distribution.Distribution#logProbPerCoordinate}.
 */
public final class MissingCells {
  /** The value a missing cell is given before the encoder sees it (0: the training mean of a standardised column). */
  public static final float FILL = 0f;

  private MissingCells() {}

  /**
   * @param model the model as built
   * @param encoderSeesMask whether the encoder was built for {@code 2D} inputs (filled data, then the mask)
   * @return the model whose likelihood scores observed cells only and whose encoder takes data with NaN
   *     cells; a family with parameters per item (which reads no data) is left as it is
   */
  public static LatentVariableModel view(LatentVariableModel model, boolean encoderSeesMask) {
    VariationalFamily encoder = model.encoder() instanceof PerItemFamily
        ? model.encoder()
        : new FilledEncoder(model.encoder(), encoderSeesMask);
    return new LatentVariableModel(
        model.prior(), encoder, new ObservedCellsLikelihood(model.decoder()), model.dataDimension());
  }

  /** @return whether {@code likelihood} is a view that scores the observed cells of data with missing cells. */
  public static boolean scoresObservedCells(io.vi4j.api.model.Likelihood likelihood) {
    return likelihood instanceof ObservedCellsLikelihood;
  }

  /**
   * A batch with missing cells taken apart once: the values with every NaN replaced by {@link #FILL}, and the
   * float32 mask of observed cells (1 observed, 0 missing), both of the batch's shape.
   */
  public record Cells(NDArray filled, NDArray observed) {}

  /** @param data any shape, NaN where a cell is missing */
  public static Cells split(NDArray data) {
    NDArray missing = data.isNaN();
    return new Cells(NDArrays.where(missing, fill(data), data),
        missing.logicalNot().toType(DataType.FLOAT32, false));
  }

  /**
   * @param data any shape, NaN where a cell is missing
   * @return the same shape with every NaN replaced by {@link #FILL}
   */
  public static NDArray filled(NDArray data) {
    return NDArrays.where(data.isNaN(), fill(data), data);
  }

  /** @return {@link #FILL} in {@code data}'s shape and type (the engine's where does not broadcast) */
  private static NDArray fill(NDArray data) {
    return data.getManager().full(data.getShape(), FILL, data.getDataType());
  }
}
