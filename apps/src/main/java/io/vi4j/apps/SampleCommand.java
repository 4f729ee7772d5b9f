package io.vi4j.apps;

import io.vi4j.api.data.Dataset;
import io.vi4j.core.run.Pictures;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vi4j sample RUN_DIR}: PNG grids of prior samples and of test reconstructions. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Write PNG grids of prior samples and of test items beside their reconstructions.")
final class SampleCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_DIR") Path runDir;

  @Option(names = "--count", description = "items per grid (default: ${DEFAULT-VALUE})", defaultValue = "100")
  int count;

  @Option(names = "--seed", description = "seed of the prior draws (default: ${DEFAULT-VALUE})", defaultValue = "1")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1, got " + count);
    }
    try (Runtime.RestoredRun restored = Runtime.restore(runDir, java.util.List.of())) {
      Dataset test = restored.experiment().loadData().test();
      if (!test.isImage()) {
        throw new IllegalArgumentException(runDir + ": items of shape "
            + java.util.Arrays.toString(test.itemShape()) + " are not images; no grid can be drawn");
      }
      io.vi4j.core.engine.Engines.seed(seed);
      Path samples = restored.directory().file("samples-" + seed + ".png");
      Path reconstructions = restored.directory().file("reconstructions.png");
      Pictures.priorSamples(restored.model(), count, test.itemShape(), samples);
      Pictures.reconstructions(restored.model(), test, count, reconstructions);
      System.out.println("written: " + samples);
      System.out.println("written: " + reconstructions);
    }
    return 0;
  }
}
