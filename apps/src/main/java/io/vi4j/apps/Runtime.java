package io.vi4j.apps;

import io.vi4j.core.config.ConfigLoader;
import io.vi4j.core.config.ExperimentSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.run.DataFingerprint;
import io.vi4j.core.run.Experiment;
import io.vi4j.core.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What every command needs: the plugins, the config loader, and a trained run restored from disk. */
final class Runtime {
  private Runtime() {}

  /** @return {@code runs/NAME-yyyyMMdd-HHmmss}, the default place of a new run or comparison. */
  static Path defaultOutput(String name) {
    return Path.of("runs", name + "-"
        + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  /**
   * A place to load outside plugin jars from, as given.
   *
   * @param path a jar or a folder of jars
   * @param origin where it was given ({@code --plugins} or {@code VI4J_PLUGINS}), for messages
   */
  record PluginLocation(String path, String origin) {}

  private static List<PluginLocation> pluginLocations = List.of();
  private static java.util.function.Consumer<String> pluginWarnings = w -> {};
  private static PluginRegistry plugins;

  /**
   * Sets where this command's outside plugin jars come from (the command line sets it before each command
   * runs, and clears it after); the plugins are loaded on first use.
   *
   * @param warnings hears what is odd but not wrong (a folder without jars), as one line each
   */
  static void usePlugins(List<PluginLocation> locations, java.util.function.Consumer<String> warnings) {
    pluginLocations = List.copyOf(locations);
    pluginWarnings = warnings;
    plugins = null;
  }

  private static ProgressBars progress = new ProgressBars(System.out, false, true);
  private static java.util.function.Consumer<String> warnings = System.err::println;

  /** Sets where this command's warnings go, one line each (the command line's error stream). */
  static void useWarnings(java.util.function.Consumer<String> lines) {
    warnings = lines;
  }

  /** Sets how this command shows progress (the command line sets it before each command runs). */
  static void useProgress(ProgressBars bars) {
    progress = bars;
  }

  /** @return how this command shows progress: bars, lines, or nothing */
  static ProgressBars progress() {
    return progress;
  }

  /**
   * Writes the run's {@code report.html} again, now that a command has added outputs, and says where it is;
   * when the page cannot be written, says so in a warning and goes on (the command's outputs stand).
   *
   * @param runDir the run directory
   */
  static void writeReport(Path runDir) {
    try {
      Path page = io.vi4j.core.page.RunPage.write(runDir);
      System.out.println("report: " + page);
    } catch (IOException | RuntimeException e) {
      // The command's own outputs are written; a page that cannot be drawn does not undo them.
      warnings.accept("vi4j: warning: " + runDir.resolve(io.vi4j.core.page.RunPage.FILE) + " not written: "
          + Vi4jCommand.oneLine(String.valueOf(e.getMessage())));
    }
  }

  /** How the engine's threads are chosen when a command does not say, for {@code --help}. */
  static final String DEFAULT_THREADS_TEXT = "one per core, one for training steps too small to split";

  /**
   * Sets the engine's thread count for this process before the engine starts.
   *
   * @param threads intra-op threads; null keeps the default
   */
  static void useThreads(Integer threads) {
    if (threads != null) {
      Engines.useThreads(threads);
    }
  }

  /**
   * @return one line naming the engine, its version, its intra-op threads, OpenMP's wait policy and whether
   *     the launcher's MKL dispatch library is loaded (docs/performance.md), as training reports them;
   *     the thread count comes from the engine itself (PyTorch's JNI layer, looked up at run time: vi4j
   *     compiles against DJL's API only)
   */
  static String engineLine() {
    var engine = Engines.pytorch();
    int count = Engines.threads();
    String threads = count == 0 ? "threads unknown" : count + (count == 1 ? " thread" : " threads");
    String policy = System.getenv("OMP_WAIT_POLICY");
    String preload = System.getenv("LD_PRELOAD");
    return "engine: " + engine.getEngineName() + " " + engine.getVersion() + ", " + threads
        + (policy == null || policy.isBlank() ? "" : ", OMP_WAIT_POLICY=" + io.vi4j.core.io.Printable.line(policy))
        + (preload != null && preload.contains("libvi4j-mkl-dispatch") ? ", MKL by features" : "");
  }

  /** @return every plugin: built in, and those of the jars {@link #usePlugins} named; with the engine started. */
  static PluginRegistry registry() {
    Engines.pytorch();
    return plugins();
  }

  /**
   * @return every plugin, loaded once per command: built in, and those of the jars {@link #usePlugins} named
   * @throws io.vi4j.core.plugin.PluginException naming the jar or path at fault
   */
  static PluginRegistry plugins() {
    if (plugins == null) {
      List<Path> paths = new java.util.ArrayList<>();
      for (PluginLocation location : pluginLocations) {
        Path path;
        try {
          path = Path.of(location.path());
        } catch (java.nio.file.InvalidPathException e) {
          throw new io.vi4j.core.plugin.PluginException(io.vi4j.core.io.Printable.quote(location.path())
              + ": not a path (given by " + location.origin() + ")");
        }
        if (location.path().isEmpty()) {
          throw new io.vi4j.core.plugin.PluginException("an empty path names no plugin jar or folder (given by "
              + location.origin() + ")");
        }
        if (!Files.exists(path)) {
          throw new io.vi4j.core.plugin.PluginException(path + ": no such plugin jar or folder (given by "
              + location.origin() + ")");
        }
        paths.add(path);
      }
      plugins = PluginRegistry.load(paths, warning -> pluginWarnings.accept("vi4j: warning: "
          + Vi4jCommand.oneLine(warning)));
    }
    return plugins;
  }

  /**
   * A run's resolved config and trained model, with its data loaded once: {@code raw} as the source gives
   * it, {@code prepared} as the model was trained and evaluated on (its protocol applied).
   */
  record RestoredRun(RunDirectory directory, Experiment experiment, AssembledModel model,
      io.vi4j.api.data.DataSplits raw, Experiment.PreparedData prepared) implements AutoCloseable {

    /** @return the splits the model was trained and evaluated on. */
    io.vi4j.api.data.DataSplits data() {
      return prepared.splits();
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * A model of a run with an exact {@code log p(x)}: a baseline refitted from its run's config, or a density
   * trained by maximum likelihood (MADE) with its saved parameters; the data prepared as when it was fitted.
   *
   * @param name the model's config type ({@code gmm}, {@code made}, ...), for messages
   */
  record ExactDensity(ExperimentSpec spec, Experiment experiment, io.vi4j.api.density.DensityModel model,
      io.vi4j.api.density.DataKind dataKind, Experiment.PreparedData prepared, ai.djl.ndarray.NDManager manager,
      String name) implements AutoCloseable {
    /** @return the splits the model was fitted and evaluated on. */
    io.vi4j.api.data.DataSplits data() {
      return prepared.splits();
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /**
   * The exact density a run directory holds: a baseline refitted (baselines do not save parameters; their
   * fits are deterministic for the run's seed), or a trained density with its parameters loaded.
   *
   * @return null when the run is a latent-variable model's
   */
  static ExactDensity exactDensity(Path runDir) throws IOException {
    RunDirectory run = RunDirectory.open(runDir);
    PluginRegistry registry = registry();
    io.vi4j.core.run.RunChecks.checkSamePlugins(run, registry); // before the config, whose names a missing jar leaves unknown
    ExperimentSpec spec = new ConfigLoader(registry).load(run.file(RunDirectory.CONFIG), List.of());
    if (spec.baseline() == null && spec.density() == null) {
      return null;
    }
    run.requireFinished(spec.baseline() != null ? "fitted baseline" : "trained density");
    Experiment experiment = new Experiment(spec, registry, run.dataDirectory(Path.of("").toAbsolutePath()));
    var raw = experiment.loadData();
    io.vi4j.core.run.RunChecks.checkSameData(run, DataFingerprint.of(raw));
    if (spec.density() != null) {
      io.vi4j.core.model.AssembledDensity density = experiment.buildDensity(raw.train());
      try {
        density.load(parameters(run, runDir));
        var kind = density.density().dataKind();
        return new ExactDensity(spec, experiment, density.density(), kind, experiment.prepare(raw, kind),
            density.manager(), registry.nameOf(spec.density()));
      } catch (IOException | RuntimeException e) {
        density.close();
        throw e;
      }
    }
    var manager = Engines.pytorch().newBaseManager();
    try {
      var model = registry.create(io.vi4j.api.plugin.ComponentKind.BASELINE, spec.baseline(),
          new io.vi4j.api.plugin.BuildContext(raw.train().columns(), 0, manager, null));
      var prepared = experiment.prepare(raw, model.dataKind());
      Engines.seed(experiment.fitSeed());
      model.fit(prepared.splits().train(), manager, experiment.fitSeed());
      return new ExactDensity(spec, experiment, model, model.dataKind(), prepared, manager,
          registry.nameOf(spec.baseline()));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static Path parameters(RunDirectory run, Path runDir) throws IOException {
    Path parameters = run.file(RunDirectory.PARAMETERS);
    if (!Files.isRegularFile(parameters)) {
      throw new IOException(runDir + ": no " + RunDirectory.PARAMETERS + " although the run finished; it was"
          + " deleted or moved: train the run again");
    }
    return parameters;
  }

  /**
   * Loads other data given on the command line as a YAML data section (such as
   * {@code {type: idx, train_images: a.gz, test_images: b.gz}}), prepared for the run's protocol.
   *
   * @param yaml the section, or null for none
   * @return the other data's splits, or null when {@code yaml} is null
   */
  static io.vi4j.api.data.DataSplits otherData(String yaml, Experiment experiment, io.vi4j.api.density.DataKind kind)
      throws IOException {
    if (yaml == null) {
      return null;
    }
    io.vi4j.api.plugin.DataSpec spec = new ConfigLoader(experiment.registry())
        .parseSection(yaml, io.vi4j.api.plugin.DataSpec.class, "--data");
    spec = io.vi4j.core.data.TableDataSpec.withSchemaOf(spec, experiment.spec().data()); // a table: the run's columns
    io.vi4j.api.data.DataSplits raw = experiment.registry()
        .create(io.vi4j.api.plugin.ComponentKind.DATA, spec,
            new io.vi4j.api.plugin.BuildContext(0, 0, null, Path.of("").toAbsolutePath()))
        .load();
    return experiment.prepare(raw, kind).splits();
  }

  /** Rebuilds the model a run directory describes and loads its trained parameters. */
  static RestoredRun restore(Path runDir, List<String> overrides) throws IOException {
    RunDirectory run = RunDirectory.open(runDir);
    PluginRegistry registry = registry();
    io.vi4j.core.run.RunChecks.checkSamePlugins(run, registry); // before the config, whose names a missing jar leaves unknown
    ConfigLoader loader = new ConfigLoader(registry);
    ExperimentSpec spec = loader.load(run.file(RunDirectory.CONFIG), overrides);
    if (spec.baseline() != null || spec.density() != null) {
      throw new IllegalArgumentException(runDir + " holds " + (spec.baseline() != null ? "a fitted baseline ('"
          + registry.nameOf(spec.baseline()) : "a density without latents ('" + registry.nameOf(spec.density()))
          + "'); this command works on latent-variable models (evaluate, sample and score work on every model)");
    }
    run.requireFinished("trained model");
    Path parameters = parameters(run, runDir);
    Experiment experiment = new Experiment(spec, registry, run.dataDirectory(Path.of("").toAbsolutePath()));
    io.vi4j.api.data.DataSplits raw = experiment.loadData();
    io.vi4j.core.run.RunChecks.checkSameData(run, DataFingerprint.of(raw));
    AssembledModel model = experiment.buildModel(raw.train());
    try {
      model.load(parameters);
      return new RestoredRun(run, experiment, model, raw,
          experiment.prepare(raw, model.model().decoder().dataKind()));
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
