package io.vi4j.api.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a table file of a binary format (Parquet) as cells of text, for the {@code table} data source, which
 * reads CSV itself and finds readers of other formats with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.vi4j.api.data.TableFileReader}). A reader lives in its own module, so that the
 * core does not carry the libraries a format needs.
 */
public interface TableFileReader {

  /** @return the format's name, which is also the file extension it reads, such as {@code parquet} */
  String format();

  /**
   * Reads the whole file.
   *
   * @param file the file (an existing regular file)
   * @return the header and the rows; a missing cell (SQL {@code NULL}) is null, a number is written as
   *     {@link Double#toString} or {@link Long#toString} write it
   * @throws IOException when the file cannot be read, naming it
   */
  Cells read(Path file) throws IOException;

  /**
   * A table as text.
   *
   * @param header the column names, in order
   * @param rows one array per row, as wide as the header; null cells are missing
   */
  record Cells(List<String> header, List<String[]> rows) {}
}
