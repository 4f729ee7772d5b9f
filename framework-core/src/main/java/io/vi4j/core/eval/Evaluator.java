package io.vi4j.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.kit.nn.GradientFree;
import io.vi4j.api.kit.nn.Network;
import io.vi4j.api.kit.nn.TrainingMode;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.density.DensityModel;
import io.vi4j.api.kit.math.HostStaging;
import io.vi4j.api.kit.math.RowNoise;
import io.vi4j.api.kit.progress.Progress;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Trainable;
import io.vi4j.core.config.EvaluationSpec;
import io.vi4j.api.kit.elbo.ElboTerms;
import io.vi4j.core.model.AssembledModel;

/**
 * Evaluates a trained latent-variable model on held-out data. Every chunk runs in its own child manager,
 * and the chunk size is chosen so that the decoder's output ({@code K × items × D} floats) stays under
 * {@code max_chunk_elements}; the sample dimension itself is split when one item alone would exceed it.
 * Each item draws its latents from a stream of its own ({@link RowNoise}, seeded by one draw of the
 * engine's generator and the item's index), so an item's figures do not depend on the chunk size: a
 * smaller budget changes them by float rounding only, as long as one item's samples still fit one pass.
 */
public final class Evaluator {
  private static final HostStaging STAGING = new HostStaging();
  private final EvaluationSpec spec;

  /** @param spec sample counts and the chunk budget */
  public Evaluator(EvaluationSpec spec) {
    this.spec = spec;
  }

  /** @return the settings. */
  public EvaluationSpec spec() {
    return spec;
  }

  /**
   * Fits the posteriors of the first {@code items} items of {@code data} when the model has no encoder
   * ({@link io.vi4j.api.model.PerItemFamily}: test-time inference, timed); nothing otherwise. The methods that
   * take the result evaluate with it; those that do not fit their own.
   */
  public FittedPosteriors fitPosteriors(AssembledModel model, Dataset data, int items) {
    if (!(model.model().encoder() instanceof io.vi4j.api.model.PerItemFamily family)) {
      return FittedPosteriors.none();
    }
    return FittedPosteriors.fit(model, data, items, itemsPerChunk(model.model(), family.inference().samples(),
        data.columns()));
  }

  /**
   * The mean −ELBO per item over {@code data}, with {@code elbo_samples} latent samples per item (the
   * posteriors fitted first when the model has no encoder).
   */
  public ElboReport negativeElbo(AssembledModel model, Dataset data) {
    try (FittedPosteriors posteriors = fitPosteriors(model, data, data.rows())) {
      return negativeElbo(model, data, posteriors);
    }
  }

  /**
   * As {@link #negativeElbo(AssembledModel, Dataset)} with the posteriors already fitted for {@code data}.
   * Where the KL term has no closed form (a learned prior) it is the Monte-Carlo average of
   * {@code log q(t) − log p(t)} over the {@code elbo_samples} draws, and the report carries its standard
   * error ({@link ElboReport#klStandardError()}).
   */
  public ElboReport negativeElbo(AssembledModel model, Dataset data, FittedPosteriors posteriors) {
    LatentVariableModel parts = model.model();
    int samples = spec.elboSamples();
    int chunk = itemsPerChunk(parts, samples, data.columns());
    double reconstruction = 0;
    double kl = 0;
    boolean analytic = true;
    KlSpread spread = new KlSpread(samples);
    long seed = noiseSeed(model.manager());
    for (int from = 0; from < data.rows(); from += chunk) {
      int to = Math.min(data.rows(), from + chunk);
      try (NDManager manager = model.manager().newSubManager();
          TrainingMode.Scope noGradient = GradientFree.scope(); // forward passes only: fast kernels
          RowNoise.Scope noise = RowNoise.perRow(rowSeeds(seed, from, to));
          var bound = posteriors.bind(from, to, manager)) {
        NDArray batch = rows(manager, data, from, to);
        // As ElboTerms.estimate(parts, batch, samples, true), with the draws kept for the KL's spread.
        io.vi4j.api.distribution.Distribution posterior = parts.encoder().posterior(batch);
        NDArray latent = posterior.rsample(samples);
        ElboTerms terms = ElboTerms.of(parts, batch, posterior, latent);
        reconstruction += terms.reconstruction().toType(DataType.FLOAT64, false).sum().getDouble();
        kl += terms.kl().toType(DataType.FLOAT64, false).sum().getDouble();
        if (!terms.analyticKl()) {
          analytic = false;
          if (posterior.capabilities().contains(io.vi4j.api.distribution.Capability.DENSITY)) {
            NDArray logRatio = posterior.logProb(latent)
                .sub(parts.prior().distribution(manager, to - from).logProb(latent)); // (K, B)
            spread.add(logRatio.toType(DataType.FLOAT64, false));
          }
        }
      }
    }
    int n = data.rows();
    double stderr = analytic ? Double.NaN : spread.standardError();
    return new ElboReport((reconstruction + kl) / n, reconstruction / n, kl / n, n, posteriors.seconds(), stderr);
  }

