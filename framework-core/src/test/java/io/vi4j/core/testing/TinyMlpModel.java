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
    Mlp encoderNet = new Mlp(manager, d, encoderHidden, 2 * l, ActivationName.RELU);
    Mlp decoderNet = new Mlp(manager, l, decoderHidden, d, ActivationName.RELU);
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
    };
    return new LatentVariableModel(prior, encoder, decoder, d);
  }
}
