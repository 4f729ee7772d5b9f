package io.vi4j.core.data;

import io.vi4j.api.data.DataSource;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentFactory;
import java.nio.file.Path;

/**
 * Builds a {@link DataSource} of Fashion-MNIST (or any MNIST-style directory) from a {@link
 * FashionMnistDataSpec}. The directory is checked at {@link DataSource#load()}; when it is missing the
 * error says to {@code apt-get install dataset-fashion-mnist}.
 */
public final class FashionMnistDataFactory
    implements ComponentFactory<FashionMnistDataSpec, DataSource> {

  /** The config {@code type} this factory is registered under. */
  public static final String NAME = "fashion-mnist";

  @Override
  public Class<FashionMnistDataSpec> specType() {
    return FashionMnistDataSpec.class;
  }

  @Override
  public DataSource create(FashionMnistDataSpec spec, BuildContext context) {
    Path directory = SpecChecks.resolve(context, spec.directory());
    return () -> {
      IdxReader.IdxFiles files = IdxReader.locateMnistFiles(directory);
      Dataset train = IdxReader.readDataset(files.trainImages(), files.trainLabels());
      Dataset test = IdxReader.readDataset(files.testImages(), files.testLabels());
      return Preprocessing.finish(
          train, test, spec.binarization(), spec.seed(), spec.limitTrain(), spec.limitTest());
    };
  }
}
