package io.vi4j.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.api.kit.nn.Group;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Support;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.nn.Mlp;
import io.vi4j.plugins.decoders.GaussianMlpDecoderSpec.Variance;
import java.util.Optional;

/**
 * {@code p(x | t) = N(μ(t), diag(σ²))} where {@code μ = MLP(t)} and σ² is a second head of the same
 * network ({@code log σ²(t)}, {@code learned}), one learned scalar shared by every dimension
 * ({@code shared}; with no hidden layers this is probabilistic PCA's likelihood), or a constant
 * ({@code fixed}). Learned variances are floored at {@code min_sigma²}. A density on continuous data: its
 * log-likelihood can be positive, and is comparable across models only under one evaluation protocol.
 */
public final class GaussianMlpDecoder implements Likelihood {
  private final Mlp network;
  private final Variance variance;
  private final Group parts;
  private final Parameter sharedLogVariance;
  private final ParameterStore store;
  private final boolean learned;
  private final double logVarianceFloor;
  private final float fixedLogVariance;

  /** @param manager the model's manager; @param latentDimension {@code L}; @param dataDimension {@code D} */
  public GaussianMlpDecoder(NDManager manager, int latentDimension, int dataDimension, GaussianMlpDecoderSpec spec) {
    this.variance = spec.variance();
    this.learned = variance == Variance.LEARNED;
    int outputs = learned ? 2 * dataDimension : dataDimension;
    this.network = new Mlp(manager, latentDimension, spec.hidden(), outputs, spec.activation());
    this.logVarianceFloor = variance == Variance.FIXED ? Double.NaN : 2 * Math.log(spec.minSigma());
    this.fixedLogVariance = variance == Variance.FIXED ? (float) (2 * Math.log(spec.sigma())) : Float.NaN;
    this.parts = new Group();
    parts.add("mlp", network.block());
    if (variance == Variance.SHARED) {
      NDArray initial = manager.zeros(new Shape(1));
      initial.setRequiresGradient(true);
      sharedLogVariance = parts.add(Parameter.builder()
          .setName("log_variance")
          .setType(Parameter.Type.OTHER)
          .optShape(new Shape(1))
          .optArray(initial)
          .build());
    } else {
      sharedLogVariance = null;
    }
    this.store = new ParameterStore(manager, false);
  }

  /** @param latent shape {@code (..., L)}; @return Gaussian with batch {@code (...)}, event {@code D} */
  @Override
  public Distribution conditional(NDArray latent) {
    NDArray out = network.forward(latent);
    if (learned) {
      NDList heads = out.split(2, out.getShape().dimension() - 1);
      return new DiagonalGaussian(heads.get(0), NdMath.atLeast(heads.get(1), logVarianceFloor));
    }
    if (variance == Variance.SHARED) {
      NDArray logVariance = store.getValue(sharedLogVariance, out.getDevice(), true);
      // First operand from the step's manager, so the result does not land on the model's manager.
      NDArray floored = NdMath.atLeast(out.getManager().zeros(new Shape(1)).add(logVariance), logVarianceFloor);
      return new DiagonalGaussian(out, floored);
    }
    NDArray logVariance = out.getManager().full(new ai.djl.ndarray.types.Shape(1), fixedLogVariance);
    return new DiagonalGaussian(out, logVariance);
  }

  @Override
  public Support support() {
    return Support.REAL;
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(variance == Variance.SHARED ? parts : network.block());
  }
}
