package io.vi4j.apps;

import io.vi4j.core.compare.Comparison;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vi4j compare CONFIG}: train a config's variants over its seeds and compare them. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    header = "Train every variant of a config over its seeds and compare them in tables and pictures.",
    description = "Train every variant in the config's compare section with every seed, each into its own run"
        + " directory, then write curves.png, samples.png, comparison.md, comparison-PROTOCOL.csv (one per"
        + " evaluation protocol), comparison.json and report.html (a page of the comparison, linking each run's own"
        + " page) into the output directory.")
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG") Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a base config value (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: runs/compare-NAME-TIMESTAMP)")
  Path out;

  @Override
  public Integer call() throws Exception {
    PluginRegistry registry = Runtime.registry();
    ConfigLoader loader = new ConfigLoader(registry);
    Path dir = out != null ? out
        : Runtime.defaultOutput("compare-" + config.getFileName().toString().replaceAll("\\.(ya?ml|json)$", ""));
    boolean bar = Runtime.progress().bars();
    List<Comparison.Run> runs = new Comparison(registry, loader).run(config, overrides, dir, label -> {
      System.out.println("== " + label);
      return new ProgressListener(System.out, bar);
    });
    System.out.println();
    System.out.print(Files.readString(dir.resolve("comparison.md")));
    System.out.println("\n" + runs.size() + " runs; written: " + dir.toAbsolutePath());
    System.out.println("report: " + dir.resolve(io.vi4j.core.page.RunPage.FILE));
    return 0;
  }
}
