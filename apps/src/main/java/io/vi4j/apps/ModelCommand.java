package io.vi4j.apps;

import io.vi4j.api.kit.nn.Network;
import io.vi4j.api.model.Trainable;
import io.vi4j.api.plugin.ComponentSpec;
import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.run.Experiment;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vi4j model CONFIG}: builds the model a config describes for its data, runs every check training
 * would run first (shapes, support, estimator, memory), and prints each network's layers with their
 * output shapes and parameter counts; it trains nothing and writes nothing.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    header = "Show a config's networks (layers, shapes, parameters) after the checks training runs first.",
    description = "Build the model a config describes for its data and run the checks training runs first; print"
        + " every network's layers, their output shapes and parameter counts. Trains and writes nothing.")
final class ModelCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG", description = "YAML or JSON experiment config")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config value (repeatable)")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PluginRegistry registry = Runtime.registry();
    ExperimentSpec spec = new ConfigLoader(registry).load(config, overrides);
    if (spec.baseline() != null) {
      throw new IllegalArgumentException(config + " describes a baseline ('" + registry.nameOf(spec.baseline())
          + "'), which has no networks; vi4j train fits it");
    }
    Experiment experiment = new Experiment(spec, registry, config.toAbsolutePath().getParent());
    var raw = experiment.loadData();
    if (spec.density() != null) {
      try (Experiment.DensitySetup setup = experiment.setUpDensity(raw)) {
        System.out.printf(java.util.Locale.ROOT, "%s: density '%s' on data %s (%s items of shape %s): %,d parameters;"
            + " one draw of new items takes %d network passes%n", spec.name(), registry.nameOf(spec.density()),
            raw.train().name(), raw.train().rows(), shape(raw.train().itemShape()), setup.density().parameterCount(),
            setup.density().density().samplingPasses());
      }
      return 0;
    }
    try (Experiment.Setup setup = experiment.setUp(raw)) {
      var parts = setup.model().model();
      PrintStream out = System.out;
      out.printf("%s: data %s (%s items of shape %s), latent dimension %d%n", spec.name(), raw.train().name(),
          raw.train().rows(), shape(raw.train().itemShape()), parts.latentDimension());
      long total = 0;
      total += print(out, "model.prior", registry.nameOf(spec.model().prior()), parts.prior());
      total += print(out, "model.encoder", registry.nameOf(spec.model().encoder()), parts.encoder());
      total += print(out, "model.decoder", registry.nameOf(spec.model().decoder()), parts.decoder());
      out.printf(Locale.ROOT, "%ntrained parameters: %,d%n", total);
      out.println("every check training runs first has passed (shapes, data support, estimator, memory)");
    }
    return 0;
  }

  /** Prints a part's networks; @return its trained parameters. */
  private static long print(PrintStream out, String path, String type, Trainable part) {
    long trained = part.parameters().values().stream().filter(p -> p.requiresGradient())
        .mapToLong(p -> p.getArray().getShape().size()).sum();
    out.printf(Locale.ROOT, "%n%s ('%s'): %,d trained parameters%n", path, type, trained);
    for (Map.Entry<String, Network> entry : part.networks().entrySet()) {
      Network network = entry.getValue();
      out.printf("  %-28s %-18s %-14s %12s%n", entry.getKey() + " (input)", "", Network.show(network.inputShape()), "");
      for (Network.Layer layer : network.layers()) {
        out.printf(Locale.ROOT, "  %-28s %-18s %-14s %,12d%n", layer.path(), layer.type(), Network.show(layer.output()),
            layer.parameters());
      }
    }
    return trained;
  }

  private static String shape(int[] dims) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      s.append(i == 0 ? "" : "×").append(dims[i]);
    }
    return s.toString();
  }
}
