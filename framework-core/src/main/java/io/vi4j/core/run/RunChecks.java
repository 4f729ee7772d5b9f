package io.vi4j.core.run;

import io.vi4j.api.data.Dataset;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.Support;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.plugin.PluginException;
import io.vi4j.core.plugin.PluginRegistry;
import java.util.List;
import java.io.IOException;
import java.nio.file.Path;

/** The checks a run passes before anything is trained or written, and before a trained run is used. */
public final class RunChecks {
  private RunChecks() {}

  /**
   * Fails, naming the dataset, the item, the position and the value, when a value lies outside what the
   * likelihood can score: outside its support, or not what its column takes
   * ({@link io.vi4j.api.model.Likelihood#columnProblem}). One pass over the values.
   */
  public static void checkSupport(Dataset data, io.vi4j.api.model.Likelihood likelihood, String likelihoodName) {
    checkValues(data, likelihood.support(), likelihood, likelihoodName);
  }

  /**
   * Fails, naming the dataset, the item, the position and the value, when a value lies outside what the
   * likelihood can score.
   */
  public static void checkSupport(Dataset data, Support support, String likelihoodName) {
    checkValues(data, support, null, likelihoodName);
  }

  private static void checkValues(Dataset data, Support support, io.vi4j.api.model.Likelihood columns, String name) {
    float[] values = data.values();
    int d = data.columns();
    boolean missingAllowed = columns != null && io.vi4j.core.model.MissingCells.scoresObservedCells(columns);
    for (int i = 0; i < values.length; i++) {
      if (Float.isNaN(values[i])) {
        if (missingAllowed) {
          continue;
        }
        throw new IllegalArgumentException(data.name() + ": item " + (i / d) + ", position " + (i % d)
            + " is missing, but the '" + name + "' " + (columns == null ? "density" : "likelihood")
            + " scores complete items only; read the data as a table (data.type: table) with a likelihood that"
            + " scores each cell, or fill the missing cells");
      }
      if (!support.contains(values[i])) {
        throw new IllegalArgumentException(
            data.name() + ": item " + (i / d) + ", position " + (i % d) + " has value " + values[i]
                + ", but the '" + name + "' likelihood accepts " + support.description()
                + (support.lower() == 0 && support.upper() == 1 ? "; scale the data to [0, 1] first" : ""));
      }
      String problem = columns == null ? null : columns.columnProblem(i % d, values[i]);
      if (problem != null) {
        throw new IllegalArgumentException(data.name() + ": item " + (i / d) + ", column " + (i % d) + " has value "
            + values[i] + ", but the '" + name + "' likelihood takes " + problem + " there");
      }
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
  static void checkStepMemory(ExperimentSpec spec, GradientEstimator estimator, int items, int dimension, int latent) {
    int batch = Math.min(spec.training().batchSize(), items);
    int samples = estimator.samplesPerItem();
    long width = Math.max(dimension, latent);
    String formula = batch + " items × " + samples + " samples × " + width + " values";
    String problem = io.vi4j.api.kit.math.MemoryBudget.nativeProblem(formula, batch, samples, width);
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
  static void checkEvaluationMemory(ExperimentSpec spec, int dimension, int latent) {
    int samples = spec.evaluation().elboSamples();
    long width = Math.max(dimension, latent);
    io.vi4j.api.kit.math.MemoryBudget.checkNative("evaluation.elbo_samples",
        "the test -ELBO draws " + samples + " samples × " + width + " values of an item", samples, width);
  }

  /**
   * Checks the training schedules against the data and the estimator, before anything is trained or
   * written: a validation split must leave items to validate on and to train on, and a KL weight other than
   * 1 needs an estimator that applies it.
   *
   * @param estimatorName the estimator's config name, for the message
   * @param trainItems items in the training split before a validation split is carved from it
   * @throws IllegalArgumentException naming the setting
   */
  static void checkSchedules(ExperimentSpec spec, GradientEstimator estimator, String estimatorName, int trainItems) {
    io.vi4j.core.config.TrainingSpec training = spec.training();
    if (training.validation() != null) {
      training.validation().heldOut(trainItems);
    }
    if (!io.vi4j.core.train.schedule.KlWeightSchedule.of(training.klWeight(), 1).isConstantOne()
        && !estimator.supportsKlWeight()) {
      throw new IllegalArgumentException(io.vi4j.core.train.schedule.KlWeightSchedule.unsupportedBy(
          "'" + estimatorName + "'"));
    }
  }

  /**
   * Fails unless every outside plugin jar a run recorded is loaded in {@code registry}, as the same build:
   * a jar is recognised by its SHA-256 (whatever its file name now); a jar of the recorded name with other
   * bytes is another build, which may compute other figures. Runs that recorded no jars pass. Call it
   * before the run's config is read, whose component names the missing jar would leave unknown.
   *
   * @throws PluginException naming the run, the jar, and what to do
   */
  public static void checkSamePlugins(RunDirectory run, PluginRegistry registry) {
    if (run.record().isEmpty()) {
      return;
    }
    List<io.vi4j.core.plugin.PluginJar> loaded = registry.jars();
    List<RunRecord.PluginFile> missing = new java.util.ArrayList<>();
    for (RunRecord.PluginFile recorded : run.record().get().plugins()) {
      if (loaded.stream().anyMatch(jar -> jar.sha256().equalsIgnoreCase(recorded.sha256()))) {
        continue;
      }
      java.util.Optional<io.vi4j.core.plugin.PluginJar> sameName =
          loaded.stream().filter(jar -> jar.fileName().equals(recorded.name())).findFirst();
      if (sameName.isPresent()) {
        throw new PluginException(run.root() + ": trained with plugin jar " + recorded.name() + " (sha256 "
            + recorded.sha256() + "), but the loaded " + sameName.get().path() + " is another build (sha256 "
            + sameName.get().sha256() + "), which may compute other figures; load the jar the run was trained"
            + " with, or train the run again with this one");
      }
      missing.add(recorded);
    }
    if (!missing.isEmpty()) {
      String jars = String.join(", ", missing.stream().map(j -> j.name() + " (sha256 " + j.sha256() + ")").toList());
      throw new PluginException(run.root() + ": trained with plugin jar" + (missing.size() > 1 ? "s " : " ") + jars
          + ", which " + (missing.size() > 1 ? "are" : "is") + " not loaded; give "
          + (missing.size() > 1 ? "them" : "it") + " with --plugins PATH or VI4J_PLUGINS");
    }
  }}
