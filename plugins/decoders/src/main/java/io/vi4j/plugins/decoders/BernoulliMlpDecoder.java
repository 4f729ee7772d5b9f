package io.vi4j.plugins.decoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Support;
import io.vi4j.api.kit.distribution.BernoulliLogits;
import io.vi4j.api.kit.nn.Mlp;
import io.vi4j.api.kit.nn.Network;
import ai.djl.ndarray.types.Shape;
import java.util.Optional;

/**
 * {@code p(x | t) = Π_d Bernoulli(x_d; σ(l_d(t)))} with logits {@code l = MLP(t)} or {@code l = CNN(t)}
 * (any network of layers whose output is the data's shape); the log-likelihood is
 * computed from the logits in the stable form, so it stays finite for saturated pixels.
 */
public final class BernoulliMlpDecoder implements Likelihood {
  private static final Support UNIT = new Support(0, 1, "[0, 1] (Bernoulli targets)");

  private final Network network;

  /** @param manager the model's manager; @param latentDimension {@code L}; @param dataDimension {@code D} */
  public BernoulliMlpDecoder(NDManager manager, int latentDimension, int dataDimension, BernoulliMlpDecoderSpec spec) {
    this(manager, latentDimension, new Shape(dataDimension), spec);
  }

  /**
   * @param manager the model's manager
   * @param latentDimension {@code L}
   * @param itemShape the shape of one data item, {@code (D)} or {@code (C, H, W)}: the network's last
   *     layer must give it
   * @param spec an MLP's settings, or a network
   */
  public BernoulliMlpDecoder(NDManager manager, int latentDimension, Shape itemShape, BernoulliMlpDecoderSpec spec) {
    this.network = spec.network() == null
        ? new Mlp(manager, latentDimension, spec.hidden(), (int) itemShape.size(), spec.activation()).network()
        : Network.build(manager, "network", new Shape(latentDimension), spec.network(), itemShape,
            "the decoder must output the data's shape");
  }

  /** @param latent shape {@code (..., L)}; @return Bernoulli with batch {@code (...)}, event {@code D} */
  @Override
  public Distribution conditional(NDArray latent) {
    return new BernoulliLogits(network.forward(latent));
  }

  @Override
  public io.vi4j.api.density.DataKind dataKind() {
    return io.vi4j.api.density.DataKind.BINARY;
  }

  @Override
  public Support support() {
    return UNIT;
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(network.block());
  }

  @Override
  public java.util.Map<String, Network> networks() {
    return java.util.Map.of("network", network);
  }
}
