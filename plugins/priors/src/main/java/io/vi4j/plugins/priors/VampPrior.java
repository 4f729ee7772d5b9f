package io.vi4j.plugins.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.nn.Group;
import io.vi4j.api.model.EncoderAware;
import io.vi4j.api.model.PerItemFamily;
import io.vi4j.api.model.Prior;
import io.vi4j.api.model.VariationalFamily;
import java.util.Optional;

/**
 * The VampPrior of Tomczak &amp; Welling (2018), "VAE with a VampPrior":
 * {@code p(t) = (1/K) Σ_k q(t | u_k)}, a mixture of the encoder's own posteriors at {@code K} learned
 * pseudo-inputs {@code u_k}, each the size of a data item. The pseudo-inputs start as small noise,
 * {@code N(0.05, 0.01²)} per value from the engine's seeded stream (the paper's initialization is of this
 * kind; they are not copies of training items, which a prior never sees); they are unconstrained. They are
 * this prior's parameters (trained, checkpointed, restored on resume); the encoder's parameters stay the
 * encoder's. The encoder is handed over at assembly ({@link EncoderAware}).
 */
public final class VampPrior implements Prior, EncoderAware {
  /** Mean of the pseudo-inputs' initial values. */
  static final float INITIAL_MEAN = 0.05f;
  /** Standard deviation of the pseudo-inputs' initial values. */
  static final float INITIAL_STD = 0.01f;

  private final int latentDimension;
  private final Group parts = new Group();
  private final Parameter pseudoInputs;
  private VariationalFamily encoder;

  /**
   * @param manager the model's manager, where the pseudo-inputs live
   * @param count {@code K}
   * @param dataDimension {@code D}: the pseudo-inputs have shape {@code (K, D)}
   * @param latentDimension {@code L}
   */
  public VampPrior(NDManager manager, int count, int dataDimension, int latentDimension) {
    if (count < 1) {
      throw new IllegalArgumentException("pseudo_inputs must be at least 1, got " + count);
    }
    this.latentDimension = latentDimension;
    NDArray initial = manager.randomNormal(INITIAL_MEAN, INITIAL_STD, new Shape(count, dataDimension),
        ai.djl.ndarray.types.DataType.FLOAT32);
    initial.setRequiresGradient(true);
    this.pseudoInputs = parts.add(Parameter.builder()
        .setName("pseudo_inputs")
        .setType(Parameter.Type.OTHER)
        .optShape(initial.getShape())
        .optArray(initial)
        .build());
  }

  @Override
  public void bindEncoder(VariationalFamily family) {
    if (family instanceof PerItemFamily) {
      throw new IllegalArgumentException("the VampPrior mixes the encoder's posteriors of its pseudo-inputs, but"
          + " this family has no encoder (a posterior per training item); use an amortized encoder");
    }
    if (!family.posteriorCapabilities().contains(Capability.DENSITY)) {
      throw new IllegalArgumentException("the VampPrior needs posteriors with a density (DENSITY), but this"
          + " family provides only " + family.posteriorCapabilities());
    }
    this.encoder = family;
  }

  /** @return {@code K} */
  public int count() {
    return (int) pseudoInputs.getArray().getShape().get(0);
  }

  @Override
  public int latentDimension() {
    return latentDimension;
  }

  /** The encoder's posteriors of the pseudo-inputs, computed on {@code manager}, mixed with equal weights. */
  @Override
  public Distribution distribution(NDManager manager, long batchSize) {
    if (encoder == null) {
      throw new IllegalStateException("the VampPrior was not given the model's encoder (EncoderAware.bindEncoder);"
          + " vi4j's model assembler does it");
    }
    // First operand from the caller's manager, so that the encoder's results land there, not on the model's.
    NDArray inputs = manager.zeros(new Shape(1)).add(pseudoInputs.getArray());
    return new PseudoInputMixture(manager, batchSize, encoder.posterior(inputs), count());
  }

  @Override
  public Optional<Block> network() {
    return Optional.of(parts);
  }
}
