package io.vi4j.core.run;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.distribution.Capability;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.data.Protocol;
import io.vi4j.core.eval.ElboReport;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.eval.FittedPosteriors;
import io.vi4j.core.eval.LogLikelihoodReport;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.config.TrainingSpec;
import io.vi4j.core.train.EpochMetrics;
import io.vi4j.core.train.schedule.EarlyStopping;
import java.util.List;
import java.util.Locale;

/**
 * The figures a run reports, measured on a trained model: what {@code summary.json} holds after training
 * and what {@code vi4j evaluate} measures again. The IWAE log-likelihood is measured only for models whose
 * posterior has a density (a deterministic encoder's is not a density model).
 */
final class RunFigures {
  private RunFigures() {}

  /** Items whose drawing time {@code summary.json} reports as {@code generation_seconds_per_100}. */
  static final int GENERATED_ITEMS = 100;

  /**
   * Draws {@value #GENERATED_ITEMS} items from a model without latents (a baseline or a trained density),
   * timing it, and writes the first {@link Experiment#PICTURE_ITEMS} as {@code samples.png}, titled
   * {@code title}, when items are images.
   *
   * @param parent the model's manager; the draw runs in a child of it
   * @return the seconds the draw took
   */
  static double drawSamples(io.vi4j.api.density.DensityModel model, ai.djl.ndarray.NDManager parent,
      io.vi4j.api.data.Dataset test, RunDirectory run, String title) throws java.io.IOException {
    try (ai.djl.ndarray.NDManager manager = parent.newSubManager()) {
      long start = System.nanoTime();
      float[] samples = model.sample(GENERATED_ITEMS, manager).toFloatArray();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (test.isImage()) {
        int[] shape = test.itemShape();
        io.vi4j.core.report.ImageGrid grid = io.vi4j.core.report.ImageGrid.builder().columns(10).scale(2).build();
        io.vi4j.core.report.Captions.of(title).save(run.file("samples.png"), grid,
            grid.render(java.util.Arrays.copyOf(samples, Experiment.PICTURE_ITEMS * test.columns()),
                Experiment.PICTURE_ITEMS, shape[0], shape[1]), shape[0], shape[1]);
      }
      return seconds;
    }
  }

  /** @return the summary of a trained model, with everything but the wall time and gradient variance. */
  static RunSummary.Builder summary(Experiment experiment, Experiment.Setup setup, List<EpochMetrics> history) {
    ExperimentSpec spec = experiment.spec();
    AssembledModel model = setup.model();
    DataSplits data = setup.data();
    Protocol protocol = setup.prepared().protocol();
    RunSummary.Builder summary = training(spec, history, data, protocol, model.parameterCount(),
        model.device().toString())
        .model("latent-variable model (" + experiment.registry().nameOf(spec.model().decoder()) + " decoder)")
        .likelihoodKind(model.model().decoder().dataKind());
    EpochMetrics kept = kept(spec, history);
    if (!hasDensity(model)) {
      summary.note("deterministic encoder: not a density model; compare on reconstruction error only");
    }
    Evaluator evaluator = setup.evaluator();
    try (FittedPosteriors posteriors = evaluator.fitPosteriors(model, data.test(), data.test().rows())) {
      inference(summary, posteriors);
      // The test figures of the parameters kept: evaluated afresh when that epoch had no test evaluation.
      ElboReport test = Double.isNaN(kept.testNegElbo()) ? evaluator.negativeElbo(model, data.test(), posteriors)
          : new ElboReport(kept.testNegElbo(), kept.testReconstruction(), kept.testKl(), data.test().rows());
      summary.testNegElboNats(test.negativeElbo()).testReconNats(test.reconstruction()).testKlNats(test.kl());
      if (Double.isNaN(test.klStandardError()) && !Double.isNaN(kept.testNegElbo())
          && evaluator.hasMonteCarloKl(model, data.test(), posteriors)) {
        // The kept epoch's figures carry no standard error: a Monte-Carlo KL gets it from one more pass of the
        // same estimator over the test split (a property of the estimator, not of the draw reported).
        summary.testKlStderrNats(evaluator.negativeElbo(model, data.test(), posteriors).klStandardError());
      } else {
        summary.testKlStderrNats(test.klStandardError());
      }
      summary.testReconMse(evaluator.reconstructionMse(model, data.test(), posteriors));
      if (spec.evaluation().iwaeK() > 0 && hasDensity(model)) {
        long start = System.nanoTime();
        logLikelihood(summary, evaluator.logLikelihood(model, data.test(), posteriors), protocol,
            data.test().columns());
        summary.iwaeSeconds((System.nanoTime() - start) / 1e9);
      }
    }
    return summary;
  }

