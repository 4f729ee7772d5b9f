package io.vi4j.spark;

import io.vi4j.api.data.Dataset;
import io.vi4j.core.data.Protocol;
import io.vi4j.core.uses.Representations;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The work of one partition: rows are read in batches of {@link JobOptions#batchSize()}, checked (a bad
 * row gets a status and null results, or fails the job in strict mode), prepared for the run's protocol,
 * and given to the executor's model; each output row is the input row (less the hidden file column) with
 * the job's columns after it. Nothing here depends on which rows share a batch.
 */
final class PartitionJob implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final ShippedRun run;
  private final Job job;
  private final JobOptions options;
  private final int idIndex;
  private final int featuresIndex;
  private final int[] featureColumns;
  private final int maskIndex;
  private final int fileIndex;
  private final int[] kept;
  private final int added;

  /**
   * @param featuresIndex the array column of the features, or −1 to read {@code featureColumns}
   * @param maskIndex the mask column, or −1
   * @param fileIndex the hidden file-name column (strict mode), or −1
   * @param kept the input columns the output keeps, in order (all but the features and the file column)
   */
  PartitionJob(ShippedRun run, Job job, JobOptions options, int idIndex, int featuresIndex, int[] featureColumns,
      int maskIndex, int fileIndex, int[] kept) {
    this.run = run;
    this.job = job;
    this.options = options;
    this.idIndex = idIndex;
    this.featuresIndex = featuresIndex;
    this.featureColumns = featureColumns;
    this.maskIndex = maskIndex;
    this.fileIndex = fileIndex;
    this.kept = kept;
    this.added = OutputSchema.added(job, run, options).size();
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    LoadedRun model = ExecutorModels.get(run);
    return new Iterator<>() {
      private Iterator<Row> pending = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!pending.hasNext() && input.hasNext()) {
          pending = batch(model, input).iterator();
        }
        return pending.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.next();
      }
    };
  }

  /** Reads up to a batch of rows and returns their output rows. */
  private List<Row> batch(LoadedRun model, Iterator<Row> input) {
    int d = run.columns();
    List<Row> rows = new ArrayList<>(options.batchSize());
    List<String> status = new ArrayList<>(options.batchSize());
    float[] values = new float[options.batchSize() * d];
    boolean[] missing = job == Job.IMPUTE ? new boolean[options.batchSize() * d] : null;
    long[] ids = new long[options.batchSize()];
    int valid = 0;
    while (rows.size() < options.batchSize() && input.hasNext()) {
      Row row = input.next();
      rows.add(row);
      String problem = read(row, values, missing, valid * d, model);
      if (problem == null) {
        ids[valid] = ((Number) row.get(idIndex)).longValue();
        prepare(values, valid * d, d, ids[valid]);
        valid++;
        status.add(Columns.OK);
      } else {
        if (options.strict()) {
          String file = fileIndex < 0 || row.isNullAt(fileIndex) ? "the input" : row.getString(fileIndex);
          Object id = row.isNullAt(idIndex) ? "null" : row.get(idIndex);
          throw new BadRowException(file + ", row " + options.idColumn() + "=" + id + ": " + problem);
        }
        status.add(problem);
      }
    }
    long[] validIds = java.util.Arrays.copyOf(ids, valid);
    Object[][] results = results(model, values, missing, validIds, valid, d);
    List<Row> out = new ArrayList<>(rows.size());
    int v = 0;
    for (int i = 0; i < rows.size(); i++) {
      boolean ok = status.get(i) == Columns.OK;
      out.add(output(rows.get(i), ok ? results[v++] : null, status.get(i)));
    }
    return out;
  }

  /** @return per valid row, the values of the job's columns (before the status) */
  private Object[][] results(LoadedRun model, float[] values, boolean[] missing, long[] ids, int valid, int d) {
    Object[][] results = new Object[valid][];
    if (valid == 0) {
      return results;
    }
    float[] batch = java.util.Arrays.copyOf(values, valid * d);
    switch (job) {
      case SCORE -> {
        Dataset data = new Dataset("batch", batch, valid, d, null, run.itemShape());
        Map<String, double[]> scores = model.score(data, ids, options.k(), options.elboSamples());
        for (int i = 0; i < valid; i++) {
          Object[] r = new Object[scores.size()];
          int c = 0;
          for (double[] s : scores.values()) {
            r[c++] = s[i];
          }
          results[i] = r;
        }
      }
      case EMBED -> {
        Dataset data = new Dataset("batch", batch, valid, d, null, run.itemShape());
        Representations.Encoding encoding = model.embed(data);
        int l = encoding.latentDimension();
        boolean lv = run.logVariances() && encoding.logVariances() != null;
        for (int i = 0; i < valid; i++) {
          float[] mean = java.util.Arrays.copyOfRange(encoding.means(), i * l, (i + 1) * l);
          float[] logVariance = lv ? java.util.Arrays.copyOfRange(encoding.logVariances(), i * l, (i + 1) * l) : null;
          results[i] = options.arrays() ? arrays(mean, logVariance, run.logVariances()) : numbered(mean, logVariance,
              run.logVariances(), l);
        }
      }
      case IMPUTE -> {
        boolean[] mask = java.util.Arrays.copyOf(missing, valid * d);
        float[] filled = model.impute(batch, mask, ids, options.method(), options.iterations());
        for (int i = 0; i < valid; i++) {
          float[] row = java.util.Arrays.copyOfRange(filled, i * d, (i + 1) * d);
          results[i] = new Object[] {toList(row)};
        }
      }
      default -> throw new IllegalStateException("unknown job " + job);
    }
    return results;
  }

  private static Object[] arrays(float[] mean, float[] logVariance, boolean withLogVariance) {
    return withLogVariance ? new Object[] {toList(mean), logVariance == null ? null : toList(logVariance)}
        : new Object[] {toList(mean)};
  }

  private static Object[] numbered(float[] mean, float[] logVariance, boolean withLogVariance, int l) {
    Object[] r = new Object[withLogVariance ? 2 * l : l];
    for (int j = 0; j < l; j++) {
      r[j] = mean[j];
      if (withLogVariance) {
        r[l + j] = logVariance == null ? null : logVariance[j];
      }
    }
    return r;
  }

  /** @return the values boxed, as Spark's row encoder takes an array column. */
  private static Float[] toList(float[] values) {
    Float[] boxed = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  /** @return the output row: the kept input columns, the results (nulls for a bad row), the status. */
  private Row output(Row row, Object[] results, String status) {
    Object[] values = new Object[kept.length + added];
    int c = 0;
    for (int i : kept) {
      values[c++] = row.get(i);
    }
    if (results != null) {
      System.arraycopy(results, 0, values, c, results.length);
    }
    values[values.length - 1] = status;
    return RowFactory.create(values);
  }

  /**
   * Copies a row's features into {@code values} at {@code at}.
   *
   * @return null, or what is wrong with the row
   */
  private String read(Row row, float[] values, boolean[] missing, int at, LoadedRun model) {
    if (row.isNullAt(idIndex)) {
      return "the id (" + options.idColumn() + ") is null";
    }
    int d = run.columns();
    int found;
    if (featuresIndex >= 0) {
      if (row.isNullAt(featuresIndex)) {
        return "the features are null";
      }
      List<Object> list = row.getList(featuresIndex);
      found = list.size();
      if (found != d) {
        return "wrong width: " + found + " values, the model reads " + d;
      }
      for (int j = 0; j < d; j++) {
        Object o = list.get(j);
        String problem = value(o, values, missing, at, j, model);
        if (problem != null) {
          return problem;
        }
      }
    } else {
      for (int j = 0; j < d; j++) {
        int c = featureColumns[j];
        String problem = value(row.isNullAt(c) ? null : row.get(c), values, missing, at, j, model);
        if (problem != null) {
          return problem;
        }
      }
    }
    if (missing != null && maskIndex >= 0) {
      if (row.isNullAt(maskIndex)) {
        return "the mask (" + options.maskColumn() + ") is null";
      }
      List<Object> mask = row.getList(maskIndex);
      if (mask.size() != d) {
        return "wrong mask width: " + mask.size() + " values, the model reads " + d;
      }
      for (int j = 0; j < d; j++) {
        missing[at + j] |= Boolean.TRUE.equals(mask.get(j));
      }
    }
    if (missing != null) {
      for (int j = 0; j < d; j++) {
        if (missing[at + j]) {
          values[at + j] = 0;
        } else if (!model.support().contains(values[at + j])) {
          return "position " + j + " has value " + values[at + j] + "; the model accepts " + model.support().description();
        }
      }
    }
    return null;
  }

  private String value(Object o, float[] values, boolean[] missing, int at, int j, LoadedRun model) {
    if (missing != null) {
      missing[at + j] = false;
    }
    if (o == null) {
      if (missing != null && maskIndex < 0) {
        missing[at + j] = true;
        return null;
      }
      return "position " + j + " is null";
    }
    if (!(o instanceof Number number)) {
      return "position " + j + " is not a number (" + o.getClass().getSimpleName() + ")";
    }
    float v = number.floatValue();
    if (Float.isNaN(v) && missing != null && maskIndex < 0) {
      missing[at + j] = true;
      return null;
    }
    if (Float.isNaN(v)) {
      return "position " + j + " is NaN";
    }
    values[at + j] = v;
    if (missing == null && !model.support().contains(v)) {
      return "position " + j + " has value " + v + "; the model accepts " + model.support().description();
    }
    return null;
  }

  /**
   * Prepares one row for the run's protocol: {@code dequantized-8bit} reads values as 8-bit levels and
   * adds uniform noise from the row's own stream, {@code (round(255 x) + u)/256}; other protocols take
   * the values as they are.
   */
  private void prepare(float[] values, int at, int d, long id) {
    if (run.protocol() != Protocol.DEQUANTIZED_8BIT) {
      return;
    }
    SplittableRandom random = new SplittableRandom(io.vi4j.api.kit.math.RowNoise.rowSeed(~run.seed(), id));
    for (int j = 0; j < d; j++) {
      values[at + j] = (float) ((Math.round(values[at + j] * 255.0) + random.nextDouble()) / 256.0);
    }
  }
}
