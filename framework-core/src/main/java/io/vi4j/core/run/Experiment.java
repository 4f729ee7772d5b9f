package io.vi4j.core.run;

import ai.djl.Device;
import io.vi4j.api.data.DataSource;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.Support;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.diagnostics.GradientVariance;
import io.vi4j.core.diagnostics.GradientVarianceReport;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.eval.Protocol;
import io.vi4j.api.density.DataKind;
import io.vi4j.api.distribution.Capability;
import io.vi4j.core.eval.LogLikelihoodReport;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.train.EpochMetrics;
import io.vi4j.core.train.SviTrainer;
import io.vi4j.core.train.TrainingDivergedException;
import io.vi4j.core.train.TrainingListener;
import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.CheckpointStore;
import io.vi4j.core.checkpoint.TrainerState;
import io.vi4j.core.config.CheckpointSpec;
import io.vi4j.core.train.Checkpointing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one experiment end to end: loads the data, assembles the model and estimator through the
 * plugins, trains, evaluates, and writes the run directory. One master seed is split into independent
 * streams for initialization, minibatch order and latent noise.
 */
public final class Experiment {
  /** Items in each picture grid. */
  public static final int PICTURE_ITEMS = 50;

  /** Gradient draws made and discarded before measuring a variance (running baselines settle). */
  public static final int WARM_UP_DRAWS = 20;

  private final ExperimentSpec spec;
  private final PluginRegistry registry;
  private final Path baseDirectory;
  private final long initSeed;
  private final long shuffleSeed;
  private final long noiseSeed;
  private final long protocolSeed;

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

  /** @return the plugins it builds from. */
  public PluginRegistry registry() {
    return registry;
  }

  /** Loads the data the config names. */
  public DataSplits loadData() throws IOException {
    DataSource source = registry.create(
        ComponentKind.DATA, spec.data(), new BuildContext(0, 0, null, baseDirectory));
    DataSplits data = source.load();
    if (spec.excludeTrainLabels().isEmpty()) {
      return data; // a data source never gives an empty split (DataSplits refuses one)
    }
    return new DataSplits(io.vi4j.core.data.LabelFilter.withoutLabels(data.train(), spec.excludeTrainLabels()),
        data.test(), data.binarization());
  }

  /** Builds the model for data of dimension {@code dataDimension} on the configured device. */
  public AssembledModel buildModel(int dataDimension) {
    Device device = Engines.device(spec.device());
    return new ModelAssembler(registry, baseDirectory).model(spec.model(), dataDimension, device, initSeed);
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
        : Protocol.choose(kind, raw.binarization());
    return new PreparedData(protocol, protocol.prepare(raw, protocolSeed));
  }

