package io.vi4j.core.run;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import io.vi4j.api.model.LatentVariableModel;
import io.vi4j.api.model.Trainable;
import io.vi4j.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A latent-variable model with the manager that owns its parameters. Closing it frees every native
 * array the model and its optimizer state hold.
 */
public final class AssembledModel implements AutoCloseable {
  private static final String MAGIC = "vi4j-parameters";
  private static final int FORMAT_VERSION = 1;

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
    AtomicFiles.write(file, os -> {
      DataOutputStream out = new DataOutputStream(os);
      out.writeUTF(MAGIC);
      out.writeInt(FORMAT_VERSION);
      List<Trainable> parts = model.parts();
      out.writeInt(parts.size());
      for (Trainable part : parts) {
        out.writeUTF(part.getClass().getName());
        part.saveParameters(out);
      }
      out.flush();
    });
  }

  /**
   * Reads parameters written by {@link #save} into this model's parts.
   *
   * @throws IOException naming the file when it is missing, truncated, of another format, or written by
   *     a model with different parts or shapes
   */
  public void load(Path file) throws IOException {
    try (InputStream is = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
      String magic;
      try {
        magic = in.readUTF();
      } catch (IOException e) {
        magic = "";
      }
      if (!MAGIC.equals(magic)) {
        throw new IOException(file + ": not a vi4j parameter file (no '" + MAGIC + "' header)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(file + ": parameter format version " + version + ", this vi4j reads "
            + FORMAT_VERSION);
      }
      List<Trainable> parts = model.parts();
      int count = in.readInt();
      if (count != parts.size()) {
        throw new IOException(file + ": holds " + count + " parts, the model has " + parts.size());
      }
      for (Trainable part : parts) {
        String kind = in.readUTF();
        if (!kind.equals(part.getClass().getName())) {
          throw new IOException(file + ": holds parameters of " + kind + " where the config builds "
              + part.getClass().getName());
        }
        try {
          part.loadParameters(manager, in);
        } catch (MalformedModelException | IllegalArgumentException e) {
          throw new IOException(file + ": parameters of " + kind + " do not fit the model built from the"
              + " config: " + e.getMessage(), e);
        }
      }
      // DJL's loader decodes arrays without the autograd flag: restore it, so that a loaded model can be
      // differentiated (gradient diagnostics, resumed training).
      model.parameters().forEach(p -> {
        if (p.getValue().requiresGradient()) {
          p.getValue().getArray().setRequiresGradient(true);
        }
      });
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such parameter file", e);
    } catch (EOFException e) {
      throw new IOException(file + ": truncated parameter file", e);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
