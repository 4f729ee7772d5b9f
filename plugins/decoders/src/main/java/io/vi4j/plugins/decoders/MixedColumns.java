package io.vi4j.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.plugins.decoders.MixedMlpDecoderSpec.ColumnGroup;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * A product over column groups of independent per-column distributions — Gaussian, Bernoulli,
 * categorical (softmax) and Poisson — given the decoder's outputs for each item (as DL4J's composite
 * reconstruction distribution): the likelihood of a table whose columns are of different kinds.
 *
 * <p>The outputs lie group after group: a Gaussian group of {@code c} columns has {@code c} means then
 * {@code c} log-variances; a Bernoulli group {@code c} logits; a categorical group {@code levels} logits per
 * column; a Poisson group {@code c} log-rates. Values of a categorical column are its level codes
 * {@code 0..levels−1}, of a Poisson column counts; both stored as floats.
 */
final class MixedColumns implements Distribution {
  private static final Set<Capability> CAPABILITIES = EnumSet.of(Capability.DENSITY, Capability.SAMPLE);

  private final NDArray outputs;
  private final List<ColumnGroup> groups;
  private final int width;

  /**
   * @param outputs the network's outputs, shape {@code (S, W)} (any leading shape)
   * @param groups the column groups, in order
   */
  MixedColumns(NDArray outputs, List<ColumnGroup> groups) {
    this.outputs = outputs;
    this.groups = groups;
    this.width = groups.stream().mapToInt(ColumnGroup::count).sum();
  }

  @Override
  public long eventSize() {
    return width;
  }

  @Override
  public NDArray logProb(NDArray value) {
    return logProbPerCoordinate(value).sum(new int[] {-1});
  }

  /**
   * @param value shape {@code (..., S, D)}
   * @return each column's log-density or log-mass, shape {@code (..., S, D)}, nats
   */
  @Override
  public NDArray logProbPerCoordinate(NDArray value) {
    NDList columns = new NDList(groups.size());
    int out = 0;
    int column = 0;
    for (ColumnGroup group : groups) {
      int c = group.count();
      NDArray x = value.get(new NDIndex("..., {}:{}", column, column + c));
      columns.add(switch (group.type()) {
        case GAUSSIAN -> {
          NDArray mean = slice(out, c);
          NDArray logVariance = NdMath.atLeast(slice(out + c, c), 2 * Math.log(group.minSigma()));
          NDArray squared = x.sub(mean).square().mul(logVariance.neg().exp());
          yield NdMath.times(squared.add(logVariance).add(NdMath.LOG_2PI), -0.5);
        }
        case STUDENT_T -> {
          // log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − ½ log σ² − (ν+1)/2 · log(1 + (x − μ)² / (ν σ²))
          double df = group.df();
          NDArray logVariance = NdMath.atLeast(slice(out + c, c), 2 * Math.log(group.minSigma()));
          NDArray squared = x.sub(slice(out, c)).square().mul(logVariance.neg().exp());
          double constant = Gamma.logGamma((df + 1) / 2) - Gamma.logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
          yield NdMath.times(NdMath.times(squared, 1 / df).add(1).log(), -(df + 1) / 2)
              .sub(NdMath.times(logVariance, 0.5)).add(constant);
        }
        case BERNOULLI -> NdMath.bernoulliLogProb(slice(out, c), x);
        case POISSON -> {
          NDArray logRate = slice(out, c);
          yield x.mul(logRate).sub(logRate.exp()).sub(x.add(1).gammaln());
        }
        case CATEGORICAL -> {
          int levels = group.levels();
          NDArray logits = slice(out, c * levels);
          Shape shape = logits.getShape();
          NDArray perLevel = logits.reshape(shape.slice(0, shape.dimension() - 1).add(c, levels)).logSoftmax(-1);
          NDArray oneHot = x.toType(DataType.INT64, false).oneHot(levels).toType(perLevel.getDataType(), false);
          yield perLevel.mul(oneHot).sum(new int[] {-1});
        }
      });
      out += group.outputs();
      column += c;
    }
    return join(columns);
  }

  /**
   * The groups' columns side by side. One group is returned as it is: DJL's {@code NDArrays.concat} of a
   * single array returns a copy cut from the autograd graph, which left a table of one column kind (every
   * column binary, say) with no gradient at all.
   */
  private static NDArray join(NDList columns) {
    return columns.size() == 1 ? columns.get(0) : NDArrays.concat(columns, -1);
  }

  private NDArray slice(int from, int count) {
    return outputs.get(new NDIndex("..., {}:{}", from, from + count));
  }