  /**
   * Trains and evaluates, writing everything to {@code run}.
   *
   * @param run a new run directory
   * @param loader writes the resolved config
   * @param listener hears progress (a progress bar)
   * @return the summary also written to {@code summary.json}
   */
  public Map<String, Object> run(RunDirectory run, ConfigLoader loader, TrainingListener listener)
      throws IOException {
    if (spec.baseline() != null) {
      return new BaselineRun(this, registry, baseDirectory, initSeed).run(run, loader);
    }
    return train(run, loader, listener, false, note -> {});
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
  public Map<String, Object> resume(
      RunDirectory run, ConfigLoader loader, TrainingListener listener, Consumer<String> notes) throws IOException {
    if (spec.baseline() != null) {
      throw new IllegalArgumentException(run.root() + " holds a baseline ('" + registry.nameOf(spec.baseline())
          + "'), which is fitted in one go and has no checkpoints; train it again with --force");
    }
    return train(run, loader, listener, true, notes);
  }

  private Map<String, Object> train(
      RunDirectory run, ConfigLoader loader, TrainingListener listener, boolean resume, Consumer<String> notes)
      throws IOException {
    long start = System.nanoTime();
    DataSplits raw = loadData();
    DataFingerprint fingerprint = DataFingerprint.of(raw);
    if (resume) {
      checkSameData(run, fingerprint);
    }
    try (AssembledModel model = buildModel(raw.train().columns())) {
      PreparedData prepared = prepare(raw, model.model().decoder().dataKind());
      DataSplits data = prepared.splits();
      Support support = model.model().decoder().support();
      String decoderName = registry.nameOf(spec.model().decoder());
      checkSupport(data.train(), support, decoderName);
      checkSupport(data.test(), support, decoderName);
      GradientEstimator estimator =
          new ModelAssembler(registry, baseDirectory).estimator(spec.estimator(), spec.model(), model);
      checkStepMemory(estimator, data.train().rows(), data.train().columns(), model.model().latentDimension());
      checkEvaluationMemory(data.test().columns(), model.model().latentDimension());
      Evaluator evaluator = new Evaluator(spec.evaluation());
      String yaml = loader.toYaml(spec);
      CheckpointSpec checkpoints = spec.training().checkpoint();
      CheckpointStore store = new CheckpointStore(run.file(RunDirectory.CHECKPOINTS), checkpoints.keep());
      Checkpoint from = resume ? latestCheckpoint(store, run, notes) : null;
      // Everything that can fail on bad input has been checked: from here on the run directory fills.
      if (resume) {
        run.beginResumed(baseDirectory, fingerprint);
      } else {
        run.begin(baseDirectory, fingerprint);
        run.writeText(RunDirectory.CONFIG, yaml);
      }
      Checkpointing checkpointing = new Checkpointing(
          store, checkpoints.everySteps(), CheckpointStore.sha256(yaml.getBytes(StandardCharsets.UTF_8)), from);
      SviTrainer trainer = new SviTrainer(spec.training(), estimator, evaluator, shuffleSeed);
      List<EpochMetrics> history;
      try {
        history = trainer.fit(model, data, listener.and(metricsWriter(run)), checkpointing);
      } catch (TrainingDivergedException e) {
        model.save(run.file(RunDirectory.PARAMETERS)); // the last good parameters, for a look or a restart
        run.diverged(e.getMessage().replaceFirst("^training diverged at ", "").replaceFirst(";.*", ""));
        List<Path> kept = store.list();
        throw new TrainingDivergedException(e.getMessage() + "; they are saved in "
            + run.file(RunDirectory.PARAMETERS)
            + (kept.isEmpty() ? "" : ", and the last checkpoint before it is " + kept.get(kept.size() - 1)),
            e.epoch(), e.step());
      }
      model.save(run.file(RunDirectory.PARAMETERS));
      Engines.seed(noiseSeed); // what follows draws the same noise after a resume as without one
      writePictures(model, data.test(), run);
      Map<String, Object> summary = summarize(model, data, history, evaluator, start, prepared.protocol());
      int draws = spec.evaluation().gradientVarianceDraws();
      if (draws > 0) {
        GradientVarianceReport spread = GradientVariance.measure(
            model, estimator, data.train(), spec.training().batchSize(), draws, WARM_UP_DRAWS);
        summary.put("grad_variance_total", spread.totalVariance());
        summary.put("grad_snr", spread.signalToNoise());
        summary.put("grad_mean_coordinate_snr", spread.meanCoordinateSnr());
        summary.put("grad_variance_draws", spread.draws());
      }
      run.writeJson(RunDirectory.SUMMARY, summary);
      run.finish();
      return summary;
    }
  }

  /**
   * Fails when the data a run's config leads to now are not those it was trained on (a file replaced, a
   * relative path resolved elsewhere); runs from before fingerprints were recorded are not checked.
   */
  public static void checkSameData(RunDirectory run, DataFingerprint now) throws IOException {
    if (run.record().isEmpty() || run.record().get().data() == null) {
      return;
    }
    String difference = run.record().get().data().difference(now);
    if (difference != null) {
      throw new IOException(run.root() + ": the data its config.yaml names are not the data it was trained on: "
          + difference + " (relative data paths resolve against "
          + run.dataDirectory(Path.of("").toAbsolutePath()) + ")");
    }
  }

  /**
   * Fails, naming the setting, when one training step's largest array (the decoder's output for every
   * sample of every item of a minibatch) cannot fit in memory.
   */
  private void checkStepMemory(GradientEstimator estimator, int items, int dimension, int latent) {
    int batch = Math.min(spec.training().batchSize(), items);
    int samples = estimator.samplesPerItem();
    long width = Math.max(dimension, latent);
    String formula = batch + " items × " + samples + " samples × " + width + " values";
    String problem = io.vi4j.core.engine.MemoryBudget.nativeProblem(formula, batch, samples, width);
    if (problem != null) {
      throw new IllegalArgumentException((samples > 1 ? "estimator.samples" : "training.batch_size") + ": a step holds "
          + problem + "; lower " + (samples > 1 ? "estimator.samples or " : "") + "training.batch_size");
    }
  }

  /**
   * Fails, naming the setting, when the test −ELBO's largest array (the decoder's output for every one of
   * {@code evaluation.elbo_samples} samples of one item, which are drawn at once) cannot fit in memory; a
   * huge value would otherwise grow the process until the system kills it, after training.
   */
  private void checkEvaluationMemory(int dimension, int latent) {
    int samples = spec.evaluation().elboSamples();
    long width = Math.max(dimension, latent);
    io.vi4j.core.engine.MemoryBudget.checkNative("evaluation.elbo_samples",
        "the test -ELBO draws " + samples + " samples × " + width + " values of an item", samples, width);
  }

  /**
   * The newest usable checkpoint of a killed run, with {@code metrics.jsonl} rewritten to the epochs it
   * holds; null (and the metrics cleared) when the run was killed before its first checkpoint.
   */
  private static Checkpoint latestCheckpoint(CheckpointStore store, RunDirectory run, Consumer<String> notes)
      throws IOException {
    Optional<CheckpointStore.Loaded> loaded = store.latest();
    if (loaded.isEmpty()) {
      notes.accept("no checkpoint in " + store.directory() + " (killed before the first one): training from the start");
      run.rewriteMetrics(List.of());
      return null;
    }
    loaded.get().refused().forEach(reason -> notes.accept("refused a checkpoint: " + reason));
    Checkpoint checkpoint = loaded.get().checkpoint();
    TrainerState at = checkpoint.trainer();
    notes.accept("resuming from " + loaded.get().directory() + " (epoch " + at.epoch() + ", " + at.stepsDone()
        + " of " + at.stepsPerEpoch() + " steps done, step " + at.globalStep() + " of the run)");
    run.rewriteMetrics(at.metrics().stream().map(Experiment::metricsLine).toList());
    return checkpoint;
  }

  /** Writes {@code samples.png} and {@code reconstructions.png} when items are images. */
  public static void writePictures(AssembledModel model, Dataset test, RunDirectory run) throws IOException {
    if (!test.isImage()) {
      return;
    }
    Pictures.priorSamples(model, PICTURE_ITEMS, test.itemShape(), run.file("samples.png"));
    Pictures.reconstructions(model, test, PICTURE_ITEMS, run.file("reconstructions.png"));
  }

  private Map<String, Object> summarize(
      AssembledModel model, DataSplits data, List<EpochMetrics> history, Evaluator evaluator, long start,
      Protocol protocol) {
    EpochMetrics last = history.get(history.size() - 1);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("name", spec.name());
    summary.put("model", "latent-variable model (" + registry.nameOf(spec.model().decoder()) + " decoder)");
    summary.put("protocol", protocol.configName());
    summary.put("epochs", history.size());
    summary.put("test_neg_elbo_nats", last.testNegElbo());
    summary.put("test_recon_nats", last.testReconstruction());
    summary.put("test_kl_nats", last.testKl());
    summary.put("train_neg_elbo_nats", last.trainNegElbo());
    summary.put("test_recon_mse", evaluator.reconstructionMse(model, data.test()));
    boolean density = model.model().encoder().posteriorCapabilities().contains(Capability.DENSITY);
    if (!density) {
      summary.put("note", "deterministic encoder: not a density model; compare on reconstruction error only");
    }
    if (spec.evaluation().iwaeK() > 0 && density) {
      long evalStart = System.nanoTime();
      LogLikelihoodReport ll = evaluator.logLikelihood(model, data.test());
      summary.put("test_log_likelihood_nats", ll.meanLogLikelihood());
      summary.put("test_log_likelihood_stderr_nats", ll.standardError());
      putBits(summary, protocol, ll.meanLogLikelihood(), data.test().columns());
      summary.put("iwae_k", ll.k());
      summary.put("iwae_items", ll.items());
      summary.put("iwae_seconds", (System.nanoTime() - evalStart) / 1e9);
    }
    double[] rates = history.stream().mapToDouble(EpochMetrics::samplesPerSecond).sorted().toArray();
    summary.put("train_samples_per_second", rates[rates.length / 2]);
    summary.put("wall_seconds", (System.nanoTime() - start) / 1e9);
    summary.put("parameters", model.parameterCount());
    summary.put("device", model.device().toString());
    summary.put("train_items", data.train().rows());
    summary.put("test_items", data.test().rows());
    summary.put("data", data.train().name());
    summary.put("binarization", data.binarization().name().toLowerCase(java.util.Locale.ROOT));
    summary.put("seed", spec.seed());
    return summary;
  }

  /** Adds {@code test_bits_per_dim} when the protocol defines it. */
  static void putBits(Map<String, Object> summary, Protocol protocol, double meanLogLikelihood, int dimension) {
    double bits = protocol.bitsPerDimension(meanLogLikelihood, dimension);
    if (!Double.isNaN(bits)) {
      summary.put("test_bits_per_dim", bits);
    }
  }

  /** Evaluates a trained model again (for {@code vi4j evaluate}). */
  public Map<String, Object> evaluate(AssembledModel model, DataSplits raw) {
    checkEvaluationMemory(raw.test().columns(), model.model().latentDimension());
    PreparedData prepared = prepare(raw, model.model().decoder().dataKind());
    DataSplits data = prepared.splits();
    Evaluator evaluator = new Evaluator(spec.evaluation());
    Engines.seed(noiseSeed);
    ElboReport elbo = evaluator.negativeElbo(model, data.test());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("protocol", prepared.protocol().configName());
    out.put("test_neg_elbo_nats", elbo.negativeElbo());
    out.put("test_recon_nats", elbo.reconstruction());
    out.put("test_kl_nats", elbo.kl());
    out.put("test_recon_mse", evaluator.reconstructionMse(model, data.test()));
    if (spec.evaluation().iwaeK() > 0
        && model.model().encoder().posteriorCapabilities().contains(Capability.DENSITY)) {
      LogLikelihoodReport ll = evaluator.logLikelihood(model, data.test());
      out.put("test_log_likelihood_nats", ll.meanLogLikelihood());
      out.put("test_log_likelihood_stderr_nats", ll.standardError());
      putBits(out, prepared.protocol(), ll.meanLogLikelihood(), data.test().columns());
      out.put("iwae_k", ll.k());
      out.put("iwae_items", ll.items());
    }
    out.put("test_items", data.test().rows());
    return out;
  }

  static TrainingListener metricsWriter(RunDirectory run) {
    return new TrainingListener() {
      @Override
      public void epochEnded(EpochMetrics m) {
        try {
          run.appendMetrics(metricsLine(m));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot append to " + run.file(RunDirectory.METRICS), e);
        }
      }
    };
  }

  /** @return one line of {@code metrics.jsonl}. */
  static Map<String, Object> metricsLine(EpochMetrics m) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("epoch", m.epoch());
    line.put("train_neg_elbo_nats", m.trainNegElbo());
    line.put("train_recon_nats", m.trainReconstruction());
    line.put("train_kl_nats", m.trainKl());
    if (!Double.isNaN(m.testNegElbo())) {
      line.put("test_neg_elbo_nats", m.testNegElbo());
      line.put("test_recon_nats", m.testReconstruction());
      line.put("test_kl_nats", m.testKl());
    }
    line.put("train_seconds", m.trainSeconds());
    line.put("train_samples_per_second", m.samplesPerSecond());
    line.put("eval_seconds", m.evalSeconds());
    return line;
  }

  /**
   * Fails, naming the dataset, the item, the position and the value, when a value lies outside what the
   * likelihood can score.
   */
  public static void checkSupport(Dataset data, Support support, String likelihoodName) {
    float[] values = data.values();
    int d = data.columns();
    for (int i = 0; i < values.length; i++) {
      if (!support.contains(values[i])) {
        throw new IllegalArgumentException(
            data.name() + ": item " + (i / d) + ", position " + (i % d) + " has value " + values[i]
                + ", but the '" + likelihoodName + "' likelihood accepts " + support.description()
                + (support.lower() == 0 && support.upper() == 1 ? "; scale the data to [0, 1] first" : ""));
      }
    }
  }

}
