package io.vi4j.api.plugin;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * What a factory may need to build its component.
 *
 * @param dataDimension {@code D}, the length of one data item (0 when building a data source)
 * @param latentDimension {@code L} (0 when building a data source)
 * @param manager the model's long-lived manager, where parameters live (null when building a data source)
 * @param baseDirectory the directory relative file paths in a config are resolved against
 */
public record BuildContext(
    int dataDimension, int latentDimension, NDManager manager, Path baseDirectory) {

  /** Resolves a path written in a config against {@link #baseDirectory()}. */
  public Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || baseDirectory == null ? p : baseDirectory.resolve(p).normalize();
  }
}
