package io.vi4j.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Trainable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A latent-variable model with the manager that owns its parameters. Closing it frees every native
 * array the model and its optimizer state hold.
 */
public final class AssembledModel implements AutoCloseable {
  /** What the parts of {@link LatentVariableModel#parts()} are, in order, for messages. */
  private static final List<String> ROLES = List.of("prior", "encoder", "decoder");

  private final LatentVariableModel model;
  private final NDManager manager;

  /**
   * @param model the parts
   * @param manager the long-lived manager their parameters live on; closed with this object
   */
  public AssembledModel(LatentVariableModel model, NDManager manager) {
    this.model = model;
    this.manager = manager;
  }

  /** @return the parts. */
  public LatentVariableModel model() {
    return model;
  }

  /** @return the manager that owns the parameters; per-batch managers are its children. */
  public NDManager manager() {
    return manager;
  }

  /** @return the device the parameters live on. */
  public Device device() {
    return manager.getDevice();
  }

  /** @return the number of scalar parameters. */
  public long parameterCount() {
    return model.parameters().values().stream()
        .mapToLong(p -> p.getArray().getShape().size())
        .sum();
  }

  /** Writes every part's parameters to {@code file} atomically (a temporary file, then a move). */
  public void save(Path file) throws IOException {
    file().write(file);
  }

  /**
   * Reads parameters written by {@link #save} into this model's parts.
   *
   * @throws IOException naming the file when it is missing, truncated, of another format, or written by
   *     a model with different parts or shapes
   */
  public void load(Path file) throws IOException {
    file().load(file);
  }

  private ParameterFile file() {
    return new ParameterFile(model.parts(), ROLES, model::parameters, manager);
  }

  @Override
  public void close() {
    manager.close();
  }
}
