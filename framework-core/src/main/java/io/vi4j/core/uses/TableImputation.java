package io.vi4j.core.uses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.data.TableColumn;
import io.vi4j.api.data.TableSchema;
import io.vi4j.api.distribution.Distribution;
import io.vi4j.api.kit.math.NdMath;
import io.vi4j.api.kit.progress.Progress;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.model.MissingCells;
import java.util.SplittableRandom;

/**
 * Imputation of the missing (NaN) cells of a table, and its evaluation on observed cells hidden on purpose.
 *
 * <p>A latent-variable model imputes by importance sampling (Mattei &amp; Frellsen 2019, MIWAE, section 4): with
 * {@code t_k ~ q(t | x_o)} and self-normalised weights {@code w_k ∝ p(x_o | t_k) p(t_k) / q(t_k | x_o)}, a
 * continuous or count cell gets {@code Σ_k w_k E[x_m | t_k]}, a binary or categorical cell the level of highest
 * {@code Σ_k w_k p(x_m = level | t_k)}. Values are in the dataset's stored units (standardised continuous
 * columns, level codes).
 */
public final class TableImputation {
  private TableImputation() {}

  /**
   * Hides {@code round(fraction · observed)} of the observed cells, chosen uniformly at random without
   * replacement (missing completely at random).
   *
   * @param data the items, NaN where a cell is missing
   * @param fraction in (0, 1)
   * @param seed seeds the choice
   * @return length {@code rows·columns}: true where an observed cell is hidden
   */
  public static boolean[] hide(Dataset data, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("the fraction of cells to hide must lie in (0, 1), got " + fraction);
    }
    float[] values = data.values();
    int observed = 0;
    for (float v : values) {
      observed += Float.isNaN(v) ? 0 : 1;
    }
    int[] cells = new int[observed];
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (!Float.isNaN(values[i])) {
        cells[n++] = i;
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    int count = (int) Math.round(fraction * observed);
    boolean[] hidden = new boolean[values.length];
    for (int i = 0; i < count; i++) { // a partial Fisher-Yates shuffle: the first count cells
      int j = i + random.nextInt(observed - i);
      int swap = cells[i];
      cells[i] = cells[j];
      cells[j] = swap;
      hidden[cells[i]] = true;
    }
    return hidden;
  }

  /** @return a copy of {@code data}'s values with the {@code hidden} cells set to NaN. */
  public static float[] withHidden(Dataset data, boolean[] hidden) {
    float[] out = data.values().clone();
    for (int i = 0; i < out.length; i++) {
      if (hidden[i]) {
        out[i] = Float.NaN;
      }
    }
    return out;
  }

  /**
   * The imputation to beat: a missing cell gets its column's mean over the observed training cells, or, in a
   * binary or categorical column of a table, its most frequent level.
   *
   * @param values row-major {@code items × D}, NaN where missing
   * @param train the training split (NaN where missing)
   * @return a copy of {@code values} with every NaN filled
   */
  public static float[] columnMeans(float[] values, Dataset train) {
    int d = train.columns();
    float[] fill = new float[d];
    TableSchema table = train.table();
    double[] means = io.vi4j.api.data.IncompleteData.observedColumnMeans(train.values(), d);
    for (int j = 0; j < d; j++) {
      TableColumn column = table == null ? null : table.column(j);
      if (column != null && discrete(column)) {
        long[] counts = new long[column.levels().size()];
        for (int i = 0; i < train.rows(); i++) {
          float v = train.values()[i * d + j];
          if (!Float.isNaN(v)) {
            counts[Math.max(0, Math.min(counts.length - 1, Math.round(v)))]++;
          }
        }
        int mode = 0;
        for (int c = 1; c < counts.length; c++) {
          mode = counts[c] > counts[mode] ? c : mode;
        }
        fill[j] = mode;
      } else {
        fill[j] = Double.isNaN(means[j]) ? 0f : (float) means[j];
      }
    }
    float[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      if (Float.isNaN(out[i])) {
        out[i] = fill[i % d];
      }
    }
    return out;
  }

  /**
   * Importance-weighted imputation by a latent-variable model built for missing cells (see the class).
   *
   * @param model a model whose likelihood scores observed cells ({@link MissingCells})
   * @param values row-major {@code items × D}, NaN where missing
   * @param items {@code N}
   * @param table the columns (null: every column continuous)
   * @param k importance samples per item
   * @param batchSize items per batch
   * @return a copy of {@code values} with every NaN filled
   */
  public static float[] importanceWeighted(
      AssembledModel model, float[] values, int items, TableSchema table, int k, int batchSize) {
    LatentVariableModel parts = model.model();
    if (!MissingCells.scoresObservedCells(parts.decoder())) {
      throw new IllegalArgumentException("the model was trained on complete data that are not a table, so it was"
          + " not built for missing cells; train it on the table (data.type: table)");
    }
    if (parts.encoder() instanceof io.vi4j.api.model.PerItemFamily) {
      throw new IllegalArgumentException("importance-weighted imputation needs an encoder q(t | x); the model's"
          + " family keeps a posterior per training item");
    }
    int d = values.length / items;
    int levels = 0;
    if (table != null) {
      for (TableColumn column : table.columns()) {
        levels = discrete(column) ? Math.max(levels, column.levels().size()) : levels;
      }
    }
    float[] out = values.clone();
    try (Progress.Stage stage = Progress.stage("importance-weighted imputation", items, "items")) {
      for (int from = 0; from < items; from += batchSize) {
        int to = Math.min(items, from + batchSize);
        stage.stepTo(from);
        try (NDManager manager = model.manager().newSubManager()) {
          float[] rows = java.util.Arrays.copyOfRange(values, from * d, to * d);
          NDArray x = manager.create(rows, new Shape(to - from, d));
          Distribution posterior = parts.encoder().posterior(x);
          NDArray t = posterior.sample(k);
          Distribution conditional = parts.decoder().conditional(t);
          NDArray logWeight = conditional.logProb(x)
              .add(parts.prior().distribution(manager, to - from).logProb(t))
              .sub(posterior.logProb(t));
          NDArray weight = logWeight.sub(NdMath.logSumExp(logWeight, 0).expandDims(0)).exp(); // (k, B)
          NDArray mean = conditional.mean().orElseThrow(() -> new IllegalArgumentException(
              "importance-weighted imputation needs the likelihood's mean"));
          float[] expected = mean.mul(weight.expandDims(2)).sum(new int[] {0}).toFloatArray();
          float[] best = levels > 0 ? likeliestLevels(conditional, weight, rows, d, table, levels) : null;
          for (int i = 0; i < rows.length; i++) {
            if (Float.isNaN(rows[i])) {
              TableColumn column = table == null ? null : table.column(i % d);
              out[from * d + i] = column != null && discrete(column) ? best[i] : expected[i];
            }
          }
        }
      }
      stage.stepTo(items);
    }
    return out;
  }

