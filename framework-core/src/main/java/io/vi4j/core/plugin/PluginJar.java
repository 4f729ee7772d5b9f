package io.vi4j.core.plugin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A plugin jar loaded from outside vi4j's class path (with {@code --plugins} or {@code VI4J_PLUGINS}), in
 * its own class loader.
 *
 * @param path the jar, as given (or as found in a given folder)
 * @param sha256 the SHA-256 of its bytes, lower-case hex: what a run directory records to tell one build
 *     of a plugin from another
 */
public record PluginJar(Path path, String sha256) {

  /** Checks that both parts are given. */
  public PluginJar {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
  }

  /** @return the jar's file name (such as {@code student-t-prior-1.0.jar}), what a run records */
  public String fileName() {
    Path name = path.getFileName();
    return name == null ? path.toString() : name.toString();
  }

  /** @return the path, for messages */
  @Override
  public String toString() {
    return path.toString();
  }
}
