package io.vi4j.core.model;

import ai.djl.ndarray.NDArray;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.LikelihoodCapability;
import io.vi4j.api.model.Support;
import java.util.Optional;
import java.util.Set;

/**
 * A likelihood that scores the observed cells of data with missing (NaN) cells: {@code log p(x_o | t)}.
 * Everything else is the wrapped likelihood's.
 */
final class ObservedCellsLikelihood extends WrappedPart implements Likelihood {
  private final Likelihood inner;

  ObservedCellsLikelihood(Likelihood inner) {
    super(inner);
    this.inner = inner;
  }

  @Override
  public Distribution conditional(NDArray latent) {
    return new ObservedCells(inner.conditional(latent));
  }

  @Override
  public Support support() {
    return inner.support();
  }

  @Override
  public String columnProblem(int column, double value) {
    return inner.columnProblem(column, value);
  }

  @Override
  public DataKind dataKind() {
    return inner.dataKind();
  }

  @Override
  public Set<LikelihoodCapability> capabilities() {
    return inner.capabilities();
  }






  /** The conditional distribution, its log-density summed over the observed cells of a value. */
  private record ObservedCells(Distribution inner) implements Distribution {
    @Override
    public long eventSize() {
      return inner.eventSize();
    }

    /**
     * @param value shape {@code (..., S, E)}, NaN where a cell is missing
     * @return shape {@code (..., S)}: the log-density of the observed cells
     */
    @Override
    public NDArray logProb(NDArray value) {
      return logProbPerCoordinate(value).sum(new int[] {-1});
    }

    /** @return shape {@code (..., S, E)}: 0 at missing cells. */
    @Override
    public NDArray logProbPerCoordinate(NDArray value) {
      MissingCells.Cells cells = MissingCells.split(value);
      NDArray perCell;
      try {
        perCell = inner.logProbPerCoordinate(cells.filled());
      } catch (UnsupportedOperationException e) {
        throw new IllegalArgumentException("data with missing cells need a likelihood that scores each cell on its"
            + " own, but " + e.getMessage(), e);
      }
      return perCell.mul(cells.observed());
    }

    @Override
    public NDArray sample(int k) {
      return inner.sample(k);
    }

    @Override
    public NDArray rsample(int k) {
      return inner.rsample(k);
    }

    @Override
    public Optional<NDArray> mean() {
      return inner.mean();
    }

    @Override
    public Distribution detached() {
      return new ObservedCells(inner.detached());
    }

    @Override
    public Set<Capability> capabilities() {
      return inner.capabilities();
    }

    @Override
    public Optional<NDArray> entropy() {
      return inner.entropy();
    }

    @Override
    public Optional<NDArray> analyticKl(Distribution other) {
      return inner.analyticKl(other);
    }
  }
}
