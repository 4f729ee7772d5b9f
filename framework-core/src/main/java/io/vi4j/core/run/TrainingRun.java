package io.vi4j.core.run;

import io.vi4j.api.data.DataSplits;
import io.vi4j.core.checkpoint.Checkpoint;
import io.vi4j.core.checkpoint.CheckpointStore;
import io.vi4j.core.checkpoint.Checkpointing;
import io.vi4j.core.checkpoint.TrainerState;
import io.vi4j.core.config.CheckpointSpec;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.diagnostics.GradientVariance;
import io.vi4j.core.diagnostics.GradientVarianceReport;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.train.EpochMetrics;
import io.vi4j.core.train.TrainingDivergedException;
import io.vi4j.core.train.TrainingCheckpoints;
import io.vi4j.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code vi4j train}'s run of an experiment into a run directory: checks everything first, then records
 * the run as started, trains with checkpoints and a metrics file, and writes the parameters, the pictures
 * and the summary, recording the run as finished (or diverged) last.
 */
final class TrainingRun {
  private final Experiment experiment;

  TrainingRun(Experiment experiment) {
    this.experiment = experiment;
  }

  RunSummary train(
      RunDirectory run, ConfigLoader loader, TrainingListener listener, boolean resume, Consumer<String> notes)
      throws IOException {
    long start = System.nanoTime();
    LoadedData loaded = load(experiment, run, resume);
    DataSplits raw = loaded.raw();
    DataFingerprint fingerprint = loaded.fingerprint();
    try (Experiment.Setup setup = experiment.setUp(raw)) {
      List<EpochMetrics> history = trainWithCheckpoints(experiment, run, loader, listener, resume, notes, fingerprint,
          new Trained() {
            @Override
            public List<EpochMetrics> fit(TrainingListener heard, TrainingCheckpoints checkpoints) {
              return experiment.fit(setup, heard, checkpoints);
            }

            @Override
            public void save(Path file) throws IOException {
              setup.model().save(file);
            }
          });
      Engines.seed(experiment.noiseSeed()); // what follows draws the same noise after a resume as without one
      Experiment.writePictures(setup.model(), setup.data().test(), run);
      RunSummary.Builder summary = RunFigures.summary(experiment, setup, history);
      int draws = experiment.spec().evaluation().gradientVarianceDraws();
      if (draws > 0) {
        GradientVarianceReport spread = GradientVariance.measure(setup.model(), setup.estimator(),
            setup.data().train(), experiment.spec().training().batchSize(), draws, Experiment.WARM_UP_DRAWS);
        summary.gradVarianceTotal(spread.totalVariance())
            .gradSnr(spread.signalToNoise())
            .gradMeanCoordinateSnr(spread.meanCoordinateSnr())
            .gradVarianceDraws(spread.draws());
      }
      long generationStart = System.nanoTime();
      io.vi4j.core.uses.Generation.priorSamples(setup.model(), RunFigures.GENERATED_ITEMS, true);
      summary.generationSecondsPer100((System.nanoTime() - generationStart) / 1e9).generationPasses(1);
      RunSummary written = summary.wallSeconds((System.nanoTime() - start) / 1e9).build();
      run.writeSummary(written);
      run.finish();
      return written;
    }
  }

  /** The data a run trains on, as its source gives it, and their fingerprint. */
  record LoadedData(DataSplits raw, DataFingerprint fingerprint) {}

  /**
   * Loads the experiment's data; a resumed run must find the same plugin jars and the same data it was
   * trained with.
   */
  static LoadedData load(Experiment experiment, RunDirectory run, boolean resume) throws IOException {
    DataSplits raw = experiment.loadData();
    DataFingerprint fingerprint = DataFingerprint.of(raw);
    if (resume) {
      RunChecks.checkSamePlugins(run, experiment.registry());
      RunChecks.checkSameData(run, fingerprint);
    }
    return new LoadedData(raw, fingerprint);
  }

  /** One kind of model as {@link #trainWithCheckpoints} trains it: its fit and its parameter file. */
  interface Trained {
    /** Trains (or resumes training), telling {@code listener}. */
    List<EpochMetrics> fit(TrainingListener listener, TrainingCheckpoints checkpoints);

