package io.vi4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** The columns a job adds after the input's, the status last. */
final class OutputSchema {
  private OutputSchema() {}

  static List<StructField> added(Job job, ShippedRun run, JobOptions options) {
    List<StructField> fields = new ArrayList<>();
    switch (job) {
      case SCORE -> {
        if (!run.baseline()) {
          fields.add(DataTypes.createStructField(Columns.KL, DataTypes.DoubleType, true));
          fields.add(DataTypes.createStructField(Columns.NEG_ELBO, DataTypes.DoubleType, true));
        }
        fields.add(DataTypes.createStructField(Columns.NEG_LOG_PX, DataTypes.DoubleType, true));
      }
      case EMBED -> {
        int l = run.latentDimension();
        if (l == 0) {
          throw new IllegalArgumentException(run.path() + ": this baseline has no latent representation (PPCA has)");
        }
        if (options.arrays()) {
          fields.add(DataTypes.createStructField(Columns.MEAN,
              DataTypes.createArrayType(DataTypes.FloatType, false), true));
          if (run.logVariances()) {
            fields.add(DataTypes.createStructField(Columns.LOG_VARIANCE,
                DataTypes.createArrayType(DataTypes.FloatType, false), true));
          }
        } else {
          for (int j = 0; j < l; j++) {
            fields.add(DataTypes.createStructField(Columns.MEAN + "_" + j, DataTypes.FloatType, true));
          }
          if (run.logVariances()) {
            for (int j = 0; j < l; j++) {
              fields.add(DataTypes.createStructField(Columns.LOG_VARIANCE + "_" + j, DataTypes.FloatType, true));
            }
          }
        }
      }
      case IMPUTE -> fields.add(DataTypes.createStructField(Columns.IMPUTED,
          DataTypes.createArrayType(DataTypes.FloatType, false), true));
      default -> throw new IllegalStateException("unknown job " + job);
    }
    fields.add(DataTypes.createStructField(Columns.STATUS, DataTypes.StringType, false));
    return fields;
  }
}
