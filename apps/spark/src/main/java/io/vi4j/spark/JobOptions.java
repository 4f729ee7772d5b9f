package io.vi4j.spark;

import java.io.Serializable;

/**
 * How a job reads and writes rows.
 *
 * @param idColumn the column of row ids (integers): kept in the output, and with the run's seed the seed
 *     of the row's noise, so a row's result does not depend on the partitioning
 * @param featuresColumn an array column holding each row's {@code D} values, or null: every numeric column
 *     but the id (and the mask), in order
 * @param maskColumn for {@code impute}: an array column of booleans, true where a value is missing; null:
 *     null or NaN values are the missing ones
 * @param batchSize rows scored at once in a partition
 * @param k importance samples for {@code neg_log_px}
 * @param elboSamples latent samples for {@code neg_elbo}'s reconstruction term ({@code vi4j score} uses 10)
 * @param method the imputation method
 * @param iterations the imputation sampler's iterations
 * @param arrays embed as two array columns ({@code mean}, {@code log_variance}) instead of numbered ones
 * @param strict fail the job at the first bad row, naming its file and id, instead of a status column
 */
public record JobOptions(String idColumn, String featuresColumn, String maskColumn, int batchSize, int k,
    int elboSamples, String method, int iterations, boolean arrays, boolean strict) implements Serializable {

  /** The most importance samples per row, as {@code vi4j score}. */
  public static final int MAX_K = 100_000;

  /** Checks every setting, naming the one at fault. */
  public JobOptions {
    if (idColumn == null || idColumn.isBlank()) {
      throw new IllegalArgumentException("an id column is needed (--id): it seeds each row's noise");
    }
    if (batchSize < 1 || batchSize > 1 << 16) {
      throw new IllegalArgumentException("--batch-size must be between 1 and 65536 rows, got " + batchSize);
    }
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("--k must be between 1 and " + MAX_K + " importance samples, got " + k);
    }
    if (elboSamples < 1 || elboSamples > 10_000) {
      throw new IllegalArgumentException("--elbo-samples must be between 1 and 10000, got " + elboSamples);
    }
    if (iterations < 1 || iterations > 100_000) {
      throw new IllegalArgumentException("--iterations must be between 1 and 100000, got " + iterations);
    }
  }

  /** @return the defaults: id column {@code id}, features from every other numeric column, batches of 256, k = 100. */
  public static JobOptions defaults() {
    return new JobOptions("id", null, null, 256, 100, 10, Columns.METROPOLIS_WITHIN_GIBBS, 100, false, false);
  }

  /** @return these options with another id column. */
  public JobOptions withId(String column) {
    return new JobOptions(column, featuresColumn, maskColumn, batchSize, k, elboSamples, method, iterations, arrays, strict);
  }

  /** @return these options with the features in one array column. */
  public JobOptions withFeatures(String column) {
    return new JobOptions(idColumn, column, maskColumn, batchSize, k, elboSamples, method, iterations, arrays, strict);
  }

  /** @return these options with a mask column. */
  public JobOptions withMask(String column) {
    return new JobOptions(idColumn, featuresColumn, column, batchSize, k, elboSamples, method, iterations, arrays, strict);
  }

  /** @return these options with another batch size. */
  public JobOptions withBatchSize(int rows) {
    return new JobOptions(idColumn, featuresColumn, maskColumn, rows, k, elboSamples, method, iterations, arrays, strict);
  }

  /** @return these options with {@code k} importance samples. */
  public JobOptions withK(int samples) {
    return new JobOptions(idColumn, featuresColumn, maskColumn, batchSize, samples, elboSamples, method, iterations,
        arrays, strict);
  }

  /** @return these options with another imputation method and iteration count. */
  public JobOptions withImputation(String name, int count) {
    return new JobOptions(idColumn, featuresColumn, maskColumn, batchSize, k, elboSamples, name, count, arrays, strict);
  }

  /** @return these options with embeddings as array columns, or not. */
  public JobOptions withArrays(boolean asArrays) {
    return new JobOptions(idColumn, featuresColumn, maskColumn, batchSize, k, elboSamples, method, iterations,
        asArrays, strict);
  }

  /** @return these options, failing at the first bad row or not. */
  public JobOptions withStrict(boolean failFast) {
    return new JobOptions(idColumn, featuresColumn, maskColumn, batchSize, k, elboSamples, method, iterations, arrays,
        failFast);
  }
}