    /** Writes the parameters to {@code file}. */
    void save(Path file) throws IOException;
  }

  /**
   * Records the run as started (or resumed from its newest usable checkpoint), writes the resolved config,
   * trains with checkpoints and {@code metrics.jsonl}, and saves the parameters; a diverged run saves its
   * last good parameters, is recorded as diverged, and the exception names them and the last checkpoint.
   * Call it once everything that can fail on bad input has been checked.
   *
   * @return the figures of every epoch
   */
  static List<EpochMetrics> trainWithCheckpoints(Experiment experiment, RunDirectory run, ConfigLoader loader,
      TrainingListener listener, boolean resume, Consumer<String> notes, DataFingerprint fingerprint, Trained trained)
      throws IOException {
    String yaml = loader.toYaml(experiment.spec());
    CheckpointSpec settings = experiment.spec().training().checkpoint();
    CheckpointStore store = new CheckpointStore(run.file(RunDirectory.CHECKPOINTS), settings.keep());
    Checkpoint from = resume ? latestCheckpoint(store, run, notes) : null;
    // Everything that can fail on bad input has been checked: from here on the run directory fills.
    if (resume) {
      run.beginResumed(experiment.baseDirectory(), fingerprint, experiment.pluginFiles());
    } else {
      run.begin(experiment.baseDirectory(), fingerprint, experiment.pluginFiles());
      run.writeText(RunDirectory.CONFIG, yaml);
    }
    Checkpointing checkpoints = new Checkpointing(
        store, settings.everySteps(), CheckpointStore.sha256(yaml.getBytes(StandardCharsets.UTF_8)), from);
    List<EpochMetrics> history;
    try {
      history = trained.fit(listener.and(metricsWriter(run)), checkpoints);
    } catch (TrainingDivergedException e) {
      trained.save(run.file(RunDirectory.PARAMETERS)); // the last good parameters, for a look or a restart
      run.diverged(e.getMessage().replaceFirst("^training diverged at ", "").replaceFirst(";.*", ""));
      List<Path> kept = store.list();
      throw new TrainingDivergedException(e.getMessage() + "; they are saved in "
          + run.file(RunDirectory.PARAMETERS)
          + (kept.isEmpty() ? "" : ", and the last checkpoint before it is " + kept.get(kept.size() - 1)),
          e.epoch(), e.step());
    }
    trained.save(run.file(RunDirectory.PARAMETERS));
    return history;
  }

  /**
   * The newest usable checkpoint of a killed run, with {@code metrics.jsonl} rewritten to the epochs it
   * holds; null (and the metrics cleared) when the run was killed before its first checkpoint.
   */
  static Checkpoint latestCheckpoint(CheckpointStore store, RunDirectory run, Consumer<String> notes)
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
    run.rewriteMetrics(at.metrics().stream().map(TrainingRun::metricsLine).toList());
    return checkpoint;
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
    if (!Double.isNaN(m.learningRate())) {
      line.put("learning_rate", m.learningRate());
    }
    if (!Double.isNaN(m.klWeight())) {
      line.put("kl_weight", m.klWeight());
    }
    line.put("train_neg_elbo_nats", m.trainNegElbo());
    line.put("train_recon_nats", m.trainReconstruction());
    line.put("train_kl_nats", m.trainKl());
    if (!Double.isNaN(m.validationNegElbo())) {
      line.put("validation_neg_elbo_nats", m.validationNegElbo());
      line.put("validation_recon_nats", m.validationReconstruction());
      line.put("validation_kl_nats", m.validationKl());
    }
    if (!Double.isNaN(m.testNegElbo())) {
      line.put("test_neg_elbo_nats", m.testNegElbo());
      line.put("test_recon_nats", m.testReconstruction());
      line.put("test_kl_nats", m.testKl());
    }
    line.put("train_seconds", m.trainSeconds());
    line.put("train_samples_per_second", m.samplesPerSecond());
    line.put("eval_seconds", m.evalSeconds());
    if (m.stoppedEarly()) {
      line.put("stopped_early", true);
    }
    return line;
  }
}
