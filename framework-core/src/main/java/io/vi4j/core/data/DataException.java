package io.vi4j.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file that is missing or whose content is wrong (bad magic number, truncated data, a
 * non-numeric CSV cell, ...), or a dataset whose values do not suit the requested preprocessing.
 *
 * <p>It is a checked {@link IOException}, so it travels through {@link
 * io.vi4j.api.data.DataSource#load()}. The message always starts with the source (the file path or
 * the dataset's name) followed by {@code ": "} and the problem, for example {@code
 * /data/train.idx: wrong magic number 0x00000901, expected 0x0000 then a type code and a dimension
 * count (0x00000803 for images)}.
 */
public class DataException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String problem;

  /**
   * @param source the file path or dataset name the problem concerns
   * @param problem what is wrong, in words
   */
  public DataException(String source, String problem) {
    super(Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(problem, "problem"));
    this.source = source;
    this.problem = problem;
  }

  /**
   * @param file the file the problem concerns
   * @param problem what is wrong, in words
   */
  public DataException(Path file, String problem) {
    this(String.valueOf(file), problem);
  }

  /**
   * @param file the file the problem concerns
   * @param problem what is wrong, in words
   * @param cause the underlying exception
   */
  public DataException(Path file, String problem, Throwable cause) {
    super(String.valueOf(file) + ": " + Objects.requireNonNull(problem, "problem"), cause);
    this.source = String.valueOf(file);
    this.problem = problem;
  }

  /** @return the file path or dataset name the problem concerns */
  public String source() {
    return source;
  }

  /** @return the problem, without the source prefix */
  public String problem() {
    return problem;
  }
}
