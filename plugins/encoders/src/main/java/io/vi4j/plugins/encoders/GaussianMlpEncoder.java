package io.vi4j.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.nn.Network;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code q(t | x) = N(μ(x), diag(σ²(x)))} with {@code [μ, log σ²] = MLP(x)}: one network whose last
 * layer has {@code 2L} outputs, the two heads side by side (Kingma &amp; Welling 2014, appendix C.2).
 */
public final class GaussianMlpEncoder implements VariationalFamily {
  private final Network network;
  private final int latentDimension;

  /**
   * @param manager the model's manager
   * @param dataDimension {@code D} (flat items)
   * @param latentDimension {@code L}
   * @param spec hidden widths and nonlinearity, or a network
   */
  public GaussianMlpEncoder(NDManager manager, int dataDimension, int latentDimension, GaussianMlpEncoderSpec spec) {
    this(manager, new Shape(dataDimension), latentDimension, spec);
  }

  /**
   * @param manager the model's manager
   * @param itemShape the shape of one data item, {@code (D)} or {@code (C, H, W)}
   * @param latentDimension {@code L}
   * @param spec hidden widths and nonlinearity, or a network whose features go to a linear layer of
   *     {@code 2L} units
   */
  public GaussianMlpEncoder(NDManager manager, Shape itemShape, int latentDimension, GaussianMlpEncoderSpec spec) {
    this.latentDimension = latentDimension;
    this.network = EncoderNetworks.build(
        manager, itemShape, spec.hidden(), spec.activation(), spec.network(), 2 * latentDimension);
  }

  /** @param data shape {@code (B, D)}; @return {@link DiagonalGaussian} with batch {@code (B)}, event {@code L} */
  @Override
  public Distribution posterior(NDArray data) {
    NDArray out = network.forward(data);
    NDList heads = out.split(2, out.getShape().dimension() - 1);
    return new DiagonalGaussian(heads.get(0), heads.get(1));
  }

  @Override
  public Set<Capability> posteriorCapabilities() {
    return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE, Capability.ENTROPY, Capability.DETACH);
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(network.block());
  }

  @Override
  public java.util.Map<String, Network> networks() {
    return java.util.Map.of("network", network);
  }

  /** @return {@code L}. */
  public int latentDimension() {
    return latentDimension;
  }
}
