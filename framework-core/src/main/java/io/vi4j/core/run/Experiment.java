package io.vi4j.core.run;

import ai.djl.Device;
import io.vi4j.api.data.DataSource;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.data.Protocol;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.train.EpochMetrics;
import io.vi4j.core.train.SviTrainer;
import io.vi4j.core.train.TrainingCheckpoints;
import io.vi4j.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One experiment: its config, its seeds, and the steps every way of training it shares — loading the
 * data, building the model, preparing the data for the model's protocol and checking them, and training.
 * {@code vi4j train} (through {@link #run}) and the library's builder ({@code Vi4j.vae()}) both go through
 * {@link #setUp} and {@link #fit}, so the same config trains the same parameters either way. One master
 * seed is split into independent streams for initialization, minibatch order, latent noise and the
 * protocol's dequantization.
 */
public final class Experiment {
  /** Items in each picture grid. */
  public static final int PICTURE_ITEMS = 50;

  /** Gradient draws made and discarded before measuring a variance (running baselines settle). */
  public static final int WARM_UP_DRAWS = 20;

  /** The config; a table's inferred columns are written into its data section when the data are loaded. */
  private ExperimentSpec spec;
  private final PluginRegistry registry;
  private final Path baseDirectory;
  private final long initSeed;
  private final long shuffleSeed;
  private final long noiseSeed;
  private final long protocolSeed;
  /** Whether the data source last loaded keeps each training item at its index (see {@link #loadData}). */
  private boolean stableItemIndex = true;

  /**
   * @param spec the resolved config
   * @param registry the plugins
   * @param baseDirectory what relative data paths resolve against (the config file's directory)
   */
  public Experiment(ExperimentSpec spec, PluginRegistry registry, Path baseDirectory) {
    this.spec = spec;
    this.registry = registry;
    this.baseDirectory = baseDirectory;
    SplittableRandom master = new SplittableRandom(spec.seed());
    this.initSeed = master.nextLong();
    this.shuffleSeed = master.nextLong();
    this.noiseSeed = master.nextLong();
    this.protocolSeed = master.nextLong();
  }

  /** @return the config. */
  public ExperimentSpec spec() {
    return spec;
  }

  /** @return the seed a baseline's fit uses (derived from the master seed), so a refit repeats it. */
  public long fitSeed() {
    return initSeed;
  }

  /** @return the seed of the noise drawn after training (pictures, final evaluation). */
  long noiseSeed() {
    return noiseSeed;
  }

  /** @return the plugins it builds from. */
  public PluginRegistry registry() {
    return registry;
  }

  /** @return what relative data paths resolve against. */
  public Path baseDirectory() {
    return baseDirectory;
  }

  /** Loads the data the config names (a data source never gives an empty split). */
  public DataSplits loadData() throws IOException {
    DataSource source = registry.create(
        ComponentKind.DATA, spec.data(), new BuildContext(0, 0, null, baseDirectory));
    DataSplits data = source.load();
    stableItemIndex = source.stableItemIndex();
    if (spec.data() instanceof io.vi4j.core.data.TableDataSpec table && data.train().table() != null) {
      spec = spec.withData(table.resolved(data.train().table())); // the run's config.yaml stores the schema
    }
    if (spec.excludeTrainLabels().isEmpty()) {
      return data;
    }
    return new DataSplits(io.vi4j.core.data.LabelFilter.withoutLabels(data.train(), spec.excludeTrainLabels()),
        data.test(), data.binarization());
  }

  /**
   * Builds the model for the training split {@code train} (its items' shape, {@code [D]} or
   * {@code [C, H, W]}, and its size, which a family with parameters per item needs) on the configured device.
   *
   * @throws IllegalArgumentException when the family has parameters per item but the data source does not
   *     keep its items' order from one load to the next
   */
  public AssembledModel buildModel(Dataset train) {
    Device device = Engines.device(spec.device());
    AssembledModel model = new ModelAssembler(registry, baseDirectory).model(spec.model(), train.itemShape(), device,
        initSeed, train.rows(), train.table(), handlesMissingCells(train));
    if (model.model().encoder() instanceof io.vi4j.api.model.PerItemFamily && !stableItemIndex) {
      model.close();
      throw new IllegalArgumentException("model.encoder ('" + registry.nameOf(spec.model().encoder()) + "') keeps"
          + " parameters per training item, but data ('" + registry.nameOf(spec.data()) + "') does not keep its"
          + " items at the same index from one load to the next, so a resumed or evaluated run would pair rows"
          + " with other items; use an encoder (gaussian-mlp) or a data source with a fixed order");
    }
    return model;
  }

  /**
   * Whether a model trained on {@code train} is built for missing cells ({@link io.vi4j.core.model.MissingCells}):
   * when the data are a table (whose later rows may lack cells) or hold a missing cell.
   */
  public static boolean handlesMissingCells(Dataset train) {
    return train.table() != null || train.hasMissing();
  }

  /**
   * Builds the config's {@code density} (a model trained by maximum likelihood) for the training split
   * {@code train} on the configured device, its parameters initialized from the experiment's seed.
   */
  public io.vi4j.core.model.AssembledDensity buildDensity(Dataset train) {
    return new ModelAssembler(registry, baseDirectory)
        .density(spec.density(), train.itemShape(), Engines.device(spec.device()), initSeed, train.rows());
  }

  /** A density with the data prepared for its protocol. Closing it frees the density. */
  public record DensitySetup(io.vi4j.core.model.AssembledDensity density, PreparedData prepared)
      implements AutoCloseable {
    /** @return the splits as the density trains and is evaluated on them. */
    public DataSplits data() {
      return prepared.splits();
    }

    @Override
    public void close() {
      density.close();
    }
  }

  /**
   * Builds the density and prepares {@code raw} for it, checking before anything is trained or written:
   * a mass on {0, 1} vectors gets binarized data, both splits' values lie in its support, and the schedules
   * fit (a density has no KL term to weight), and {@code training.shards} asks for slices only where the
   * density's steps can be split.
   *
   * @throws IllegalArgumentException naming the data or the setting at fault
   */
  public DensitySetup setUpDensity(DataSplits raw) {
    io.vi4j.core.model.AssembledDensity built = buildDensity(raw.train());
    try {
      io.vi4j.api.model.TrainableDensity density = built.density();
      String name = "density ('" + registry.nameOf(spec.density()) + "')";
      PreparedData prepared = prepare(raw, density.dataKind());
      if (density.dataKind() == DataKind.BINARY && prepared.protocol() != io.vi4j.core.data.Protocol.BINARIZED) {
        throw new IllegalArgumentException(name + " is a mass on {0, 1} values, but data ('"
            + registry.nameOf(spec.data()) + "') " + (raw.binarization() == DataSplits.Binarization.NONE
                ? "holds grey levels: set data.binarize to static or dynamic, or choose a likelihood for"
                    + " continuous values"
                : "is evaluated under protocol " + prepared.protocol().configName() + ": leave"
                    + " evaluation.protocol at auto or binarized"));
      }
      DataSplits data = prepared.splits();
      RunChecks.checkSupport(data.train(), density.support(), name);
      RunChecks.checkSupport(data.test(), density.support(), name);
      if (spec.training().validation() != null) {
        spec.training().validation().heldOut(data.train().rows());
      }
      if (!io.vi4j.core.train.schedule.KlWeightSchedule.of(spec.training().klWeight(), 1).isConstantOne()) {
        throw new IllegalArgumentException("training.kl_weight: " + name + " has no KL term to weight; remove"
            + " the kl_weight section");
      }
      io.vi4j.core.train.SviTrainer.checkShards(spec.training(), built);
      return new DensitySetup(built, prepared);
    } catch (RuntimeException e) {
      built.close();
      throw e;
    }
  }

  /**
   * Trains the set-up density for the configured epochs (or what remains of them after a checkpoint), by
   * maximum likelihood with the same trainer as a latent-variable model.
   *
   * @return the figures of every epoch (the test "−ELBO" is the exact −log p(x), the KL 0)
   */
  public List<EpochMetrics> fitDensity(DensitySetup setup, TrainingListener listener, TrainingCheckpoints checkpoints) {
    return new SviTrainer(spec.training(), shuffleSeed).fit(
        new io.vi4j.core.train.DensityObjective(setup.density(), new Evaluator(spec.evaluation())), setup.data(),
        listener, checkpoints);
  }

  /** The protocol and the splits prepared for it. */
  public record PreparedData(Protocol protocol, DataSplits splits) {}

  /**
   * Chooses the evaluation protocol (the config's, or the one that fits a model of {@code kind}) and
   * prepares the data for it (dequantization is seeded by the experiment's seed, so every model of one
   * comparison sees the same noise).
   */
  public PreparedData prepare(DataSplits raw, DataKind kind) {
    Protocol protocol = spec.evaluation().protocol() != null
        ? spec.evaluation().protocol()
        : Protocol.choose(kind, raw);
    return new PreparedData(protocol, protocol.prepare(raw, protocolSeed));
  }

  /**
   * Everything training needs, built and checked: the model (its parameters initialized), the data
   * prepared for its protocol, the estimator and the evaluator. Closing it frees the model.
   */
  public record Setup(AssembledModel model, PreparedData prepared, GradientEstimator estimator, Evaluator evaluator)
      implements AutoCloseable {
    /** @return the splits as the model trains and is evaluated on them. */
    public DataSplits data() {
      return prepared.splits();
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * Builds the model and the estimator for {@code raw} and checks, before anything is trained or
   * written: both splits' values against the likelihood's support, the estimator against the model's
   * capabilities, the schedules against the data and the estimator (a validation split that leaves items
   * on both sides, a KL weight the estimator applies), and one step's memory against the machine.
   *
   * @throws IllegalArgumentException naming the data or the setting at fault
   */
  public Setup setUp(DataSplits raw) {
    AssembledModel model = buildModel(raw.train());
    try {
      PreparedData prepared = prepare(raw, model.model().decoder().dataKind());
      DataSplits data = prepared.splits();
      String decoderName = registry.nameOf(spec.model().decoder());
      RunChecks.checkSupport(data.train(), model.model().decoder(), decoderName);
      RunChecks.checkSupport(data.test(), model.model().decoder(), decoderName);
      GradientEstimator estimator =
          new ModelAssembler(registry, baseDirectory).estimator(spec.estimator(), spec.model(), model);
      RunChecks.checkSchedules(spec, estimator, registry.nameOf(spec.estimator()), data.train().rows());
      io.vi4j.core.train.SviTrainer.checkShards(spec.training(), model, estimator);
      RunChecks.checkStepMemory(spec, estimator, data.train().rows(), data.train().columns(),
          model.model().latentDimension());
      RunChecks.checkEvaluationMemory(spec, data.test().columns(), model.model().latentDimension());
      return new Setup(model, prepared, estimator, new Evaluator(spec.evaluation()));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Trains the set-up model for the configured epochs (or what remains of them after a checkpoint).
   *
   * @return the figures of every epoch
   */
  public List<EpochMetrics> fit(Setup setup, TrainingListener listener, TrainingCheckpoints checkpoints) {
    return new SviTrainer(spec.training(), setup.estimator(), setup.evaluator(), shuffleSeed)
        .fit(setup.model(), setup.data(), listener, checkpoints);
  }

  /**
   * Trains and evaluates (or fits a baseline), writing everything to {@code run}.
   *
   * @param run a new run directory
   * @param loader writes the resolved config
   * @param listener hears progress (a progress bar)
   * @return the summary also written to {@code summary.json}
   */
  public RunSummary run(RunDirectory run, ConfigLoader loader, TrainingListener listener) throws IOException {
    if (spec.baseline() != null) {
      return new BaselineRun(this, registry, baseDirectory, initSeed).run(run, loader);
    }
    if (spec.density() != null) {
      return new DensityRun(this).train(run, loader, listener, false, note -> {});
    }
    return new TrainingRun(this).train(run, loader, listener, false, note -> {});
  }

  /**
   * Continues a killed training run from its newest usable checkpoint (or from the start when it has
   * none), then evaluates and writes everything as {@link #run} does. With the same device and thread
   * settings the trained parameters are identical to those of a run that was never interrupted.
   *
   * @param run the killed run's directory, claimed with {@link RunDirectory#resume}
   * @param loader renders the config, to check the checkpoint was written for it
   * @param listener hears progress
   * @param notes hears which checkpoint is used and why newer ones were refused
   * @return the summary also written to {@code summary.json}
   */
  public RunSummary resume(
      RunDirectory run, ConfigLoader loader, TrainingListener listener, Consumer<String> notes) throws IOException {
    if (spec.baseline() != null) {
      throw new IllegalArgumentException(run.root() + " holds a baseline ('" + registry.nameOf(spec.baseline())
          + "'), which is fitted in one go and has no checkpoints; train it again with --force");
    }
    if (spec.density() != null) {
      return new DensityRun(this).train(run, loader, listener, true, notes);
    }
    return new TrainingRun(this).train(run, loader, listener, true, notes);
  }

  /**
   * @return the outside plugin jars this experiment's config uses (by file name and SHA-256), which a run
   *     records so that commands reading it later can tell a missing or different jar
   */
  public List<RunRecord.PluginFile> pluginFiles() {
    return registry.jarsUsedBy(spec).stream()
        .map(jar -> new RunRecord.PluginFile(jar.fileName(), jar.sha256()))
        .toList();
  }

  /** Evaluates a trained model again (for {@code vi4j evaluate}): the test −ELBO and IWAE log p(x). */
  public RunSummary evaluate(AssembledModel model, DataSplits raw) {
    RunChecks.checkEvaluationMemory(spec, raw.test().columns(), model.model().latentDimension());
    PreparedData prepared = prepare(raw, model.model().decoder().dataKind());
    Engines.seed(noiseSeed);
    return RunFigures.evaluation(spec, model, prepared);
  }

  /**
   * Evaluates a model whose {@code log p(x)} is exact (a baseline or a trained density) on {@code test}:
   * the mean over every item with its standard error, and bits per dimension (for {@code vi4j evaluate}).
   *
   * @param manager the model's manager; chunks run in its children
   */
  public static RunSummary exactEvaluation(io.vi4j.api.density.DensityModel model, Dataset test, Protocol protocol,
      io.vi4j.core.config.EvaluationSpec evaluation, ai.djl.ndarray.NDManager manager) {
    RunSummary.Builder summary = RunSummary.builder().protocol(protocol.configName());
    RunFigures.exact(summary, model, test, protocol, new Evaluator(evaluation), manager);
    return summary.build();
  }

  /** Writes {@code samples.png} and {@code reconstructions.png} when items are images. */
  public static void writePictures(AssembledModel model, Dataset test, RunDirectory run) throws IOException {
    if (!test.isImage()) {
      return;
    }
    Pictures.priorSamples(model, PICTURE_ITEMS, test.itemShape(), run.file("samples.png"));
    Pictures.reconstructions(model, test, PICTURE_ITEMS, run.file("reconstructions.png"));
  }
}
