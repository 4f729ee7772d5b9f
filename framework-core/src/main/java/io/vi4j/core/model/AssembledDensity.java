package io.vi4j.core.model;

import ai.djl.Device;
import ai.djl.nn.ParameterList;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.density.TrainableDensity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A density trained by maximum likelihood (an autoregressive model) with the manager that owns its
 * parameters, saved to and loaded from {@code parameters.bin} as an {@link AssembledModel} is. Closing it
 * frees every native array the density holds.
 */
public final class AssembledDensity implements AutoCloseable {
  private final TrainableDensity density;
  private final NDManager manager;

  /**
   * @param density the density, its parameters initialized on {@code manager}
   * @param manager the long-lived manager its parameters live on; closed with this object
   */
  public AssembledDensity(TrainableDensity density, NDManager manager) {
    this.density = density;
    this.manager = manager;
  }

  /** @return the density. */
  public TrainableDensity density() {
    return density;
  }

  /** @return the manager that owns the parameters; per-batch managers are its children. */
  public NDManager manager() {
    return manager;
  }

  /** @return the device the parameters live on. */
  public Device device() {
    return manager.getDevice();
  }

  /** @return every parameter, named {@code density.NAME}. */
  public ParameterList parameters() {
    ParameterList all = new ParameterList();
    density.parameters().forEach(p -> all.add("density." + p.getKey(), p.getValue()));
    return all;
  }

  /** @return the number of scalar parameters. */
  public long parameterCount() {
    return parameters().values().stream().mapToLong(p -> p.getArray().getShape().size()).sum();
  }

  /** Writes the parameters to {@code file} atomically. */
  public void save(Path file) throws IOException {
    file().write(file);
  }

  /**
   * Reads parameters written by {@link #save}.
   *
   * @throws IOException naming the file when it is missing, corrupt, or written by another model
   */
  public void load(Path file) throws IOException {
    file().load(file);
  }

  private ParameterFile file() {
    return new ParameterFile(List.of(density), List.of("density"), this::parameters, manager);
  }

  @Override
  public void close() {
    manager.close();
  }
}
