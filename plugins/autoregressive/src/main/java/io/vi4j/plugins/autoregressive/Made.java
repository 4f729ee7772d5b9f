package io.vi4j.plugins.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.density.TrainableDensity;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.distribution.BernoulliLogits;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.api.kit.nn.TrainingMode;
import io.vi4j.api.model.Support;
import java.util.Optional;

/**
 * MADE (Germain et al. 2015): an MLP whose masked weights ({@link MadeMasks}) make output {@code d} a
 * function of {@code x_<d} only, so one pass gives every conditional {@code p(x_d | x_<d)} and the exact
 * {@code log p(x) = Σ_d log p(x_d | x_<d)}. Drawing an item takes {@code D} passes: dimension {@code d}
 * is drawn from the pass that saw dimensions {@code 0..d−1} already drawn.
 */
public final class Made implements TrainableDensity, io.vi4j.api.density.ConditionalImputer {
  /** Completions drawn per item to average a conditional mean over. */
  static final int IMPUTATION_DRAWS = 16;

  private static final Support BINARY = new Support(0, 1, "0 or 1 (binarized data)");

  private final SequentialBlock block;
  private final ParameterStore parameterStore;
  private final NDManager modelManager;
  private final int dimension;
  private final MadeSpec spec;

  /**
   * Builds and initializes the network on {@code manager}.
   *
   * @param manager the model's manager; parameters and masks live there
   * @param dimension {@code D}
   * @param spec widths, activation, likelihood and mask seed
   */
  public Made(NDManager manager, int dimension, MadeSpec spec) {
    if (dimension < 1) {
      throw new IllegalArgumentException("MADE needs items of at least one value, got dimension " + dimension);
    }
    this.dimension = dimension;
    this.spec = spec;
    this.modelManager = manager;
    MadeMasks masks = new MadeMasks(dimension, spec.hidden(), spec.maskSeed());
    block = new SequentialBlock();
    int below = dimension;
    for (int l = 0; l < masks.hiddenLayers(); l++) {
      int width = spec.hidden().get(l);
      block.add(new MaskedLinear(manager, below, width, masks.hiddenMask(l)));
      block.add(spec.activation().block());
      below = width;
    }
    int blocks = spec.likelihood() == MadeSpec.Likelihood.GAUSSIAN ? 2 : 1;
    block.add(new MaskedLinear(manager, below, blocks * dimension, masks.outputMask(blocks)));
    block.initialize(manager, DataType.FLOAT32, new Shape(1, dimension));
    parameterStore = new ParameterStore(manager, false);
  }

  /**
   * The conditionals of every dimension given the dimensions before it.
   *
   * @param data shape {@code (B, D)}
   * @return a distribution with batch {@code (B)} and event {@code D} whose coordinate {@code d} is
   *     {@code p(x_d | data_<d)}
   */
  public Distribution conditionals(NDArray data) {
    NDArray out = block.forward(parameterStore, new NDList(data), TrainingMode.isTraining()).singletonOrThrow();
    if (spec.likelihood() == MadeSpec.Likelihood.BERNOULLI) {
      return new BernoulliLogits(out);
    }
    NDArray mean = out.get(new NDIndex(":, :{}", dimension));
    NDArray logVariance = NdMath.atLeast(out.get(new NDIndex(":, {}:", dimension)),
        2 * Math.log(spec.minSigma()));
    return new DiagonalGaussian(mean, logVariance);
  }

  /** @param data shape {@code (B, D)}; @return {@code log p(x)} per item, shape {@code (B)}, nats */
  @Override
  public NDArray logLikelihood(NDArray data) {
    return conditionals(data).logProb(data);
  }

  /**
   * Draws items one dimension per network pass.
   *
   * @return shape {@code (count, D)}, on {@code manager}
   */
  @Override
  public NDArray sample(int count, NDManager manager) {
    NDArray items = manager.zeros(new Shape(count, dimension));
    for (int d = 0; d < dimension; d++) {
      try (NDManager pass = manager.newSubManager()) {
        NDArray seen = items.duplicate();
        seen.attach(pass); // every array of this pass is freed when it ends
        NDArray draw = conditionals(seen).sample(1).squeeze(0);
        items.set(new NDIndex(":, {}", d), draw.get(new NDIndex(":, {}", d)));
      }
    }
    return items;
  }