  /**
   * Whether the model's KL term is a Monte-Carlo estimate (no closed form for its prior and posterior, and
   * a posterior with a density), found on the first item of {@code data}: a prior and a posterior family
   * have a closed form for every item or for none.
   *
   * @return false for an empty {@code data}, a closed-form KL, or a posterior without a density
   */
  public boolean hasMonteCarloKl(AssembledModel model, Dataset data, FittedPosteriors posteriors) {
    if (data.rows() == 0) {
      return false;
    }
    LatentVariableModel parts = model.model();
    try (NDManager manager = model.manager().newSubManager();
        TrainingMode.Scope noGradient = GradientFree.scope();
        var bound = posteriors.bind(0, 1, manager)) {
      io.vi4j.api.distribution.Distribution posterior = parts.encoder().posterior(rows(manager, data, 0, 1));
      return posterior.capabilities().contains(io.vi4j.api.distribution.Capability.DENSITY)
          && posterior.analyticKl(parts.prior().distribution(manager, 1)).isEmpty();
    }
  }

  /**
   * Accumulates what the standard error of the mean Monte-Carlo KL over {@code n} items needs. With
   * {@code K ≥ 2} draws per item it is the Monte-Carlo error alone, {@code sqrt(Σ_i s_i² / K) / n}, with
   * {@code s_i²} the sample variance of item i's {@code K} log-ratios; with one draw per item the within-item
   * variance cannot be told from the spread between items, and it is {@code sd_i(kl_i) / sqrt(n)}, which
   * is larger in expectation (it also counts the items' own spread): a conservative figure.
   */
  private static final class KlSpread {
    private final int samples;
    private double withinVariance; // Σ_i s_i²
    private double sum; // Σ_i kl_i
    private double sumOfSquares; // Σ_i kl_i²
    private long n; // items added

    KlSpread(int samples) {
      this.samples = samples;
    }

    /** @param logRatio shape {@code (K, B)}, float64: {@code log q(t_k | x_b) − log p(t_k)} */
    void add(NDArray logRatio) {
      NDArray perItem = logRatio.mean(new int[] {0});
      n += perItem.size();
      sum += perItem.sum().getDouble();
      sumOfSquares += perItem.square().sum().getDouble();
      if (samples > 1) {
        NDArray centred = logRatio.sub(perItem);
        withinVariance += centred.square().sum().getDouble() / (samples - 1);
      }
    }

    /** @return NaN when no item was added (a posterior without a density), or one item with one draw */
    double standardError() {
      if (n < 1 || (samples < 2 && n < 2)) {
        return Double.NaN;
      }
      if (samples > 1) {
        return Math.sqrt(withinVariance / samples) / n;
      }
      double mean = sum / n;
      double variance = Math.max(sumOfSquares - n * mean * mean, 0) / (n - 1);
      return Math.sqrt(variance / n);
    }
  }

  /**
   * The mean squared error per dimension between each item and the decoder's mean at the encoder's
   * mean (a sample where a mean is not known): the reconstruction error every latent-variable model
   * has, plain autoencoders included. Over the observed cells of data with missing (NaN) cells.
   */
  public double reconstructionMse(AssembledModel model, Dataset data) {
    try (FittedPosteriors posteriors = fitPosteriors(model, data, data.rows())) {
      return reconstructionMse(model, data, posteriors);
    }
  }

