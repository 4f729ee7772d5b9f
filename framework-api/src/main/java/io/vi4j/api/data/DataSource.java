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
}
