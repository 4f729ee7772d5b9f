package io.vi4j.core.data;

import io.vi4j.api.data.DataSource;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentFactory;
import java.nio.file.Path;

/**
 * Builds a {@link DataSource} of IDX files from an {@link IdxDataSpec}. Nothing is read until {@link
 * DataSource#load()}; datasets are named by their image files' paths.
 */
public final class IdxDataFactory implements ComponentFactory<IdxDataSpec, DataSource> {

  /** The config {@code type} this factory is registered under. */
  public static final String NAME = "idx";

  @Override
  public Class<IdxDataSpec> specType() {
    return IdxDataSpec.class;
  }

  @Override
  public DataSource create(IdxDataSpec spec, BuildContext context) {
    Path trainImages = SpecChecks.resolve(context, spec.trainImages());
    Path trainLabels = spec.trainLabels() == null ? null : SpecChecks.resolve(context, spec.trainLabels());
    Path testImages = SpecChecks.resolve(context, spec.testImages());
    Path testLabels = spec.testLabels() == null ? null : SpecChecks.resolve(context, spec.testLabels());
    return () -> {
      Dataset train = IdxReader.readDataset(trainImages, trainLabels);
      Dataset test = IdxReader.readDataset(testImages, testLabels);
      return Preprocessing.finish(
          train, test, spec.binarization(), spec.seed(), spec.limitTrain(), spec.limitTest());
    };
  }
}
