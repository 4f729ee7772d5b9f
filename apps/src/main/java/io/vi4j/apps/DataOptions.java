package io.vi4j.apps;

import io.vi4j.api.data.DataSplits;
import io.vi4j.api.density.DataKind;
import io.vi4j.core.run.Experiment;
import java.io.IOException;
import picocli.CommandLine.Option;

/** The {@code --data YAML} option of the commands that can use other data than the run's ({@code @Mixin} it). */
final class DataOptions {
  @Option(names = "--data", paramLabel = "YAML",
      description = "score, encode or impute other data: a data section, e.g. '{type: idx, train_images: a.gz, test_images: b.gz}'"
          + " (its test split is used; default: the run's own data)")
  String data;

  /** @return whether {@code --data} names other data than the run's */
  boolean given() {
    return data != null;
  }

  /**
   * @param own the run's own data, prepared
   * @param experiment the run's experiment, whose registry and protocol load and prepare the other data
   * @param kind what values the model is a density of
   * @return the {@code --data} splits, prepared for the run's protocol; {@code own} without {@code --data}
   */
  DataSplits or(DataSplits own, Experiment experiment, DataKind kind) throws IOException {
    DataSplits other = Runtime.otherData(data, experiment, kind);
    return other == null ? own : other;
  }
}