  /**
   * @return what every model trained by the trainer reports: its training figures, sizes, and the
   *     outcome of its schedules and stopping rule (the model's name and test figures are the caller's)
   */
  static RunSummary.Builder training(ExperimentSpec spec, List<EpochMetrics> history, DataSplits data,
      Protocol protocol, long parameters, String device) {
    EpochMetrics last = history.get(history.size() - 1);
    TrainingSpec training = spec.training();
    EpochMetrics kept = kept(spec, history);
    double[] rates = history.stream().mapToDouble(EpochMetrics::samplesPerSecond).sorted().toArray();
    int heldOut = training.validation() == null ? 0 : training.validation().heldOut(data.train().rows());
    RunSummary.Builder summary = RunSummary.builder()
        .name(spec.name())
        .protocol(protocol.configName())
        .epochs(history.size())
        .trainNegElboNats(kept.trainNegElbo())
        .trainSamplesPerSecond(rates[rates.length / 2])
        .parameters(parameters)
        .device(device)
        .trainItems(data.train().rows() - heldOut)
        .testItems(data.test().rows())
        .data(data.train().name())
        .binarization(data.binarization().name().toLowerCase(Locale.ROOT))
        .seed(spec.seed());
    if (training.validation() != null) {
      summary.validationItems(heldOut).validationNegElboNats(kept.validationNegElbo());
    }
    if (training.earlyStopping() != null) {
      int bestEpoch = bestEpoch(spec, history);
      summary.bestEpoch(bestEpoch == 0 ? null : bestEpoch).stoppedEarly(last.stoppedEarly());
    }
    if (training.lrSchedule() != null) {
      summary.finalLearningRate(last.learningRate());
    }
    if (training.klWeight() != null) {
      summary.finalKlWeight(last.klWeight());
    }
    return summary;
  }

  /** @return the epoch whose parameters the model holds: the best one when early stopping restored it. */
  static EpochMetrics kept(ExperimentSpec spec, List<EpochMetrics> history) {
    int bestEpoch = bestEpoch(spec, history);
    return bestEpoch > 0 && spec.training().earlyStopping().restoreBest() ? history.get(bestEpoch - 1)
        : history.get(history.size() - 1);
  }

  private static int bestEpoch(ExperimentSpec spec, List<EpochMetrics> history) {
    TrainingSpec training = spec.training();
    return training.earlyStopping() == null ? 0 : EarlyStopping.after(
        history.stream().mapToDouble(EpochMetrics::validationNegElbo).toArray(),
        training.earlyStopping().patience(), training.earlyStopping().minDelta()).bestEpoch();
  }

  /** @return the test −ELBO and IWAE log-likelihood of a trained model on prepared data. */
  static RunSummary evaluation(ExperimentSpec spec, AssembledModel model, Experiment.PreparedData prepared) {
    DataSplits data = prepared.splits();
    Evaluator evaluator = new Evaluator(spec.evaluation());
    try (FittedPosteriors posteriors = evaluator.fitPosteriors(model, data.test(), data.test().rows())) {
      ElboReport elbo = evaluator.negativeElbo(model, data.test(), posteriors);
      RunSummary.Builder out = RunSummary.builder()
          .protocol(prepared.protocol().configName())
          .testNegElboNats(elbo.negativeElbo())
          .testReconNats(elbo.reconstruction())
          .testKlNats(elbo.kl())
          .testKlStderrNats(elbo.klStandardError())
          .testReconMse(evaluator.reconstructionMse(model, data.test(), posteriors))
          .testItems(data.test().rows());
      inference(out, posteriors);
      if (spec.evaluation().iwaeK() > 0 && hasDensity(model)) {
        logLikelihood(out, evaluator.logLikelihood(model, data.test(), posteriors), prepared.protocol(),
            data.test().columns());
      }
      return out.build();
    }
  }

  /**
   * Sets the exact test figures of a model without latents: {@code log p(x)} of every test item with its
   * standard error and bits per dimension; its −ELBO is {@code −log p(x)} and its KL 0.
   */
  static void exact(RunSummary.Builder summary, io.vi4j.api.density.DensityModel model, io.vi4j.api.data.Dataset test,
      Protocol protocol, Evaluator evaluator, ai.djl.ndarray.NDManager manager) {
    double[] logLikelihood = Evaluator.meanAndStandardError(evaluator.logLikelihoodPerItem(model, test, manager));
    summary.testLogLikelihoodNats(logLikelihood[0])
        .testLogLikelihoodStderrNats(logLikelihood[1])
        .testBitsPerDim(bits(protocol, logLikelihood[0], test.columns()))
        .testNegElboNats(-logLikelihood[0])
        .testReconNats(-logLikelihood[0])
        .testKlNats(0.0)
        .testItems(test.rows())
        .note("no latents: log p(x) is exact, over every test item");
  }

  /** Records the test-time inference of a model without an encoder (nothing for one with an encoder). */
  static void inference(RunSummary.Builder summary, FittedPosteriors posteriors) {
    if (posteriors.fitted()) {
      summary.testInferenceSeconds(posteriors.seconds()).testInferenceSteps(posteriors.steps());
    }
  }

  /** Sets the log-likelihood, its standard error, bits per dimension (where the protocol defines them). */
  static void logLikelihood(RunSummary.Builder summary, LogLikelihoodReport ll, Protocol protocol, int dimension) {
    summary.testLogLikelihoodNats(ll.meanLogLikelihood())
        .testLogLikelihoodStderrNats(ll.standardError())
        .testBitsPerDim(bits(protocol, ll.meanLogLikelihood(), dimension))
        .iwaeK(ll.k())
        .iwaeItems(ll.items());
  }

  /** @return bits per dimension under {@code protocol}, or null where it defines none. */
  static Double bits(Protocol protocol, double meanLogLikelihood, int dimension) {
    double bits = protocol.bitsPerDimension(meanLogLikelihood, dimension);
    return Double.isNaN(bits) ? null : bits;
  }

  private static boolean hasDensity(AssembledModel model) {
    return model.model().encoder().posteriorCapabilities().contains(Capability.DENSITY);
  }
}
