package io.vi4j.core.run;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.model.TrainableDensity;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledDensity;
import io.vi4j.core.report.ImageGrid;
import io.vi4j.core.train.EpochMetrics;
import io.vi4j.core.train.TrainingCheckpoints;
import io.vi4j.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code vi4j train}'s run of a config's {@code density} (a model trained by maximum likelihood, such as
 * MADE): the same trainer, checkpoints, exact resume and run directory as a latent-variable model, then
 * the exact test {@code log p(x)} of every test item, and the time to draw 100 new items (an
 * autoregressive model's one network pass per dimension, measured).
 */
final class DensityRun {
  /** Items whose drawing time {@code summary.json} reports as {@code generation_seconds_per_100}. */
  static final int GENERATED_ITEMS = 100;

  private final Experiment experiment;

  DensityRun(Experiment experiment) {
    this.experiment = experiment;
  }

  RunSummary train(
      RunDirectory run, ConfigLoader loader, TrainingListener listener, boolean resume, Consumer<String> notes)
      throws IOException {
    long start = System.nanoTime();
    ExperimentSpec spec = experiment.spec();
    DataSplits raw = experiment.loadData();
    DataFingerprint fingerprint = DataFingerprint.of(raw);
    if (resume) {
      RunChecks.checkSamePlugins(run, experiment.registry());
      RunChecks.checkSameData(run, fingerprint);
    }
    try (Experiment.DensitySetup setup = experiment.setUpDensity(raw)) {
      Evaluator evaluator = new Evaluator(spec.evaluation());
      List<EpochMetrics> history = TrainingRun.trainWithCheckpoints(experiment, run, loader, listener, resume, notes,
          fingerprint, new TrainingRun.Trained() {
            @Override
            public List<EpochMetrics> fit(TrainingListener heard, TrainingCheckpoints checkpoints) {
              return experiment.fitDensity(setup, heard, checkpoints);
            }

            @Override
            public void save(Path file) throws IOException {
              setup.density().save(file);
            }
          });
      Engines.seed(experiment.noiseSeed()); // what follows draws the same noise after a resume as without one
      RunSummary.Builder summary = RunFigures.training(spec, history, setup.data(), setup.prepared().protocol(),
          setup.density().parameterCount(), setup.density().device().toString())
          .model(experiment.registry().nameOf(spec.density()));
      RunFigures.exact(summary, setup.density().density(), setup.data().test(), setup.prepared().protocol(),
          evaluator, setup.density().manager());
      generate(summary, setup.density(), setup.data().test(), run);
      RunSummary written = summary.wallSeconds((System.nanoTime() - start) / 1e9).build();
      run.writeSummary(written);
      run.finish();
      return written;
    }
  }

  /**
   * Draws {@value #GENERATED_ITEMS} items, timing it, and writes the first {@link Experiment#PICTURE_ITEMS}
   * as {@code samples.png} when items are images.
   */
  static void generate(RunSummary.Builder summary, AssembledDensity density, Dataset test, RunDirectory run)
      throws IOException {
    TrainableDensity model = density.density();
    try (NDManager manager = density.manager().newSubManager()) {
      long start = System.nanoTime();
      float[] samples = model.sample(GENERATED_ITEMS, manager).toFloatArray();
      summary.generationSecondsPer100((System.nanoTime() - start) / 1e9).generationPasses(model.samplingPasses());
      if (test.isImage()) {
        int[] shape = test.itemShape();
        ImageGrid grid = ImageGrid.builder().columns(10).scale(2).build();
        io.vi4j.core.report.Captions.of("Samples x ~ p(x) of the trained density").save(run.file("samples.png"), grid,
            grid.render(java.util.Arrays.copyOf(samples, Experiment.PICTURE_ITEMS * test.columns()),
                Experiment.PICTURE_ITEMS, shape[0], shape[1]), shape[0], shape[1]);
      }
    }
  }
}
