package io.vi4j.core.run;

import io.vi4j.core.model.AssembledModel;
import io.vi4j.core.model.MissingCells;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vi4j.api.distribution.Capability;
import io.vi4j.api.estimator.GradientEstimator;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Likelihood;
import io.vi4j.api.model.LikelihoodCapability;
import io.vi4j.api.model.Prior;
import io.vi4j.api.model.VariationalFamily;
import io.vi4j.api.plugin.BuildContext;
import io.vi4j.api.plugin.ComponentKind;
import io.vi4j.api.plugin.ComponentSpec;
import io.vi4j.api.plugin.EstimatorSpec;
import io.vi4j.core.InputException;
import io.vi4j.core.config.ModelSpec;
import io.vi4j.core.engine.Engines;
import io.vi4j.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Builds models and estimators from specs through the plugin registry, and checks they fit together. */
public final class ModelAssembler {
  /** The largest latent dimension a model is built with (a guard against sizes that overflow). */
  public static final int MAX_LATENT_DIMENSION = 1 << 20;

  private final PluginRegistry registry;
  private final Path baseDirectory;

  /**
   * @param registry the plugins
   * @param baseDirectory what relative paths in specs are resolved against
   */
  public ModelAssembler(PluginRegistry registry, Path baseDirectory) {
    this.registry = registry;
    this.baseDirectory = baseDirectory;
  }

  /** @return the plugins this assembler builds from. */
  public PluginRegistry registry() {
    return registry;
  }

  /**
   * Builds a model on a new manager on {@code device}; parameters are initialized from the engine's
   * random stream, seeded with {@code seed} first.
   */
  public AssembledModel model(ModelSpec spec, int dataDimension, Device device, long seed) {
    return model(spec, new int[] {dataDimension}, device, seed);
  }

  /**
   * As {@link #model(ModelSpec, int, Device, long)} for items of {@code itemShape} ({@code [D]} or
   * {@code [C, H, W]}): networks of layers are built for that shape and checked against it.
   */
  public AssembledModel model(ModelSpec spec, int[] itemShape, Device device, long seed) {
    return model(spec, itemShape, device, seed, 0);
  }

  /**
   * As {@link #model(ModelSpec, int[], Device, long)} for a training split of {@code trainItems} items, which a
   * family with parameters per item ({@link io.vi4j.api.model.PerItemFamily}) needs.
   */
  public AssembledModel model(ModelSpec spec, int[] itemShape, Device device, long seed, int trainItems) {
    return model(spec, itemShape, device, seed, trainItems, null);
  }

  /**
   * As {@link #model(ModelSpec, int[], Device, long, int)} for a table's columns ({@link BuildContext#table()}:
   * a likelihood over mixed columns takes its column groups from them), or null when the data are not a table;
   * a table's model is built for missing cells.
   */
  public AssembledModel model(ModelSpec spec, int[] itemShape, Device device, long seed, int trainItems,
      io.vi4j.api.data.TableSchema table) {
    return model(spec, itemShape, device, seed, trainItems, table, table != null);
  }

