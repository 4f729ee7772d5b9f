package io.vi4j.plugins.factorized;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.density.BaselineModel;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.kit.math.NdMath;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * What the factorized baselines share: the configuration, the data kind, and the bookkeeping of a fit.
 *
 * <p>The fitted arrays live in a sub-manager of the manager given to {@code fit} ({@link #refit} closes the
 * previous one's); {@link #logLikelihoodOf} and {@link #sampleOf} check the state and the shapes, work in a
 * scratch sub-manager and move only the result to the caller's manager.
 *
 * @param <S> the configuration type
 */
abstract class FactorizedModel<S> implements BaselineModel {
  private final String name;
  private final S spec;
  private final DataKind dataKind;

  private NDManager fitted;
  private int dimension;

  /**
   * @param name the component name, for messages
   * @param spec the configuration
   * @param dataKind what values the model is a density of
   */
  FactorizedModel(String name, S spec, DataKind dataKind) {
    this.name = name;
    this.spec = Objects.requireNonNull(spec, "spec");
    this.dataKind = dataKind;
  }

  /** @return the configuration. */
  public final S spec() {
    return spec;
  }

  @Override
  public final DataKind dataKind() {
    return dataKind;
  }

  /**
   * Starts a new fit: closes the previous fit's arrays and opens a sub-manager of {@code manager} for the
   * new ones.
   *
   * @param manager the manager given to {@code fit}
   * @param dimension the data dimension {@code D} of the new fit
   * @return where the fitted arrays are to live
   */
  final NDManager refit(NDManager manager, int dimension) {
    if (fitted != null) {
      fitted.close();
    }
    fitted = manager.newSubManager();
    this.dimension = dimension;
    return fitted;
  }

  /** @return {@code D} of the current fit. */
  final int dimension() {
    requireFitted();
    return dimension;
  }

  /** @return a copy of a fitted host array. */
  final double[] fittedCopy(double[] values) {
    requireFitted();
    return values.clone();
  }

  /**
   * Evaluates a per-item log-likelihood.
   *
   * @param data shape {@code (B, D)}
   * @param logLikelihood from the float64 copy of {@code data} to its shape {@code (B)} log-likelihood
   * @return the result on {@code data}'s manager; the copy and intermediate arrays are freed
   *     ({@link NdMath#inFloat64})
   */
  final NDArray logLikelihoodOf(NDArray data, UnaryOperator<NDArray> logLikelihood) {
    requireFitted();
    Shape shape = data.getShape();
    if (shape.dimension() != 2 || shape.get(1) != dimension) {
      throw new IllegalArgumentException(
          name + " expects items of shape (B, " + dimension + "), got " + shape);
    }
    return NdMath.inFloat64(data, logLikelihood);
  }

  /**
   * Draws samples.
   *
   * @param count how many, at least 0
   * @param manager where the result goes
   * @param draw makes the samples, of shape {@code (count, D)}, in the scratch manager it is given
   * @return the samples on {@code manager}; intermediate arrays are freed
   */
  final NDArray sampleOf(int count, NDManager manager, BiFunction<NDManager, Shape, NDArray> draw) {
    requireFitted();
    if (count < 0) {
      throw new IllegalArgumentException("count must be at least 0, got " + count);
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray x = draw.apply(scratch, new Shape(count, dimension));
      x.attach(manager);
      return x;
    }
  }

  private void requireFitted() {
    if (fitted == null) {
      throw new IllegalStateException(name + " is not fitted yet; call fit first");
    }
  }

  /**
   * Column-wise imputation, what a factorized model's conditional mean is: every missing (or NaN) value gets its
   * column's {@code fill}.
   *
   * @param observed row-major {@code items × D}
   * @param missing row-major {@code items × D}, true where a value is unknown
   * @param fill length {@code D}
   * @return a copy of {@code observed} with every missing value replaced
   */
  static float[] fillColumns(float[] observed, boolean[] missing, int items, double[] fill) {
    int d = fill.length;
    boolean[] unknown = io.vi4j.api.data.IncompleteData.unknownCells(observed, missing, items, d);
    float[] out = observed.clone();
    for (int i = 0; i < out.length; i++) {
      if (unknown[i]) {
        out[i] = (float) fill[i % d];
      }
    }
    return out;
  }
}
