package io.vi4j.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Support;
import io.vi4j.core.distribution.DiagonalGaussian;
import io.vi4j.core.nn.Mlp;
import io.vi4j.plugins.decoders.GaussianMlpDecoderSpec.Variance;
import java.util.Optional;

/**
 * {@code p(x | t) = N(μ(t), diag(σ²))} where {@code μ = MLP(t)} and σ² is either a second head of the
 * same network ({@code log σ²(t)}, floored at {@code 2 log min_sigma}) or a fixed constant. A density on
 * continuous data: its log-likelihood can be positive, and is comparable across models only under one
 * evaluation protocol.
 */
public final class GaussianMlpDecoder implements Likelihood {
  private final Mlp network;
  private final boolean learned;
  private final double logVarianceFloor;
  private final float fixedLogVariance;

  /** @param manager the model's manager; @param latentDimension {@code L}; @param dataDimension {@code D} */
  public GaussianMlpDecoder(NDManager manager, int latentDimension, int dataDimension, GaussianMlpDecoderSpec spec) {
    this.learned = spec.variance() == Variance.LEARNED;
    int outputs = learned ? 2 * dataDimension : dataDimension;
    this.network = new Mlp(manager, latentDimension, spec.hidden(), outputs, spec.activation());
    this.logVarianceFloor = learned ? 2 * Math.log(spec.minSigma()) : Double.NaN;
    this.fixedLogVariance = learned ? Float.NaN : (float) (2 * Math.log(spec.sigma()));
  }

  /** @param latent shape {@code (..., L)}; @return Gaussian with batch {@code (...)}, event {@code D} */
  @Override
  public Distribution conditional(NDArray latent) {
    NDArray out = network.forward(latent);
    if (learned) {
      NDList heads = out.split(2, out.getShape().dimension() - 1);
      return new DiagonalGaussian(heads.get(0), heads.get(1).maximum(logVarianceFloor));
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
    return Optional.of(network.block());
  }
}