  /** As {@link #reconstructionMse(AssembledModel, Dataset)} with the posteriors already fitted for {@code data}. */
  public double reconstructionMse(AssembledModel model, Dataset data, FittedPosteriors posteriors) {
    LatentVariableModel parts = model.model();
    int chunk = itemsPerChunk(parts, 1, data.columns());
    double sum = 0;
    boolean incomplete = data.hasMissing();
    long seed = noiseSeed(model.manager());
    for (int from = 0; from < data.rows(); from += chunk) {
      int to = Math.min(data.rows(), from + chunk);
      try (NDManager manager = model.manager().newSubManager();
          TrainingMode.Scope noGradient = GradientFree.scope(); // forward passes only: fast kernels
          RowNoise.Scope noise = RowNoise.perRow(rowSeeds(seed, from, to));
          var bound = posteriors.bind(from, to, manager)) {
        NDArray batch = rows(manager, data, from, to);
        var posterior = parts.encoder().posterior(batch);
        NDArray latent = posterior.mean().orElseGet(() -> posterior.sample(1).squeeze(0));
        var conditional = parts.decoder().conditional(latent);
        NDArray mean = conditional.mean().orElseGet(() -> conditional.sample(1).squeeze(0));
        io.vi4j.core.model.MissingCells.Cells cells = incomplete ? io.vi4j.core.model.MissingCells.split(batch) : null;
        NDArray squared = incomplete
            ? mean.sub(cells.filled()).square().mul(cells.observed())
            : mean.sub(batch).square();
        sum += squared.toType(DataType.FLOAT64, false).sum().getDouble();
      }
    }
    return sum / (incomplete ? observedCells(data) : (double) data.rows() * data.columns());
  }

  /** @return how many values of {@code data} are observed (not NaN) */
  private static double observedCells(Dataset data) {
    long observed = 0;
    for (float v : data.values()) {
      observed += Float.isNaN(v) ? 0 : 1;
    }
    return observed;
  }

  /** The IWAE estimate with {@code iwae_k} samples on the first {@code iwae_items} items (0 = all). */
  public LogLikelihoodReport logLikelihood(AssembledModel model, Dataset data) {
    int items = spec.iwaeItems() == 0 ? data.rows() : Math.min(spec.iwaeItems(), data.rows());
    return logLikelihood(model, data, spec.iwaeK(), items);
  }

  /** As {@link #logLikelihood(AssembledModel, Dataset)} with the posteriors already fitted for {@code data}. */
  public LogLikelihoodReport logLikelihood(AssembledModel model, Dataset data, FittedPosteriors posteriors) {
    int items = spec.iwaeItems() == 0 ? data.rows() : Math.min(spec.iwaeItems(), data.rows());
    double[] meanAndError = meanAndStandardError(logLikelihoodPerItem(model, data, spec.iwaeK(), items, posteriors));
    return new LogLikelihoodReport(meanAndError[0], meanAndError[1], spec.iwaeK(), items);
  }

  /**
   * The IWAE estimate {@code log (1/k) Σ_j exp(log p(x|t_j) + log p(t_j) − log q(t_j|x))} per item,
   * averaged over the first {@code items} items.
   */
  public LogLikelihoodReport logLikelihood(AssembledModel model, Dataset data, int k, int items) {
    double[] meanAndError = meanAndStandardError(logLikelihoodPerItem(model, data, k, items));
    return new LogLikelihoodReport(meanAndError[0], meanAndError[1], k, items);
  }

  /** @return the IWAE estimate of {@code log p(x_i)} for each of the first {@code items} items, nats. */
  public double[] logLikelihoodPerItem(AssembledModel model, Dataset data, int k, int items) {
    try (FittedPosteriors posteriors = fitPosteriors(model, data, items)) {
      return logLikelihoodPerItem(model, data, k, items, posteriors);
    }
  }

  /**
   * As {@link #logLikelihoodPerItem(AssembledModel, Dataset, int, int)} with the posteriors already fitted
   * for (at least the first {@code items} items of) {@code data}.
   */
  public double[] logLikelihoodPerItem(
      AssembledModel model, Dataset data, int k, int items, FittedPosteriors posteriors) {
    if (k < 1) {
      throw new IllegalArgumentException("iwae_k must be at least 1, got " + k);
    }
    LatentVariableModel parts = model.model();
    long budget = spec.maxChunkElements();
    int samplesPerPass = (int) Math.max(1, Math.min(k, budget / widest(parts.decoder(), data.columns())));
    int chunk = itemsPerChunk(parts, samplesPerPass, data.columns());
    double[] out = new double[items];
    long seed = noiseSeed(model.manager());
    try (Progress.Stage stage = Progress.stage("IWAE log-likelihood (k = " + k + ")", items, "items")) {
      for (int from = 0; from < items; from += chunk) {
        int to = Math.min(items, from + chunk);
        try (NDManager manager = model.manager().newSubManager();
            TrainingMode.Scope noGradient = GradientFree.scope(); // forward passes only: fast kernels
            RowNoise.Scope noise = RowNoise.perRow(rowSeeds(seed, from, to));
            var bound = posteriors.bind(from, to, manager)) {
          NDArray batch = rows(manager, data, from, to);
          NDArray estimate = new ImportanceSampledDensity(parts, k, samplesPerPass).logLikelihood(batch);
          double[] values = estimate.toDoubleArray();
          System.arraycopy(values, 0, out, from, values.length);
        }
        stage.stepTo(to);
      }
    }
    return out;
  }

