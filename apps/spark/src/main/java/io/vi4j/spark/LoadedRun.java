package io.vi4j.spark;

import ai.djl.ndarray.NDManager;
import io.vi4j.api.data.DataSplits;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.BaselineModel;
import io.vi4j.api.density.ConditionalImputer;
import io.vi4j.api.density.LatentRepresentation;
import io.vi4j.api.model.Support;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.data.Protocol;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.eval.Evaluator;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import io.vi4j.core.uses.Imputation;
import io.vi4j.core.uses.OutlierScores;
import io.vi4j.core.uses.Representations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's model as an executor holds it: a trained latent-variable model rebuilt from
 * {@code config.yaml} and {@code parameters.bin}, or a baseline refitted from its config and training data
 * (baselines save no parameters; their fits are deterministic for the run's seed). Its methods score,
 * encode and impute one batch through the core's code ({@link OutlierScores}, {@link Representations},
 * {@link Imputation}), each chunk of a batch in its own native-memory scope; they may be called from
 * several task threads at once.
 */
final class LoadedRun implements AutoCloseable {
  private final ShippedRun run;
  private final ExperimentSpec spec;
  private final AssembledModel model;
  private final BaselineModel baseline;
  private final NDManager baselineManager;
  private final Support support;

  private LoadedRun(ShippedRun run, ExperimentSpec spec, AssembledModel model, BaselineModel baseline,
      NDManager baselineManager, Support support) {
    this.run = run;
    this.spec = spec;
    this.model = model;
    this.baseline = baseline;
    this.baselineManager = baselineManager;
    this.support = support;
  }

