package io.vi4j.plugins.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.nn.Network;
import io.vi4j.api.model.VariationalFamily;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code q(t | x)}: a diagonal Gaussian {@code N(μ(x), diag σ²(x))} pushed through {@code F} planar
 * transforms whose parameters the same network computes per item (amortized, as in Rezende &amp; Mohamed
 * 2015, section 4: the inference network outputs the flow's parameters). One network, last layer of
 * {@code 2L + F(2L + 1)} units; its weights are ordinary network parameters (checkpointed and resumed like
 * any encoder's). See {@link PlanarFlowPosterior} for what the posterior can and cannot do.
 */
public final class PlanarFlowMlpEncoder implements VariationalFamily {
  private final Network network;
  private final int latentDimension;
  private final int flowLength;

  /**
   * @param manager the model's manager
   * @param itemShape the shape of one data item, {@code (D)} or {@code (C, H, W)}
   * @param latentDimension {@code L}
   * @param spec hidden widths and nonlinearity, or a network, and the flow's length
   */
  public PlanarFlowMlpEncoder(NDManager manager, Shape itemShape, int latentDimension, PlanarFlowMlpEncoderSpec spec) {
    this.latentDimension = latentDimension;
    this.flowLength = spec.flowLength();
    int outputs = 2 * latentDimension + flowLength * (2 * latentDimension + 1);
    this.network = EncoderNetworks.build(
        manager, itemShape, spec.hidden(), spec.activation(), spec.network(), outputs);
  }

  /** @param data shape {@code (B, D)}; @return {@link PlanarFlowPosterior} with batch {@code (B)}, event {@code L} */
  @Override
  public Distribution posterior(NDArray data) {
    NDArray out = network.forward(data);
    long b = out.getShape().get(0);
    NDList heads = out.split(new long[] {latentDimension, 2L * latentDimension}, 1);
    NDArray flows = heads.get(2).reshape(b, flowLength, 2L * latentDimension + 1);
    return new PlanarFlowPosterior(heads.get(0), heads.get(1), flows);
  }

  /** {@code DENSITY} (of its own draws only) and {@code RSAMPLE}; see {@link PlanarFlowPosterior}. */
  @Override
  public Set<Capability> posteriorCapabilities() {
    return EnumSet.of(Capability.DENSITY, Capability.RSAMPLE);
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(network.block());
  }

  @Override
  public Map<String, Network> networks() {
    return Map.of("network", network);
  }

  /** @return {@code L}. */
  public int latentDimension() {
    return latentDimension;
  }
}
