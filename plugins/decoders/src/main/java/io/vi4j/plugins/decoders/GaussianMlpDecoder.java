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
import io.vi4j.api.kit.nn.Network;
import io.vi4j.plugins.decoders.GaussianMlpDecoderSpec.Variance;
import java.util.Optional;

/**
 * {@code p(x | t) = N(μ(t), diag(σ²))} where {@code μ = MLP(t)} or {@code μ = CNN₁(t)} (any network of
 * layers) and σ² is a second head of the same network ({@code log σ²(t)}, {@code learned}), one learned
 * scalar shared by every dimension ({@code shared}; with no hidden layers this is probabilistic PCA's
 * likelihood), a constant ({@code fixed}), or a second network of the latent ({@code Σ(t) = CNN₂(t)},
 * {@code network}). Learned variances are floored at {@code min_sigma²}. A density on continuous data: its
 * log-likelihood can be positive, and is comparable across models only under one evaluation protocol.
 */
public final class GaussianMlpDecoder implements Likelihood {
  private final Network network;
  private final Network varianceNetwork;
  private final Variance variance;
  private final Group parts;
  private final Parameter sharedLogVariance;
  private final ParameterStore store;
  private final boolean learned;
  private final double logVarianceFloor;
  private final float fixedLogVariance;

  /** @param manager the model's manager; @param latentDimension {@code L}; @param dataDimension {@code D} */
  public GaussianMlpDecoder(NDManager manager, int latentDimension, int dataDimension, GaussianMlpDecoderSpec spec) {
    this(manager, latentDimension, new Shape(dataDimension), spec);
  }

  /**
   * @param manager the model's manager
   * @param latentDimension {@code L}
   * @param itemShape the shape of one data item, {@code (D)} or {@code (C, H, W)}
   * @param spec the mean's MLP or network, and how the variance is obtained
   */
  public GaussianMlpDecoder(NDManager manager, int latentDimension, Shape itemShape, GaussianMlpDecoderSpec spec) {
    this.variance = spec.variance();
    this.learned = variance == Variance.LEARNED;
    int dataDimension = (int) itemShape.size();
    if (spec.network() == null) {
      this.network = new Mlp(manager, latentDimension, spec.hidden(), learned ? 2 * dataDimension : dataDimension,
          spec.activation()).network();
    } else {
      Shape required = learned ? doubled(itemShape) : itemShape;
      this.network = Network.build(manager, "network", new Shape(latentDimension), spec.network(), required,
          learned ? "with variance: learned the decoder must output the means and log-variances of the data, shape"
              : "the decoder must output the data's shape");
    }
    this.varianceNetwork = variance == Variance.NETWORK
        ? Network.build(manager, "variance_network", new Shape(latentDimension), spec.varianceNetwork(), itemShape,
            "the variance network must output the data's shape")
        : null;
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
    if (varianceNetwork != null) {
      parts.add("variance", varianceNetwork.block());
    }
    this.store = new ParameterStore(manager, false);
  }

  /** @return twice the channels of an image, or twice the values of a flat item. */
  private static Shape doubled(Shape item) {
    return item.dimension() == 3 ? new Shape(2 * item.get(0), item.get(1), item.get(2)) : new Shape(2 * item.size());
  }

  /** @param latent shape {@code (..., L)}; @return Gaussian with batch {@code (...)}, event {@code D} */
  @Override
  public Distribution conditional(NDArray latent) {
    NDArray out = network.forward(latent);
    if (learned) {
      NDList heads = out.split(2, out.getShape().dimension() - 1);
      return new DiagonalGaussian(heads.get(0), NdMath.atLeast(heads.get(1), logVarianceFloor));
    }
    if (variance == Variance.NETWORK) {
      return new DiagonalGaussian(out, NdMath.atLeast(varianceNetwork.forward(latent), logVarianceFloor));
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
    return Optional.of(variance == Variance.SHARED || variance == Variance.NETWORK ? parts : network.block());
  }

  @Override
  public java.util.Map<String, Network> networks() {
    java.util.Map<String, Network> all = new java.util.LinkedHashMap<>();
    all.put("network", network);
    if (varianceNetwork != null) {
      all.put("variance_network", varianceNetwork);
    }
    return all;
  }
}
