package io.vi4j.core.model;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.VariationalFamily;
import java.util.Set;

/**
 * An encoder fed data with missing cells: NaN cells filled by {@link MissingCells#FILL}, and, when it was
 * built for {@code 2D} inputs, the mask of observed cells after them (MIWAE's zero imputation plus mask).
 * Parameters, saving and loading are the wrapped encoder's.
 */
final class FilledEncoder extends WrappedPart implements VariationalFamily {
  private final VariationalFamily inner;
  private final boolean withMask;

  /**
   * @param inner the encoder, built for {@code D} inputs ({@code withMask} false) or {@code 2D} (true)
   * @param withMask whether the mask follows the filled data
   */
  FilledEncoder(VariationalFamily inner, boolean withMask) {
    super(inner);
    this.inner = inner;
    this.withMask = withMask;
  }

  /**
   * @param data shape {@code (B, D)}, NaN where a cell is missing
   */
  @Override
  public Distribution posterior(NDArray data) {
    if (!withMask) {
      return inner.posterior(MissingCells.filled(data));
    }
    MissingCells.Cells cells = MissingCells.split(data);
    return inner.posterior(cells.filled().concat(cells.observed(), -1));
  }

  @Override
  public Set<Capability> posteriorCapabilities() {
    return inner.posteriorCapabilities();
  }





}
