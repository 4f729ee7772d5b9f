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
 * {@code q(t | x) = N(μ(x), L(x) L(x)ᵀ)}: one network whose last layer has {@code 2L + L(L−1)/2} outputs,
 * μ, {@code log diag L} and the strictly lower triangle of {@code L} row by row (Kingma, Salimans et al.
 * 2016, section 3; the usual Cholesky parameterization). The factor is assembled with two constant 0/1
 * placement matrices, so the triangle has a gradient like any other output.
 */
public final class FullCovarianceMlpEncoder implements VariationalFamily {
  private final Network network;
  private final int latentDimension;
  /** shape {@code (L(L−1)/2, L²)}: puts the k-th strictly-lower entry at its row-major place; null when L = 1. */
  private final NDArray placeTriangle;
  /** shape {@code (L, L²)}: puts the i-th diagonal entry at {@code (i, i)}. */
  private final NDArray placeDiagonal;

  /**
   * @param manager the model's manager (also holds the placement constants)
   * @param itemShape the shape of one data item, {@code (D)} or {@code (C, H, W)}
   * @param latentDimension {@code L}
   * @param spec hidden widths and nonlinearity, or a network
   */
  public FullCovarianceMlpEncoder(
      NDManager manager, Shape itemShape, int latentDimension, FullCovarianceMlpEncoderSpec spec) {
    this.latentDimension = latentDimension;
    int outputs = outputs(latentDimension);
    this.network = EncoderNetworks.build(
        manager, itemShape, spec.hidden(), spec.activation(), spec.network(), outputs);
    int l = latentDimension;
    int triangle = l * (l - 1) / 2;
    if (spec.triangleInit() == FullCovarianceMlpEncoderSpec.TriangleInit.ZERO && triangle > 0) {
      zeroTriangleUnits(2L * l);
    }
    float[] diagonal = new float[l * l * l];
    for (int i = 0; i < l; i++) {
      diagonal[i * l * l + i * l + i] = 1f;
    }
    float[] lower = new float[triangle * l * l];
    int k = 0;
    for (int i = 0; i < l; i++) {
      for (int j = 0; j < i; j++) {
        lower[k * l * l + i * l + j] = 1f;
        k++;
      }
    }
    // duplicate(): engine-owned copies, not views of a Java buffer (DJL-NOTES, "Found while building")
    this.placeDiagonal = manager.create(diagonal, new Shape(l, (long) l * l)).duplicate();
    this.placeTriangle = triangle == 0 ? null : manager.create(lower, new Shape(triangle, (long) l * l)).duplicate();
  }

  /** Sets the last linear layer's weights and biases of output units {@code from..} to 0. */
  private void zeroTriangleUnits(long from) {
    ai.djl.nn.Parameter weight = null;
    ai.djl.nn.Parameter bias = null;
    for (var entry : network.block().getParameters()) { // the last layer's come last
      if (entry.getKey().endsWith("weight")) {
        weight = entry.getValue();
      } else if (entry.getKey().endsWith("bias")) {
        bias = entry.getValue();
      }
    }
    weight.getArray().set(new ai.djl.ndarray.index.NDIndex("{}:, :", from), 0f);
    bias.getArray().set(new ai.djl.ndarray.index.NDIndex("{}:", from), 0f);
  }

  /** @return {@code 2L + L(L−1)/2}, the width of the network's last layer. */
  static int outputs(int latentDimension) {
    return 2 * latentDimension + latentDimension * (latentDimension - 1) / 2;
  }

  /** @param data shape {@code (B, D)}; @return {@link FullCovarianceGaussian} with batch {@code (B)}, event {@code L} */
  @Override
  public Distribution posterior(NDArray data) {
    NDArray out = network.forward(data);
    int axis = out.getShape().dimension() - 1;
    NDList heads = out.split(new long[] {latentDimension, 2L * latentDimension}, axis);
    return assemble(heads.get(0), heads.get(1), heads.get(2));
  }

  /**
   * @param mean shape {@code (B, L)}
   * @param logDiagonal shape {@code (B, L)}
   * @param triangle shape {@code (B, L(L−1)/2)}, the strictly lower triangle row by row
   */
  FullCovarianceGaussian assemble(NDArray mean, NDArray logDiagonal, NDArray triangle) {
    long b = mean.getShape().get(0);
    NDArray flat = logDiagonal.exp().matMul(like(placeDiagonal, mean));
    NDArray full = placeTriangle == null ? flat : flat.add(triangle.matMul(like(placeTriangle, mean)));
    return new FullCovarianceGaussian(mean, logDiagonal, full.reshape(b, latentDimension, latentDimension));
  }

  /** @return {@code constant} in {@code like}'s type (float64 in tests), itself when it already is */
  private static NDArray like(NDArray constant, NDArray like) {
    return constant.getDataType() == like.getDataType() ? constant : constant.toType(like.getDataType(), false);
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
  public Map<String, Network> networks() {
    return Map.of("network", network);
  }

  /** @return {@code L}. */
  public int latentDimension() {
    return latentDimension;
  }
}
