package io.vi4j.core.run;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.density.BaselineModel;
import io.vi4j.api.density.FitReport;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an experiment whose model is a baseline (a density fitted by closed form or EM): prepares the
 * data for the model's protocol, fits, evaluates the exact test log-likelihood, and writes the same run
 * directory files as a trained VAE ({@code metrics.jsonl} holds one line per EM iteration).
 */
final class BaselineRun {
  private final Experiment experiment;
  private final ExperimentSpec spec;
  private final PluginRegistry registry;
  private final Path baseDirectory;
  private final long fitSeed;

  BaselineRun(Experiment experiment, PluginRegistry registry, Path baseDirectory, long fitSeed) {
    this.experiment = experiment;
    this.spec = experiment.spec();
    this.registry = registry;
    this.baseDirectory = baseDirectory;
    this.fitSeed = fitSeed;
  }

  RunSummary run(RunDirectory run, ConfigLoader loader) throws IOException {
    long start = System.nanoTime();
    DataSplits raw = experiment.loadData();
    try (NDManager manager = Engines.pytorch().newBaseManager(Engines.device(spec.device()))) {
      int dimension = raw.train().columns();
      BaselineModel model = registry.create(
          ComponentKind.BASELINE, spec.baseline(), new BuildContext(dimension, 0, manager, baseDirectory));
      Experiment.PreparedData prepared = experiment.prepare(raw, model.dataKind());
      DataSplits data = prepared.splits();
      String yaml = loader.toYaml(experiment.spec()); // after loadData: a table's columns written out
      run.begin(baseDirectory, DataFingerprint.of(raw), experiment.pluginFiles());
      run.writeText(RunDirectory.CONFIG, yaml);
      Engines.seed(fitSeed);
      long fitStart = System.nanoTime();
      FitReport fit = model.fit(data.train(), manager, fitSeed);
      double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
      for (int i = 0; i < fit.trace().size(); i++) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("iteration", i + 1);
        line.put("train_log_likelihood_nats", fit.trace().get(i));
        run.appendMetrics(line);
      }
      Evaluator evaluator = new Evaluator(spec.evaluation());
      double[] test = Evaluator.meanAndStandardError(evaluator.logLikelihoodPerItem(model, data.test(), manager));
      double generationSeconds = RunFigures.drawSamples(model, manager, data.test(), run,
          "Samples x ~ p(x) of the fitted model");
      RunSummary summary = RunSummary.builder()
          .name(spec.name())
          .model(registry.nameOf(spec.baseline()))
          .likelihoodKind(model.dataKind())
          .protocol(prepared.protocol().configName())
          .testLogLikelihoodNats(test[0])
          .testLogLikelihoodStderrNats(test[1])
          .testBitsPerDim(RunFigures.bits(prepared.protocol(), test[0], dimension))
          .trainLogLikelihoodNats(fit.trainLogLikelihood())
          .fitSeconds(fitSeconds)
          .iterations(fit.iterations())
          .converged(fit.converged())
          .parameters(model.parameterCount())
          .trainItems(data.train().rows())
          .testItems(data.test().rows())
          .data(raw.train().name())
          .seed(spec.seed())
          .generationSecondsPer100(generationSeconds)
          .generationPasses(1)
          .wallSeconds((System.nanoTime() - start) / 1e9)
          .build();
      run.writeSummary(summary);
      run.finish();
      return summary;
    }
  }
}
