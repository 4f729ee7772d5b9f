package io.vi4j.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.Prior;
import io.vi4j.api.model.Support;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.kit.distribution.BernoulliLogits;
import io.vi4j.api.kit.distribution.DiagonalGaussian;
import io.vi4j.api.kit.nn.ActivationName;
import io.vi4j.api.kit.nn.Mlp;
import io.vi4j.api.kit.nn.LayerSpec;
import io.vi4j.api.kit.nn.Network;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A small trainable Bernoulli VAE built from core parts only (no plugins), for trainer tests. */
public final class TinyMlpModel {
  private TinyMlpModel() {}

  /** @return a VAE {@code D → hidden → 2L}, {@code L → hidden → D} on {@code manager}. */
  public static LatentVariableModel build(NDManager manager, int d, int l, int hidden) {
    return build(manager, d, l, List.of(hidden), List.of(hidden));
  }

  /** @return a VAE {@code D → encoderHidden… → 2L}, {@code L → decoderHidden… → D} on {@code manager}. */
  public static LatentVariableModel build(
      NDManager manager, int d, int l, List<Integer> encoderHidden, List<Integer> decoderHidden) {
    return build(manager, d, l, new Mlp(manager, d, encoderHidden, 2 * l, ActivationName.RELU).network(),
        new Mlp(manager, l, decoderHidden, d, ActivationName.RELU).network());
  }

  /**
   * @return a small convolutional VAE of 28×28 images: conv 4 (k4 s2 p1), batch norm, ReLU, a linear layer
   *     of 2L; decoder L → 196 → 4×7×7 → transposed conv 4 (k4 s2 p1), dropout, ReLU → transposed conv 1
   */
  public static LatentVariableModel convolutional(NDManager manager, int l) {
    Network encoder = Network.build(manager, "network", new Shape(1, 28, 28), Network.then(List.of(
        new LayerSpec.Conv2d(4, 4, 2, 1), new LayerSpec.BatchNorm(null), new LayerSpec.Activation(ActivationName.RELU)),
        2 * l), null, null);
    Network decoder = Network.build(manager, "network", new Shape(l), List.of(
        new LayerSpec.Linear(196), new LayerSpec.Activation(ActivationName.RELU), new LayerSpec.Reshape(List.of(4, 7, 7)),
        new LayerSpec.ConvTranspose2d(4, 4, 2, 1, 0), new LayerSpec.Dropout(0.1),
        new LayerSpec.Activation(ActivationName.RELU), new LayerSpec.ConvTranspose2d(1, 4, 2, 1, 0)),
        new Shape(1, 28, 28), "the decoder");
    return build(manager, 784, l, encoder, decoder);
  }

  private static LatentVariableModel build(NDManager manager, int d, int l, Network encoderNet, Network decoderNet) {
    Prior prior = new StandardNormalTestPrior(l);
    VariationalFamily encoder = new VariationalFamily() {
      @Override
      public Distribution posterior(NDArray x) {
        NDList heads = encoderNet.forward(x).split(2, 1);
        return new DiagonalGaussian(heads.get(0), heads.get(1));
      }

      @Override
      public Set<Capability> posteriorCapabilities() {
        return EnumSet.of(Capability.DENSITY, Capability.SAMPLE, Capability.RSAMPLE);
      }

      @Override
      public Optional<Block> network() {
        return Optional.of(encoderNet.block());
      }

      @Override
      public java.util.Map<String, Network> networks() {
        return java.util.Map.of("network", encoderNet);
      }
    };
    Likelihood decoder = new Likelihood() {
      @Override
      public Distribution conditional(NDArray latent) {
        return new BernoulliLogits(decoderNet.forward(latent));
      }

      @Override
      public Support support() {
        return new Support(0, 1, "[0, 1]");
      }

      @Override
      public Optional<Block> network() {
        return Optional.of(decoderNet.block());
      }

      @Override
      public java.util.Map<String, Network> networks() {
        return java.util.Map.of("network", decoderNet);
      }
    };
    return new LatentVariableModel(prior, encoder, decoder, d);
  }
}
