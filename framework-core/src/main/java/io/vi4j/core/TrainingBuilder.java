package io.vi4j.core;

import io.vi4j.api.plugin.DataSpec;
import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.CheckpointStore;
import io.vi4j.core.checkpoint.Checkpointing;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.EarlyStoppingSpec;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.config.KlWeightSpec;
import io.vi4j.core.config.LrScheduleSpec;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.config.ValidationSpec;
import io.vi4j.core.engine.DeviceChoice;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings every model trained by the trainer shares — data, seed, device, Adam, schedules, stopping,
 * checkpoints, plugins and a listener — for the builders of {@link Vi4j}. Every setter returns the builder.
 *
 * @param <B> the concrete builder
 */
public abstract class TrainingBuilder<B extends TrainingBuilder<B>> {
  /** The run's name (a config's {@code name}). */
  protected String name = "library";
  /** The master seed. */
  protected long seed;
  /** Where arrays live. */
  protected DeviceChoice device = DeviceChoice.AUTO;
  /** The data source, or null for the built-in sprites. */
  protected DataSpec data;
  private Integer epochs;
  private Integer batchSize;
  private Double learningRate;
  private LrScheduleSpec lrSchedule;
  private ValidationSpec validation;
  private EarlyStoppingSpec earlyStopping;
  private int shards;
  private PluginRegistry registry;
  private TrainingListener listener = new TrainingListener() {};
  private Path checkpointDirectory;
  private int checkpointEvery;
  private int checkpointKeep = 3;

  TrainingBuilder() {}

  /** @return this builder, as its own type. */
  protected abstract B self();

  /** The run's name. */
  public B name(String value) {
    this.name = value;
    return self();
  }

  /** The master seed, from which every random stream is derived. */
  public B seed(long value) {
    this.seed = value;
    return self();
  }

  /** Where arrays live: {@code AUTO} (a GPU when the engine sees one), {@code CPU} or {@code GPU}. */
  public B device(DeviceChoice value) {
    this.device = value;
    return self();
  }

  /** The data source; the built-in sprites when not set (or train on splits in memory). */
  public B data(DataSpec value) {
    this.data = value;
    return self();
  }

  /** Training epochs. */
  public B epochs(int value) {
    this.epochs = value;
    return self();
  }

  /** Minibatch size. */
  public B batchSize(int value) {
    this.batchSize = value;
    return self();
  }

  /** Adam's learning rate. */
  public B learningRate(double value) {
    this.learningRate = value;
    return self();
  }

  /**
   * The learning-rate schedule ({@code training.lr_schedule}): {@code new LrScheduleSpec.Step(10, 0.5)},
   * {@code new LrScheduleSpec.Cosine(1e-5)} or {@code new LrScheduleSpec.ReduceOnPlateau(0.5, 3, null,
   * null, null)}. Constant by default.
   */
  public B learningRateSchedule(LrScheduleSpec value) {
    this.lrSchedule = value;
    return self();
  }

  /**
   * A validation split carved from the training data ({@code training.validation}):
   * {@code ValidationSpec.fraction(0.1, 7)} or {@code ValidationSpec.items(1000, 7)}. None by default.
   */
  public B validation(ValidationSpec value) {
    this.validation = value;
    return self();
  }

  /**
   * Early stopping on the validation −ELBO ({@code training.early_stopping}; needs {@link #validation}):
   * {@code new EarlyStoppingSpec(5, 0.0, true)}. Off by default.
   */
  public B earlyStopping(EarlyStoppingSpec value) {
    this.earlyStopping = value;
    return self();
  }

  /**
   * How many slices of rows a training step is cut into, computed side by side on the CPU's cores, one
   * engine thread each ({@code training.shards}; docs/performance.md): 1 keeps every step whole (the
   * same figures on every machine), 0 (the default) chooses by the cores and the batch.
   */
  public B shards(int value) {
    this.shards = value;
    return self();
  }

  /** The plugins to build from; by default every plugin on the class path. */
  public B plugins(PluginRegistry value) {
    this.registry = value;
    return self();
  }

  /** Hears training progress. */
  public B listener(TrainingListener value) {
    this.listener = Objects.requireNonNull(value);
    return self();
  }

  /**
   * Checkpoints training into {@code directory} every {@code everySteps} steps (0: epoch ends only) and
   * at each epoch end, keeping the newest {@code keep}; when the directory already holds a usable
   * checkpoint of these same settings, training continues from it (exactly where the interrupted
   * training was, see docs/checkpoints.md). Off by default.
   */
  public B checkpoints(Path directory, int everySteps, int keep) {
    this.checkpointDirectory = Objects.requireNonNull(directory);
    this.checkpointEvery = everySteps;
    this.checkpointKeep = keep;
    return self();
  }

  /** @return the training section these settings amount to, with {@code klWeight} (null: none). */
  protected TrainingSpec training(KlWeightSpec klWeight) {
    return new TrainingSpec(epochs, batchSize, learningRate, null, null, null, null)
        .withSchedules(klWeight, lrSchedule, validation, earlyStopping).withShards(shards);
  }

  /** @return the listener set, or one that hears nothing. */
  protected TrainingListener listener() {
    return listener;
  }

  /** @return the checkpoints of these settings for {@code spec}, resuming from the newest usable one. */
  protected Checkpointing checkpointing(ExperimentSpec spec) {
    if (checkpointDirectory == null) {
      return Checkpointing.none();
    }
    CheckpointStore store = new CheckpointStore(checkpointDirectory, checkpointKeep);
    String digest = CheckpointStore.sha256(
        new ConfigLoader(registry()).toYaml(spec).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try {
      Checkpoint from = store.latest().map(CheckpointStore.Loaded::checkpoint).orElse(null);
      return new Checkpointing(store, checkpointEvery, digest, from);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** @return the plugins set, or every plugin on the class path. */
  protected PluginRegistry registry() {
    if (registry == null) {
      Engines.pytorch();
      registry = PluginRegistry.load();
    }
    return registry;
  }
}
