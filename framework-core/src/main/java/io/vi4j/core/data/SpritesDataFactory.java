package io.vi4j.core.data;

import io.vi4j.api.data.DataSource;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentFactory;

/**
 * Builds a {@link DataSource} of the built-in {@link SpritesDataset} from a {@link SpritesDataSpec};
 * both splits are named {@code sprites (built-in, seed S)}. The generation happens at {@link
 * DataSource#load()}.
 */
public final class SpritesDataFactory implements ComponentFactory<SpritesDataSpec, DataSource> {

  /** The config {@code type} this factory is registered under. */
  public static final String NAME = "sprites";

  @Override
  public Class<SpritesDataSpec> specType() {
    return SpritesDataSpec.class;
  }

  @Override
  public DataSource create(SpritesDataSpec spec, BuildContext context) {
    return () -> {
      Dataset train = SpritesDataset.train(spec.trainSize(), spec.seed()).dataset();
      Dataset test = SpritesDataset.test(spec.testSize(), spec.seed()).dataset();
      return Preprocessing.finish(train, test, spec.binarization(), spec.seed(), null, null);
    };
  }
}
