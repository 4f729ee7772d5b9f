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

  /** @return whether the run is a fitted baseline's (read from its config; nothing is fitted) */
  boolean isBaseline() throws IOException {
    io.vi4j.core.run.RunDirectory run = io.vi4j.core.run.RunDirectory.open(dir);
    var registry = Runtime.plugins();
    io.vi4j.core.run.RunChecks.checkSamePlugins(run, registry);
    return new io.vi4j.core.config.ConfigLoader(registry).load(run.file(io.vi4j.core.run.RunDirectory.CONFIG),
        List.of()).baseline() != null;
  }

  /** @return the baseline the run fitted, refitted; null when the run is not a baseline's */
  Runtime.RefittedBaseline refitBaseline() throws IOException {
    return Runtime.refitBaseline(dir);
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