  /**
   * @return per cell of {@code rows}, the level of highest weighted probability {@code Σ_k w_k p(x = level | t_k)}
   *     (set at the discrete missing cells only)
   */
  private static float[] likeliestLevels(
      Distribution conditional, NDArray weight, float[] rows, int d, TableSchema table, int levels) {
    float[] best = new float[rows.length];
    float[] bestProbability = new float[rows.length];
    java.util.Arrays.fill(bestProbability, -1f);
    NDManager manager = weight.getManager();
    for (int level = 0; level < levels; level++) {
      float[] candidate = rows.clone();
      for (int i = 0; i < rows.length; i++) {
        TableColumn column = table.column(i % d);
        if (Float.isNaN(rows[i]) && discrete(column)) {
          candidate[i] = Math.min(level, column.levels().size() - 1);
        }
      }
      NDArray value = manager.create(candidate, new Shape(rows.length / d, d));
      float[] probability = conditional.logProbPerCoordinate(value).exp().mul(weight.expandDims(2))
          .sum(new int[] {0}).toFloatArray();
      for (int i = 0; i < rows.length; i++) {
        TableColumn column = table.column(i % d);
        if (Float.isNaN(rows[i]) && discrete(column) && level < column.levels().size()
            && probability[i] > bestProbability[i]) {
          bestProbability[i] = probability[i];
          best[i] = level;
        }
      }
    }
    return best;
  }

  /**
   * Rounds the discrete cells of an imputation made by a model that treats level codes as numbers (PPCA, a
   * Gaussian mixture) to the nearest level, and counts to the nearest non-negative integer.
   *
   * @return a copy of {@code values}
   */
  public static float[] toLevels(float[] values, TableSchema table) {
    float[] out = values.clone();
    if (table == null) {
      return out;
    }
    int d = table.columns().size();
    for (int i = 0; i < out.length; i++) {
      TableColumn column = table.column(i % d);
      if (discrete(column)) {
        out[i] = Math.max(0, Math.min(column.levels().size() - 1, Math.round(out[i])));
      } else if (column.kind() == TableColumn.Kind.COUNT) {
        out[i] = Math.max(0, Math.round(out[i]));
      }
    }
    return out;
  }

  /** @return whether a column's cells are levels (binary or categorical). */
  static boolean discrete(TableColumn column) {
    return column.kind() == TableColumn.Kind.BINARY || column.kind() == TableColumn.Kind.CATEGORICAL;
  }

  /**
   * How well hidden cells were recovered.
   *
   * @param continuousRmse root mean squared error over the hidden continuous cells, in standardised units
   *     (NaN when none)
   * @param continuousCells how many
   * @param countRmse root mean squared error over the hidden count cells (NaN when none)
   * @param countCells how many
   * @param accuracy the fraction of hidden binary and categorical cells given their true level (NaN when none)
   * @param discreteCells how many
   */
  public record Errors(double continuousRmse, long continuousCells, double countRmse, long countCells,
      double accuracy, long discreteCells) {}

  /**
   * @param imputed the imputation, row-major
   * @param truth the values before hiding
   * @param hidden true where a cell was hidden
   * @param table the columns (null: every column continuous)
   */
  public static Errors errors(float[] imputed, float[] truth, boolean[] hidden, TableSchema table) {
    int d = table == null ? 1 : table.columns().size();
    double continuous = 0;
    long continuousCells = 0;
    double count = 0;
    long countCells = 0;
    long right = 0;
    long discreteCells = 0;
    for (int i = 0; i < imputed.length; i++) {
      if (!hidden[i]) {
        continue;
      }
      TableColumn column = table == null ? null : table.column(i % d);
      double error = imputed[i] - truth[i];
      if (column != null && discrete(column)) {
        right += Math.round(imputed[i]) == Math.round(truth[i]) ? 1 : 0;
        discreteCells++;
      } else if (column != null && column.kind() == TableColumn.Kind.COUNT) {
        count += error * error;
        countCells++;
      } else {
        continuous += error * error;
        continuousCells++;
      }
    }
    return new Errors(
        continuousCells == 0 ? Double.NaN : Math.sqrt(continuous / continuousCells), continuousCells,
        countCells == 0 ? Double.NaN : Math.sqrt(count / countCells), countCells,
        discreteCells == 0 ? Double.NaN : right / (double) discreteCells, discreteCells);
  }
}
