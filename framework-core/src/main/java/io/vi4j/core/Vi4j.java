package io.vi4j.core;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.plugin.DataSpec;
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

  /** Fluent settings of one experiment; every setter returns this builder. */
  public static final class VaeBuilder {
    private String name = "library";
    private long seed;
    private DeviceChoice device = DeviceChoice.AUTO;
    private DataSpec data;
    private int latentDim = 2;
    private PriorSpec prior;
    private VariationalFamilySpec encoder;
    private LikelihoodSpec decoder;
    private EstimatorSpec estimator;
    private Integer epochs;
    private Integer batchSize;
    private Double learningRate;
    private KlWeightSpec klWeight;
    private LrScheduleSpec lrSchedule;
    private ValidationSpec validation;
    private EarlyStoppingSpec earlyStopping;
    private EvaluationSpec evaluation = new EvaluationSpec(0, null, null, null);
    private PluginRegistry registry;
    private TrainingListener listener = new TrainingListener() {};
    private Path checkpointDirectory;
    private int checkpointEvery;
    private int checkpointKeep = 3;

    private VaeBuilder() {}

    public VaeBuilder name(String value) {
      this.name = value;
      return this;
    }

    public VaeBuilder seed(long value) {
      this.seed = value;
      return this;
    }

    public VaeBuilder device(DeviceChoice value) {
      this.device = value;
      return this;
    }

    /** The data source; the built-in sprites when not set (or use {@link #train(DataSplits)}). */
    public VaeBuilder data(DataSpec value) {
      this.data = value;
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

    public VaeBuilder epochs(int value) {
      this.epochs = value;
      return this;
    }

    public VaeBuilder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    public VaeBuilder learningRate(double value) {
      this.learningRate = value;
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

    /**
     * The learning-rate schedule ({@code training.lr_schedule}): {@code new LrScheduleSpec.Step(10, 0.5)},
     * {@code new LrScheduleSpec.Cosine(1e-5)} or {@code new LrScheduleSpec.ReduceOnPlateau(0.5, 3, null,
     * null, null)}. Constant by default.
     */
    public VaeBuilder learningRateSchedule(LrScheduleSpec value) {
      this.lrSchedule = value;
      return this;
    }

    /**
     * A validation split carved from the training data ({@code training.validation}):
     * {@code ValidationSpec.fraction(0.1, 7)} or {@code ValidationSpec.items(1000, 7)}. None by default.
     */
    public VaeBuilder validation(ValidationSpec value) {
      this.validation = value;
      return this;
    }

    /**
     * Early stopping on the validation −ELBO ({@code training.early_stopping}; needs {@link #validation}):
     * {@code new EarlyStoppingSpec(5, 0.0, true)}. Off by default.
     */
    public VaeBuilder earlyStopping(EarlyStoppingSpec value) {
      this.earlyStopping = value;
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

    /** The plugins to build from; by default every plugin on the class path. */
    public VaeBuilder plugins(PluginRegistry value) {
      this.registry = value;
      return this;
    }

    /** Hears training progress. */
    public VaeBuilder listener(TrainingListener value) {
      this.listener = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Checkpoints training into {@code directory} every {@code everySteps} steps (0: epoch ends only) and
     * at each epoch end, keeping the newest {@code keep}; when the directory already holds a usable
     * checkpoint of these same settings, {@link #train} continues from it (exactly where the interrupted
     * training was, see docs/checkpoints.md). Off by default.
     */
    public VaeBuilder checkpoints(Path directory, int everySteps, int keep) {
      this.checkpointDirectory = Objects.requireNonNull(directory);
      this.checkpointEvery = everySteps;
      this.checkpointKeep = keep;
      return this;
    }

    /** @return the experiment config these settings amount to (validated). */
    public ExperimentSpec spec() {
      return new ExperimentSpec(
          name, seed, device, data, new ModelSpec(latentDim, prior, encoder, decoder), estimator,
          new TrainingSpec(epochs, batchSize, learningRate, null, null, null, null)
              .withSchedules(klWeight, lrSchedule, validation, earlyStopping), evaluation);
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
        var history = experiment.fit(setup, listener, checkpointing(experiment.spec(), experiment.registry()));
        return new TrainedModel(experiment.spec(), setup.model(), setup.data(), history, setup.evaluator());
      } catch (RuntimeException e) {
        setup.close();
        throw e;
      }
    }

    private Checkpointing checkpointing(ExperimentSpec spec, PluginRegistry plugins) {
      if (checkpointDirectory == null) {
        return Checkpointing.none();
      }
      CheckpointStore store = new CheckpointStore(checkpointDirectory, checkpointKeep);
      String digest = CheckpointStore.sha256(
          new ConfigLoader(plugins).toYaml(spec).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        Checkpoint from = store.latest().map(CheckpointStore.Loaded::checkpoint).orElse(null);
        return new Checkpointing(store, checkpointEvery, digest, from);
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }

    private PluginRegistry registry() {
      if (registry == null) {
        Engines.pytorch();
        registry = PluginRegistry.load();
      }
      return registry;
    }
  }
}