  /**
   * As {@link #model(ModelSpec, int[], Device, long, int)} for the data of a table ({@code table}, or null) and,
   * when {@code missingCells}, for data with missing (NaN) cells: the likelihood then scores observed cells
   * only and the encoder, built for twice the item's values, sees the data filled with 0 and the mask of
   * observed cells ({@link MissingCells}).
   */
  public AssembledModel model(ModelSpec spec, int[] itemShape, Device device, long seed, int trainItems,
      io.vi4j.api.data.TableSchema table, boolean missingCells) {
    int dataDimension = java.util.Arrays.stream(itemShape).reduce(1, (a, b) -> a * b);
    int[] networkShape = networkShape(itemShape);
    if (spec.latentDim() > MAX_LATENT_DIMENSION) {
      throw new IllegalArgumentException("model.latent_dim: " + spec.latentDim() + " is more than vi4j builds (at most "
          + MAX_LATENT_DIMENSION + ")");
    }
    Engines.seed(seed);
    NDManager manager = Engines.pytorch().newBaseManager(device);
    try {
      BuildContext context = new BuildContext(
          dataDimension, spec.latentDim(), manager, baseDirectory, networkShape, trainItems, table);
      Prior prior = build("model.prior", ComponentKind.PRIOR, spec.prior(), context);
      BuildContext encoderContext = missingCells
          ? new BuildContext(2 * dataDimension, spec.latentDim(), manager, baseDirectory, withMask(networkShape),
              trainItems, table)
          : context;
      VariationalFamily encoder =
          build("model.encoder", ComponentKind.VARIATIONAL_FAMILY, spec.encoder(), encoderContext);
      Likelihood decoder = build("model.decoder", ComponentKind.LIKELIHOOD, spec.decoder(), context);
      LatentVariableModel parts = new LatentVariableModel(prior, encoder, decoder, dataDimension);
      if (missingCells) {
        parts = MissingCells.view(parts, !(encoder instanceof io.vi4j.api.model.PerItemFamily));
        encoder = parts.encoder();
      }
      if (prior instanceof io.vi4j.api.model.EncoderAware aware) {
        try {
          aware.bindEncoder(encoder);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("model.prior ('" + registry.nameOf(spec.prior()) + "') with model.encoder ('"
              + registry.nameOf(spec.encoder()) + "'): " + e.getMessage(), e);
        }
      }
      if (prior.latentDimension() != spec.latentDim()) {
        throw new IllegalStateException("prior '" + registry.nameOf(spec.prior()) + "' has latent dimension "
            + prior.latentDimension() + " but model.latent_dim is " + spec.latentDim());
      }
      return new AssembledModel(parts, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Builds a density trained by maximum likelihood ({@code density} section) for items of {@code itemShape},
   * its parameters initialized from {@code seed}.
   *
   * @throws IllegalArgumentException naming {@code density} and the setting at fault
   */
  public io.vi4j.core.model.AssembledDensity density(
      io.vi4j.api.plugin.DensitySpec spec, int[] itemShape, Device device, long seed, int trainItems) {
    int dataDimension = java.util.Arrays.stream(itemShape).reduce(1, (a, b) -> a * b);
    Engines.seed(seed);
    NDManager manager = Engines.pytorch().newBaseManager(device);
    try {
      BuildContext context = new BuildContext(dataDimension, 0, manager, baseDirectory, networkShape(itemShape),
          trainItems);
      io.vi4j.api.model.TrainableDensity density = build("density", ComponentKind.DENSITY, spec, context);
      return new io.vi4j.core.model.AssembledDensity(density, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * @return the shape of an item followed by its mask: {@code [2D]} for flat items, {@code [2C, H, W]} for
   *     images (the mask's channels after the item's)
   */
  private static int[] withMask(int[] networkShape) {
    int[] doubled = networkShape.clone();
    doubled[0] *= 2;
    return doubled;
  }

  /**
   * @return the item shape networks see: {@code [D]} for flat items, {@code [1, H, W]} for a grey image
   *     stored as {@code [H, W]} (one channel), {@code [C, H, W]} as it is; any other rank is flat
   */
  static int[] networkShape(int[] itemShape) {
    if (itemShape.length == 2) {
      return new int[] {1, itemShape[0], itemShape[1]};
    }
    if (itemShape.length == 1 || itemShape.length == 3) {
      return itemShape.clone();
    }
    return new int[] {java.util.Arrays.stream(itemShape).reduce(1, (a, b) -> a * b)};
  }

  /**
   * Builds one part, naming its place in the config when its sizes are impossible or its parameters do
   * not fit in memory.
   */
  private <S extends io.vi4j.api.plugin.ComponentSpec, T> T build(
      String path, ComponentKind<S, T> kind, S spec, BuildContext context) {
    try {
      return registry.create(kind, spec, context);
    } catch (io.vi4j.api.kit.nn.LayerShapeException e) {
      throw new IllegalArgumentException(path + "." + e.path() + ": " + e.problem(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + " ('" + registry.nameOf(spec) + "'): " + e.getMessage(), e);
    } catch (ai.djl.engine.EngineException e) {
      if (io.vi4j.core.engine.NativeErrors.isOutOfMemory(e)) {
        throw new IllegalArgumentException(path + " ('" + registry.nameOf(spec) + "'): its parameters do not fit in"
            + " memory (" + io.vi4j.core.engine.NativeErrors.firstLine(e) + "); use smaller widths", e);
      }
      throw e;
    }
  }

  /**
   * Builds an estimator and checks, before any training, that the model's variational family can do
   * what the estimator needs.
   *
   * @throws IncompatibleAssemblyException naming the part and the missing capability
   */
  public GradientEstimator estimator(EstimatorSpec spec, ModelSpec modelSpec, AssembledModel model) {
    BuildContext context = new BuildContext(
        model.model().dataDimension(), model.model().latentDimension(), model.manager(), baseDirectory);
    GradientEstimator estimator = build("estimator", ComponentKind.ESTIMATOR, spec, context);
    Set<Capability> has = model.model().encoder().posteriorCapabilities();
    Set<Capability> missing = EnumSet.noneOf(Capability.class);
    missing.addAll(estimator.requiredPosteriorCapabilities());
    missing.removeAll(has);
    if (!missing.isEmpty()) {
      throw new IncompatibleAssemblyException(
          "estimator '" + registry.nameOf(spec) + "'" + settings("estimator", spec) + " needs " + missing
              + " from the variational family, but encoder '" + registry.nameOf(modelSpec.encoder())
              + "' provides only " + has);
    }
    Set<LikelihoodCapability> offered = model.model().decoder().capabilities();
    Set<LikelihoodCapability> lacking = EnumSet.noneOf(LikelihoodCapability.class);
    lacking.addAll(estimator.requiredLikelihoodCapabilities());
    lacking.removeAll(offered);
    if (!lacking.isEmpty()) {
      throw new IncompatibleAssemblyException(
          "estimator '" + registry.nameOf(spec) + "'" + settings("estimator", spec) + " needs " + lacking
              + " from the likelihood, but decoder '"
              + registry.nameOf(modelSpec.decoder()) + "' provides only " + offered
              + "; a score-function estimator needs neither");
    }
    return estimator;
  }

  private static final ObjectMapper SETTINGS = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /**
   * A component's settings as a config spells them, for messages: what an estimator needs may follow from
   * them (an {@code iwae} estimator needs {@code DETACH} only with {@code gradient: dreg}), so the user sees
   * which line of the config asked for it.
   *
   * @return such as {@code " (estimator.samples: 5, estimator.gradient: dreg)"}, or empty when the spec has
   *     no settings or cannot be written
   */
  static String settings(String path, ComponentSpec spec) {
    try {
      JsonNode tree = SETTINGS.valueToTree(spec);
      List<String> fields = new ArrayList<>();
      tree.fields().forEachRemaining(field -> {
        if (!field.getKey().equals("type")) {
          JsonNode value = field.getValue();
          fields.add(path + "." + field.getKey() + ": " + (value.isValueNode() ? value.asText() : value.toString()));
        }
      });
      return fields.isEmpty() ? "" : " (" + String.join(", ", fields) + ")";
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** A model whose parts cannot work together; found when it is built, before training. */
  public static final class IncompatibleAssemblyException extends InputException {
    private static final long serialVersionUID = 1L;

    /** @param message names the parts and what is missing */
    public IncompatibleAssemblyException(String message) {
      super(message);
    }
  }
}
