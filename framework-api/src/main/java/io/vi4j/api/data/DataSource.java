package io.vi4j.api.data;

import java.io.IOException;

/** Loads a dataset's train and test splits. Built from a {@code DataSpec} by a named factory. */
public interface DataSource {

  /**
   * Loads (or generates) the data.
   *
   * @throws IOException when a file cannot be read; bad content is reported with the file's name
   */
  DataSplits load() throws IOException;

  /**
   * @return whether item {@code i} of the training split is the same item every time the data are loaded
   *     (files read in their order, data generated from a seed): a model with parameters per training item
   *     ({@link io.vi4j.api.model.PerItemFamily}) needs it, to train, resume and evaluate row {@code i} for
   *     the same item; a source that samples or shuffles anew at each load returns false. True by default.
   */
  default boolean stableItemIndex() {
    return true;
  }
}
