package io.vi4j.core.run;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.model.TrainableDensity;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
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
  private final Experiment experiment;

  DensityRun(Experiment experiment) {
    this.experiment = experiment;
  }

  RunSummary train(
      RunDirectory run, ConfigLoader loader, TrainingListener listener, boolean resume, Consumer<String> notes)
      throws IOException {
    long start = System.nanoTime();
    ExperimentSpec spec = experiment.spec();
    TrainingRun.LoadedData loaded = TrainingRun.load(experiment, run, resume);
    DataSplits raw = loaded.raw();
    DataFingerprint fingerprint = loaded.fingerprint();
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
          .model(experiment.registry().nameOf(spec.density()))
          .likelihoodKind(setup.density().density().dataKind());
      RunFigures.exact(summary, setup.density().density(), setup.data().test(), setup.prepared().protocol(),
          evaluator, setup.density().manager());
      TrainableDensity density = setup.density().density();
      summary.generationSecondsPer100(RunFigures.drawSamples(density, setup.density().manager(), setup.data().test(),
          run, "Samples x ~ p(x) of the trained density")).generationPasses(density.samplingPasses());
      RunSummary written = summary.wallSeconds((System.nanoTime() - start) / 1e9).build();
      run.writeSummary(written);
      run.finish();
      return written;
    }
  }
}
