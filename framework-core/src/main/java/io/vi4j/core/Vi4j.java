package io.vi4j.core;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.plugin.DataSpec;
import io.vi4j.api.plugin.DensitySpec;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.api.plugin.LikelihoodSpec;
import io.vi4j.api.plugin.PriorSpec;
import io.vi4j.api.plugin.VariationalFamilySpec;
import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.CheckpointStore;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.EarlyStoppingSpec;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.core.config.KlWeightSpec;
import io.vi4j.core.config.LrScheduleSpec;
import io.vi4j.core.config.ValidationSpec;
import io.vi4j.core.data.Protocol;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.engine.DeviceChoice;
import io.vi4j.core.config.ModelSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.ModelAssembler;
import io.vi4j.core.run.TrainedDensity;
import io.vi4j.core.run.TrainedModel;
import io.vi4j.core.checkpoint.Checkpointing;
import io.vi4j.core.train.SviTrainer;
import io.vi4j.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The library entry point: build and train a model from Java, without a config file.
 *
 * <pre>{@code
 * try (TrainedModel vae = Vi4j.vae()
 *     .data(FashionMnistDataSpec.defaults())
 *     .latentDim(20)
 *     .prior(new StandardNormalPriorSpec())
 *     .encoder(new GaussianMlpEncoderSpec(List.of(400), ActivationName.RELU))
 *     .decoder(new BernoulliMlpDecoderSpec(List.of(400), ActivationName.RELU))
 *     .estimator(new ReparameterizationSpec(1))
 *     .epochs(10).batchSize(128).learningRate(1e-3)
 *     .train()) {
 *   System.out.println(vae.history().get(9).testNegElbo());
 * }
 * }</pre>
 *
 * <p>The builder fills the same specs a config file would, so a model built here and one trained from
 * YAML are the same model; {@link VaeBuilder#spec()} gives the config it amounts to.
 */
public final class Vi4j {
  private Vi4j() {}

  /** @return a builder of a VAE-like model (prior, encoder, decoder, estimator) and its training. */
  public static VaeBuilder vae() {
    return new VaeBuilder();
  }

  /**
   * @param density the density's settings, such as {@code MadeSpec.bernoulli(500)}
   * @return a builder of a density trained by maximum likelihood (MADE) and its training
   */
  public static DensityBuilder density(DensitySpec density) {
    return new DensityBuilder(density);
  }

  /** Fluent settings of one experiment with a VAE-like model; every setter returns this builder. */
  public static final class VaeBuilder extends TrainingBuilder<VaeBuilder> {
    private int latentDim = 2;
    private PriorSpec prior;
    private VariationalFamilySpec encoder;
    private LikelihoodSpec decoder;
    private EstimatorSpec estimator;
    private KlWeightSpec klWeight;
    private EvaluationSpec evaluation = new EvaluationSpec(0, null, null, null);

    private VaeBuilder() {}

    @Override
    protected VaeBuilder self() {
      return this;
    }

    public VaeBuilder latentDim(int value) {
      this.latentDim = value;
      return this;
    }

    public VaeBuilder prior(PriorSpec value) {
      this.prior = value;
      return this;
    }

    public VaeBuilder encoder(VariationalFamilySpec value) {
      this.encoder = value;
      return this;
    }

    public VaeBuilder decoder(LikelihoodSpec value) {
      this.decoder = value;
      return this;
    }

    public VaeBuilder estimator(EstimatorSpec value) {
      this.estimator = value;
      return this;
    }

    /**
     * The KL weight β and its warm-up ({@code training.kl_weight}): e.g.
     * {@code KlWeightSpec.warmup(0.0, 1.0, 5)} raises β linearly per step from 0 to 1 over 5 epochs,
     * {@code KlWeightSpec.constant(4.0)} is a β-VAE. Off (β = 1) by default; the estimator must support it.
     */
    public VaeBuilder klWeight(KlWeightSpec value) {
      this.klWeight = value;
      return this;
    }

    /** IWAE settings used by {@link TrainedModel#logLikelihood}; off by default. */
    public VaeBuilder iwae(int k, int items) {
      this.evaluation = new EvaluationSpec(k, items, null, null, null, evaluation.protocol());
      return this;
    }

    /**
     * The evaluation protocol the data are prepared for ({@code evaluation.protocol} in a config); by
     * default the one that fits the decoder and the data, as for {@code vi4j train}: continuous data in
     * [0, 1] are dequantized as 8-bit levels, so other continuous data need {@link Protocol#RAW}.
     */
    public VaeBuilder protocol(Protocol value) {
      this.evaluation = new EvaluationSpec(evaluation.iwaeK(), evaluation.iwaeItems(), null, null, null, value);
      return this;
    }

    /** @return the experiment config these settings amount to (validated). */
    public ExperimentSpec spec() {
      return new ExperimentSpec(
          name, seed, device, data, new ModelSpec(latentDim, prior, encoder, decoder), estimator,
          training(klWeight), evaluation);
    }

    /**
     * Loads the configured data source and trains on it, exactly as {@code vi4j train} trains the config
     * {@link #spec()} gives: the same seeds, protocol, checks and trainer, so the parameters are the same
     * bit for bit. Relative data paths resolve against the current directory.
     */
    public TrainedModel train() {
      Experiment experiment = new Experiment(spec(), registry(), Path.of("").toAbsolutePath());
      try {
        return train(experiment, experiment.loadData());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Trains on data already in memory (prepared for the model's protocol as a data source's would be). */
    public TrainedModel train(DataSplits splits) {
      return train(new Experiment(spec(), registry(), Path.of("").toAbsolutePath()), splits);
    }

    private TrainedModel train(Experiment experiment, DataSplits raw) {
      Experiment.Setup setup = experiment.setUp(raw);
      try {
        var history = experiment.fit(setup, listener(), checkpointing(experiment.spec()));
        return new TrainedModel(experiment.spec(), setup.model(), setup.data(), history, setup.evaluator());
      } catch (RuntimeException e) {
        setup.close();
        throw e;
      }
    }
  }

  /** Fluent settings of one experiment with a density trained by maximum likelihood (MADE). */
  public static final class DensityBuilder extends TrainingBuilder<DensityBuilder> {
    private final DensitySpec density;

    private DensityBuilder(DensitySpec density) {
      this.density = Objects.requireNonNull(density, "density");
    }

    @Override
    protected DensityBuilder self() {
      return this;
    }

    /** @return the experiment config these settings amount to (validated). */
    public ExperimentSpec spec() {
      return new ExperimentSpec(name, seed, device, data, null, null, training(null), EvaluationSpec.defaults(), null,
          null, null, density);
    }

    /**
     * Loads the configured data source and trains on it, as {@code vi4j train} trains the config
     * {@link #spec()} gives: the same seeds, protocol, checks and trainer. Relative data paths resolve
     * against the current directory.
     */
    public TrainedDensity train() {
      Experiment experiment = new Experiment(spec(), registry(), Path.of("").toAbsolutePath());
      try {
        return train(experiment, experiment.loadData());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Trains on data already in memory. */
    public TrainedDensity train(DataSplits splits) {
      return train(new Experiment(spec(), registry(), Path.of("").toAbsolutePath()), splits);
    }

    private TrainedDensity train(Experiment experiment, DataSplits raw) {
      Experiment.DensitySetup setup = experiment.setUpDensity(raw);
      try {
        var history = experiment.fitDensity(setup, listener(), checkpointing(experiment.spec()));
        return new TrainedDensity(experiment.spec(), setup, history);
      } catch (RuntimeException e) {
        setup.close();
        throw e;
      }
    }
  }
}