  /**
   * Draws from every column's distribution, with no gradient path.
   *
   * @return shape {@code (k, S, D)}
   */
  @Override
  public NDArray sample(int k) {
    NDArray repeated = outputs.stopGradient().expandDims(0).repeat(0, k);
    NDList columns = new NDList(groups.size());
    int out = 0;
    for (ColumnGroup group : groups) {
      int c = group.count();
      NDArray first = repeated.get(new NDIndex("..., {}:{}", out, out + c));
      columns.add(switch (group.type()) {
        case GAUSSIAN -> {
          NDArray logVariance = NdMath.atLeast(repeated.get(new NDIndex("..., {}:{}", out + c, out + 2 * c)),
              2 * Math.log(group.minSigma()));
          yield first.add(first.getManager().randomNormal(first.getShape()).mul(NdMath.times(logVariance, 0.5).exp()));
        }
        case STUDENT_T -> {
          NDArray logVariance = NdMath.atLeast(repeated.get(new NDIndex("..., {}:{}", out + c, out + 2 * c)),
              2 * Math.log(group.minSigma()));
          yield first.add(studentT(first.getManager(), first.getShape(), group.df())
              .mul(NdMath.times(logVariance, 0.5).exp()));
        }
        case BERNOULLI -> first.getManager().randomUniform(0f, 1f, first.getShape())
            .lt(ai.djl.nn.Activation.sigmoid(first)).toType(DataType.FLOAT32, false);
        case POISSON -> poisson(first.exp());
        case CATEGORICAL -> {
          NDArray logits = repeated.get(new NDIndex("..., {}:{}", out, out + c * group.levels()));
          Shape shape = logits.getShape();
          NDArray probabilities = logits.reshape(shape.slice(0, shape.dimension() - 1).add(c, group.levels()))
              .softmax(-1);
          // Inverse CDF: the number of cumulative probabilities below a uniform draw.
          NDArray uniform = probabilities.getManager().randomUniform(0f, 1f,
              probabilities.getShape().slice(0, probabilities.getShape().dimension() - 1).add(1));
          yield probabilities.cumSum(-1).lt(uniform).toType(DataType.FLOAT32, false).sum(new int[] {-1})
              .minimum(group.levels() - 1);
        }
      });
      out += group.outputs();
    }
    return join(columns);
  }

  /** Poisson draws by the inverse CDF of one engine uniform each (so the engine's seed fixes them). */
  /** @return standard Student-t draws of {@code df} degrees of freedom: the inverse CDF of the engine's uniforms */
  private static NDArray studentT(ai.djl.ndarray.NDManager manager, Shape shape, double df) {
    float[] uniform = manager.randomUniform(0f, 1f, shape).toFloatArray();
    TDistribution t = new TDistribution(null, df);
    float[] draws = new float[uniform.length];
    for (int i = 0; i < draws.length; i++) {
      double u = Math.min(Math.max(uniform[i], 1e-7), 1 - 1e-7);
      draws[i] = (float) t.inverseCumulativeProbability(u);
    }
    return manager.create(draws, shape);
  }

  private static NDArray poisson(NDArray rate) {
    float[] lambda = rate.toFloatArray();
    float[] uniform = rate.getManager().randomUniform(0f, 1f, rate.getShape()).toFloatArray();
    float[] counts = new float[lambda.length];
    for (int i = 0; i < lambda.length; i++) {
      double pmf = Math.exp(-lambda[i]);
      double cdf = pmf;
      int n = 0;
      while (uniform[i] > cdf && n < 100_000) {
        n++;
        pmf *= lambda[i] / n;
        cdf += pmf;
      }
      counts[i] = n;
    }
    return rate.getManager().create(counts, rate.getShape());
  }

  /**
   * @return per column: the Gaussian mean, the Bernoulli probability, the Poisson rate, and for a categorical
   *     column its most probable level; shape {@code (S, D)}
   */
  @Override
  public Optional<NDArray> mean() {
    NDList columns = new NDList(groups.size());
    int out = 0;
    for (ColumnGroup group : groups) {
      int c = group.count();
      NDArray first = slice(out, c);
      columns.add(switch (group.type()) {
        case GAUSSIAN, STUDENT_T -> first;
        case BERNOULLI -> ai.djl.nn.Activation.sigmoid(first);
        case POISSON -> first.exp();
        case CATEGORICAL -> {
          NDArray logits = slice(out, c * group.levels());
          Shape shape = logits.getShape();
          yield logits.reshape(shape.slice(0, shape.dimension() - 1).add(c, group.levels())).argMax(-1)
              .toType(DataType.FLOAT32, false);
        }
      });
      out += group.outputs();
    }
    return Optional.of(join(columns));
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }
}
