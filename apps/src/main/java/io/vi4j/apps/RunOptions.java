package io.vi4j.apps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * The {@code RUN_DIR} parameter of the commands that use a finished run ({@code @Mixin} it), and the two
 * ways they load that run.
 */
final class RunOptions {
  @Parameters(index = "0", paramLabel = "RUN_DIR") Path dir;

  /** @return the run's trained model and data, with the config as the run saved it */
  Runtime.RestoredRun restore() throws IOException {
    return restore(List.of());
  }

  /**
   * @param overrides {@code KEY=VALUE} changes to the saved config
   * @return the run's trained model and data
   */
  Runtime.RestoredRun restore(List<String> overrides) throws IOException {
    return Runtime.restore(dir, overrides);
  }

  /**
   * @return whether the run's model has an exact log-likelihood (a baseline or a trained density), read from
   *     its config; nothing is fitted or loaded
   */
  boolean isExactDensity() throws IOException {
    io.vi4j.core.run.RunDirectory run = io.vi4j.core.run.RunDirectory.open(dir);
    var registry = Runtime.plugins();
    io.vi4j.core.run.RunChecks.checkSamePlugins(run, registry);
    var spec = new io.vi4j.core.config.ConfigLoader(registry).load(run.file(io.vi4j.core.run.RunDirectory.CONFIG),
        List.of());
    return spec.baseline() != null || spec.density() != null;
  }

  /**
   * @return the run's model with an exact log-likelihood (a baseline, refitted, or a trained density);
   *     null when the run is a latent-variable model's
   */
  Runtime.ExactDensity exactDensity() throws IOException {
    return Runtime.exactDensity(dir);
  }

  /**
   * @param out the {@code --out} directory, or null
   * @param name the default directory's name inside the run
   * @return {@code out}, or {@code RUN_DIR/name}
   */
  Path output(Path out, String name) {
    return out == null ? dir.resolve(name) : out;
  }
}