  /**
   * The exact (or the model's own estimate of) {@code log p(x)} of every item, in chunks of rows that
   * each run in their own child manager.
   *
   * @param parent the manager chunk managers are children of (the model's)
   * @return one value per item, nats
   */
  public double[] logLikelihoodPerItem(DensityModel model, Dataset data, NDManager parent) {
    int chunk = itemsPerChunk(1, data.columns());
    double[] out = new double[data.rows()];
    try (Progress.Stage stage = Progress.stage("log-likelihood", data.rows(), "items")) {
      for (int from = 0; from < data.rows(); from += chunk) {
        int to = Math.min(data.rows(), from + chunk);
        try (NDManager manager = parent.newSubManager()) {
          double[] values = model.logLikelihood(rows(manager, data, from, to))
              .toType(DataType.FLOAT64, false).toDoubleArray();
          System.arraycopy(values, 0, out, from, values.length);
        }
        stage.stepTo(to);
      }
    }
    return out;
  }

  /** @return the mean and its standard error over items. */
  public static double[] meanAndStandardError(double[] values) {
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= values.length;
    double variance = 0;
    for (double v : values) {
      variance += (v - mean) * (v - mean);
    }
    variance /= Math.max(1, values.length - 1);
    return new double[] {mean, Math.sqrt(variance / values.length)};
  }

  /** Items per chunk of a density's pass: its input and output are one row each. */
  private int itemsPerChunk(int samples, int columns) {
    long perItem = (long) samples * columns;
    return (int) Math.max(1, Math.min(4096, spec.maxChunkElements() / perItem));
  }

  /**
   * Items per chunk of a pass that encodes each item once and decodes {@code samples} latents of each:
   * the widest array such a chunk makes (the encoder's widest layer per item, the decoder's widest layer
   * or its output per sample) stays under {@code max_chunk_elements}. A convolutional decoder's hidden
   * layers are several times its output ({@code 32×14×14} against {@code 784}); counting the output only,
   * its arrays outgrew the allocator's reuse (glibc maps blocks above 32 MiB fresh from the kernel at each
   * allocation), and its IWAE spent three quarters of its time in page faults.
   */
  private int itemsPerChunk(LatentVariableModel parts, int samples, int columns) {
    long perItem = Math.max((long) samples * widest(parts.decoder(), columns), widest(parts.encoder(), columns));
    return (int) Math.max(1, Math.min(4096, spec.maxChunkElements() / perItem));
  }

  /** @return the most floats one item (or sample) occupies in {@code part}: {@code columns} or its widest layer. */
  public static long widest(Trainable part, int columns) {
    long widest = columns;
    for (Network network : part.networks().values()) {
      for (Network.Layer layer : network.layers()) {
        widest = Math.max(widest, layer.output().size());
      }
    }
    return widest;
  }

  /** @return whether {@code part} has a convolutional layer (a {@code conv…} layer type). */
  public static boolean convolutional(Trainable part) {
    for (Network network : part.networks().values()) {
      for (Network.Layer layer : network.layers()) {
        if (layer.type().startsWith("conv")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The seed of one evaluation's noise, drawn from the engine's generator (which the caller seeds: the
   * trainer from its seed and the epoch). Each item then draws from a stream of its own seeded by this
   * seed and its index ({@link RowNoise}), so that its figures do not depend on the items it shares a
   * chunk with, nor on how many that is ({@code max_chunk_elements}).
   */
  private static long noiseSeed(NDManager parent) {
    try (NDManager scratch = parent.newSubManager()) {
      return scratch.randomInteger(0, Long.MAX_VALUE, new Shape(1), DataType.INT64).getLong();
    }
  }

  /** @return the seeds of items {@code [from, to)}: {@link RowNoise#rowSeed} of {@code seed} and each index */
  private static long[] rowSeeds(long seed, int from, int to) {
    long[] seeds = new long[to - from];
    for (int i = from; i < to; i++) {
      seeds[i - from] = RowNoise.rowSeed(seed, i);
    }
    return seeds;
  }

  /**
   * Copies rows {@code [from, to)} to the device, shape {@code (to − from, D)}, through this thread's
   * reused direct buffer ({@link HostStaging}: a heap buffer would reach the engine through a fresh
   * direct buffer per chunk, held until a garbage collection).
   */
  public static NDArray rows(NDManager manager, Dataset data, int from, int to) {
    int d = data.columns();
    int size = Math.multiplyExact(to - from, d);
    STAGING.floats(size).put(data.values(), from * d, size);
    return STAGING.copy(manager, new Shape(to - from, d));
  }

}