  static LoadedRun load(ShippedRun run, PluginRegistry registry) throws IOException {
    Path directory = run.localDirectory();
    RunDirectory opened = RunDirectory.open(directory);
    ExperimentSpec spec = new ConfigLoader(registry).load(opened.file(RunDirectory.CONFIG), List.of());
    Experiment experiment = new Experiment(spec, registry, opened.dataDirectory(Path.of("").toAbsolutePath()));
    int d = run.columns();
    if (run.baseline()) {
      // The data are needed to refit: the executor reads the run's data paths (docs/scaling.md).
      DataSplits raw = experiment.loadData();
      NDManager manager = Engines.pytorch().newBaseManager();
      try {
        BaselineModel fitted = registry.create(ComponentKind.BASELINE, spec.baseline(),
            new BuildContext(raw.train().columns(), 0, manager, null));
        DataSplits data = experiment.prepare(raw, fitted.dataKind()).splits();
        Engines.seed(experiment.fitSeed());
        fitted.fit(data.train(), manager, experiment.fitSeed());
        Support support = run.protocol() == Protocol.DEQUANTIZED_8BIT
            ? new Support(0, 1, "[0, 1] (8-bit grey levels, dequantized per row)")
            : Support.REAL;
        return new LoadedRun(run, spec, null, fitted, manager, support);
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }
    AssembledModel assembled = experiment.buildModel(
        new Dataset("item shape", new float[d], 1, d, null, run.itemShape(),
            io.vi4j.core.data.TableDataSpec.schemaOf(spec.data()), null)); // a table's columns, for mixed-mlp
    try {
      assembled.load(opened.file(RunDirectory.PARAMETERS));
      Support support = run.protocol() == Protocol.DEQUANTIZED_8BIT
          ? new Support(0, 1, "[0, 1] (8-bit grey levels, dequantized per row)")
          : assembled.model().decoder().support();
      return new LoadedRun(run, spec, assembled, null, null, support);
    } catch (IOException | RuntimeException e) {
      assembled.close();
      throw e;
    }
  }

  /** @return the values a row's features may take. */
  Support support() {
    return support;
  }

  /**
   * Scores a batch.
   *
   * @param batch {@code B × D} rows, prepared for the run's protocol
   * @param ids the rows' ids, which seed their noise
   * @return name → one score per row: {@code kl}, {@code neg_elbo}, {@code neg_log_px}; a baseline's
   *     {@code neg_log_px} alone
   */
  Map<String, double[]> score(Dataset batch, long[] ids, int k, int elboSamples) {
    Map<String, double[]> out = new LinkedHashMap<>();
    if (baseline != null) {
      double[] logPx = new Evaluator(spec.evaluation()).logLikelihoodPerItem(baseline, batch, baselineManager);
      double[] negative = new double[logPx.length];
      for (int i = 0; i < logPx.length; i++) {
        negative[i] = -logPx[i];
      }
      out.put(Columns.NEG_LOG_PX, negative);
      return out;
    }
    Map<String, double[]> scores = OutlierScores.score(model, batch, ids, run.seed(), k, elboSamples);
    out.put(Columns.KL, scores.get(OutlierScores.NAMES[0]));
    out.put(Columns.NEG_ELBO, scores.get(OutlierScores.NAMES[1]));
    out.put(Columns.NEG_LOG_PX, scores.get(OutlierScores.NAMES[2]));
    return out;
  }

  /** @return the batch's posterior means (and log-variances for a diagonal Gaussian family). */
  Representations.Encoding embed(Dataset batch) {
    if (baseline != null) {
      if (!(baseline instanceof LatentRepresentation latent)) {
        throw new IllegalArgumentException(run.path() + ": this baseline has no latent representation (PPCA has)");
      }
      return Representations.encode(latent, batch, baselineManager);
    }
    return Representations.means(model, batch);
  }

  /**
   * Fills the missing values of a batch.
   *
   * @param observed row-major {@code B × D}; values at missing positions are ignored
   * @param missing row-major {@code B × D}
   * @param ids the rows' ids, which seed their noise
   * @param method {@code pseudo-gibbs} or {@code metropolis-within-gibbs} (a VAE), {@code conditional-mean}
   *     (PPCA, a diagonal GMM)
   */
  float[] impute(float[] observed, boolean[] missing, long[] ids, String method, int iterations) {
    int items = ids.length;
    if (baseline != null) {
      if (!(baseline instanceof ConditionalImputer imputer)) {
        throw new IllegalArgumentException(run.path() + ": this baseline cannot impute (PPCA, Gaussian mixtures and factorized baselines can)");
      }
      if (method.equals(Columns.MEAN)) {
        float[] means = run.trainMeans();
        float[] out = observed.clone();
        for (int i = 0; i < out.length; i++) {
          if (missing[i]) {
            out[i] = means[i % means.length];
          }
        }
        return out;
      }
      if (!method.equals(Columns.CONDITIONAL_MEAN)) {
        throw new IllegalArgumentException("a baseline imputes by " + Columns.CONDITIONAL_MEAN + ", not " + method);
      }
      return imputer.conditionalMean(observed, missing, items);
    }
    // The chains start where vi4j impute starts them: each missing value at its training mean.
    float[] means = run.trainMeans();
    float[] start = observed.clone();
    int d = means.length;
    for (int i = 0; i < start.length; i++) {
      if (missing[i]) {
        start[i] = means[i % d];
      }
    }
    if (method.equals(Columns.MEAN)) {
      return start;
    }
    long[] seeds = new long[items];
    for (int i = 0; i < items; i++) {
      seeds[i] = io.vi4j.api.kit.math.RowNoise.rowSeed(run.seed(), ids[i]);
    }
    try (var noise = io.vi4j.api.kit.math.RowNoise.perRow(seeds)) {
      return switch (method) {
        case Columns.PSEUDO_GIBBS -> Imputation.pseudoGibbs(model, observed, missing, start, items, iterations);
        case Columns.METROPOLIS_WITHIN_GIBBS ->
            Imputation.metropolisWithinGibbs(model, observed, missing, start, items, iterations);
        default -> throw new IllegalArgumentException("a VAE imputes by " + Columns.PSEUDO_GIBBS + ", "
            + Columns.METROPOLIS_WITHIN_GIBBS + " or " + Columns.MEAN + ", not " + method);
      };
    }
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
    if (baselineManager != null) {
      baselineManager.close();
    }
  }
}