  /**
   * {@code E[x_m | x_o]} where every item's missing values come after its observed ones in the model's
   * order (such as the bottom half of an image): the chain rule gives the missing part's conditional
   * exactly, {@code Π_{d ≥ m} p(x_d | x_<d)}, and ancestral sampling draws from it. The mean of dimension
   * {@code d} is averaged over {@value #IMPUTATION_DRAWS} completions of the dimensions before it, of
   * {@code E[x_d | x_<d]} itself (a Rao-Blackwellized estimate). Other masks would need the conditional of
   * a value given values after it, which an autoregressive model does not have.
   *
   * @throws IllegalArgumentException naming the first item whose missing values do not all come after its
   *     observed ones
   */
  @Override
  public float[] conditionalMean(float[] observed, boolean[] missing, int items) {
    int first = dimension;
    for (int i = 0; i < items; i++) {
      int m = firstMissing(missing, i);
      for (int d = m; d < dimension; d++) {
        if (!missing[i * dimension + d]) {
          throw new IllegalArgumentException("item " + i + ": value " + d + " is observed after missing value " + m
              + "; MADE imputes values that come after every observed one in its order (such as the bottom half"
              + " of an image: --mask bottom-half)");
        }
      }
      first = Math.min(first, m);
    }
    float[] out = observed.clone();
    if (first == dimension) {
      return out;
    }
    int rows = items * IMPUTATION_DRAWS;
    float[] start = new float[rows * dimension];
    for (int i = 0; i < items; i++) {
      for (int r = 0; r < IMPUTATION_DRAWS; r++) {
        for (int d = 0; d < dimension; d++) {
          start[(i * IMPUTATION_DRAWS + r) * dimension + d] = missing[i * dimension + d] ? 0f : observed[i * dimension + d];
        }
      }
    }
    double[] sums = new double[items * dimension];
    try (NDManager manager = modelManager.newSubManager()) {
      NDArray drawn = manager.create(start, new Shape(rows, dimension));
      NDArray observedMask = manager.create(toFloats(missing, items), new Shape(items, dimension))
          .repeat(0, IMPUTATION_DRAWS).eq(0f);
      for (int d = first; d < dimension; d++) {
        try (NDManager pass = manager.newSubManager()) {
          NDArray seen = drawn.duplicate();
          seen.attach(pass);
          Distribution conditionals = conditionals(seen);
          NDArray mean = conditionals.mean().orElseThrow().get(new NDIndex(":, {}", d));
          float[] means = mean.toFloatArray();
          for (int row = 0; row < rows; row++) {
            sums[(row / IMPUTATION_DRAWS) * dimension + d] += means[row];
          }
          NDArray draw = conditionals.sample(1).squeeze(0).get(new NDIndex(":, {}", d));
          NDArray keep = observedMask.get(new NDIndex(":, {}", d));
          drawn.set(new NDIndex(":, {}", d), ai.djl.ndarray.NDArrays.where(keep, seen.get(new NDIndex(":, {}", d)), draw));
        }
      }
    }
    for (int i = 0; i < items; i++) {
      for (int d = 0; d < dimension; d++) {
        if (missing[i * dimension + d]) {
          out[i * dimension + d] = (float) (sums[i * dimension + d] / IMPUTATION_DRAWS);
        }
      }
    }
    return out;
  }

  private int firstMissing(boolean[] missing, int item) {
    for (int d = 0; d < dimension; d++) {
      if (missing[item * dimension + d]) {
        return d;
      }
    }
    return dimension;
  }

  private float[] toFloats(boolean[] missing, int items) {
    float[] out = new float[items * dimension];
    for (int i = 0; i < out.length; i++) {
      out[i] = missing[i] ? 1f : 0f;
    }
    return out;
  }

  @Override
  public int samplingPasses() {
    return dimension;
  }

  @Override
  public DataKind dataKind() {
    return spec.likelihood() == MadeSpec.Likelihood.BERNOULLI ? DataKind.BINARY : DataKind.CONTINUOUS;
  }

  @Override
  public Support support() {
    return spec.likelihood() == MadeSpec.Likelihood.BERNOULLI ? BINARY : Support.REAL;
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(block);
  }
}
