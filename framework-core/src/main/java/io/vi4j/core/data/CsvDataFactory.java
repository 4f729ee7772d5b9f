package io.vi4j.core.data;

import io.vi4j.api.data.DataSource;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentFactory;
import java.nio.file.Path;

/**
 * Builds a {@link DataSource} of CSV files from a {@link CsvDataSpec}. Nothing is read until {@link
 * DataSource#load()}; datasets are named by their files' paths.
 */
public final class CsvDataFactory implements ComponentFactory<CsvDataSpec, DataSource> {

  /** The config {@code type} this factory is registered under. */
  public static final String NAME = "csv";

  @Override
  public Class<CsvDataSpec> specType() {
    return CsvDataSpec.class;
  }

  @Override
  public DataSource create(CsvDataSpec spec, BuildContext context) {
    Path trainFile = SpecChecks.resolve(context, spec.train());
    Path testFile = SpecChecks.resolve(context, spec.test());
    CsvReader.Options options = new CsvReader.Options(spec.header(), spec.labelColumn());
    return () -> {
      Dataset train = shaped(CsvReader.read(trainFile, options), spec.itemShape(), trainFile);
      Dataset test = shaped(CsvReader.read(testFile, options), spec.itemShape(), testFile);
      if (spec.scale() != null) {
        float divisor = spec.scale().floatValue();
        if (!(divisor > 0) || Float.isInfinite(divisor)) {
          throw new IllegalArgumentException(
              "scale: " + spec.scale() + " is outside the float range; use a positive divisor such as 255");
        }
        Preprocessing.scaleFinite(train, divisor);
        Preprocessing.scaleFinite(test, divisor);
      }
      return Preprocessing.finish(
          train, test, spec.binarization(), spec.seed(), spec.limitTrain(), spec.limitTest());
    };
  }

  /** @return the data with {@code item_shape}, checked against the number of value columns. */
  private static Dataset shaped(Dataset data, java.util.List<Integer> itemShape, Path file) throws DataException {
    if (itemShape == null) {
      return data;
    }
    int[] shape = itemShape.stream().mapToInt(Integer::intValue).toArray();
    long size = 1;
    for (int d : shape) {
      size *= d;
    }
    if (size != data.columns()) {
      throw new DataException(file, "item_shape " + itemShape + " holds " + size + " values, but each row has "
          + data.columns() + " value columns");
    }
    return new Dataset(data.name(), data.values(), data.rows(), data.columns(), data.labels(), shape);
  }
}
