package io.vi4j.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.kit.distribution.PointMass;
import io.vi4j.api.kit.nn.Network;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code t = m(x)}: the lecture's VAE with {@code s(x) = 0}, a plain autoencoder's encoder. Its
 * "posterior" is a {@link PointMass}; trained with the {@code autoencoder} estimator, the loss is the
 * decoder's reconstruction error alone (cross-entropy for a Bernoulli decoder, squared error scaled by
 * {@code 1/(2σ²)} for a Gaussian one with fixed σ).
 */
public final class DeterministicMlpEncoder implements VariationalFamily {
  private final Network network;

  /** @param manager the model's manager; @param dataDimension {@code D}; @param latentDimension {@code L} */
  public DeterministicMlpEncoder(NDManager manager, int dataDimension, int latentDimension, DeterministicMlpEncoderSpec spec) {
    this(manager, new Shape(dataDimension), latentDimension, spec);
  }

  /**
   * @param manager the model's manager
   * @param itemShape the shape of one data item, {@code (D)} or {@code (C, H, W)}
   * @param latentDimension {@code L}
   * @param spec an MLP's settings, or a network whose features go to a linear layer of {@code L} units
   */
  public DeterministicMlpEncoder(NDManager manager, Shape itemShape, int latentDimension, DeterministicMlpEncoderSpec spec) {
    this.network = EncoderNetworks.build(
        manager, itemShape, spec.hidden(), spec.activation(), spec.network(), latentDimension);
  }

  /** @param data shape {@code (B, D)}; @return a point mass at {@code m(x)}, batch {@code (B)}, event {@code L} */
  @Override
  public Distribution posterior(NDArray data) {
    return new PointMass(network.forward(data));
  }

  @Override
  public Set<Capability> posteriorCapabilities() {
    return EnumSet.of(Capability.SAMPLE, Capability.RSAMPLE);
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
