package io.vi4j.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
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
 * {@code parameters.bin}: the parameters of a model's parts, in order, behind a header (a magic string, a
 * format version, the payload's length and its CRC-32), written atomically. Reading checks the header,
 * then that the file holds the parts the config builds, with every parameter's shape, and finite values
 * only; every failure names the file and what is wrong.
 */
public final class ParameterFile {
  private static final String MAGIC = "vi4j-parameters";
  private static final int FORMAT_VERSION = 2;
  private static final String ANOTHER_MODEL = "; the file was written by another model (was config.yaml edited,"
      + " or parameters.bin copied from another run?)";

  private final List<Trainable> parts;
  private final List<String> roles;
  private final java.util.function.Supplier<ai.djl.nn.ParameterList> named;
  private final NDManager manager;

  /**
   * @param parts the model's parts in their fixed order
   * @param roles what each part is, for messages ({@code prior}, {@code encoder}, ...)
   * @param named every parameter of the parts by a unique name (read again after loading)
   * @param manager the manager the parameters live on
   */
  public ParameterFile(List<Trainable> parts, List<String> roles,
      java.util.function.Supplier<ai.djl.nn.ParameterList> named, NDManager manager) {
    this.parts = List.copyOf(parts);
    this.roles = List.copyOf(roles);
    this.named = named;
    this.manager = manager;
  }

  /** Writes every part's parameters to {@code file} atomically (a temporary file, then a move). */
  public void write(Path file) throws IOException {
    java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
    DataOutputStream body = new DataOutputStream(payload);
    body.writeInt(parts.size());
    for (Trainable part : parts) {
      body.writeUTF(part.getClass().getName());
      part.saveParameters(body);
    }
    body.flush();
    byte[] bytes = payload.toByteArray();
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes);
    AtomicFiles.write(file, os -> {
      DataOutputStream out = new DataOutputStream(os);
      out.writeUTF(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeLong(bytes.length);
      out.writeLong(crc.getValue());
      out.write(bytes);
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
    try {
      read(file);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new IOException(file + ": corrupt parameter file (" + e + ")", e);
    } catch (RuntimeException e) {
      throw new IOException(file + ": corrupt parameter file (" + e + ")", e);
    }
  }

  private void read(Path file) throws IOException {
    try (InputStream is = Files.newInputStream(file)) {
      DataInputStream in = new DataInputStream(new BufferedInputStream(is));
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
      // The payload is checked (length against the file, then CRC-32) before DJL decodes any of it, so
      // a corrupt file can neither make the decoder allocate from garbage sizes nor load wrong numbers.
      long length = in.readLong();
      long checksum = in.readLong();
      long header = 2 + MAGIC.length() + 4 + 8 + 8;
      if (length < 0 || length != Files.size(file) - header) {
        throw new IOException(file + ": truncated or padded parameter file (declares " + length
            + " bytes of parameters, holds " + (Files.size(file) - header) + ")");
      }
      byte[] payload = in.readNBytes((int) length);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(payload);
      if (crc.getValue() != checksum) {
        throw new IOException(file + ": corrupt parameter file (CRC-32 mismatch)");
      }
      in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
      java.util.Map<String, ai.djl.ndarray.types.Shape> expected = new java.util.LinkedHashMap<>();
      named.get().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
        int count = in.readInt();
      if (count != parts.size()) {
        throw new IOException(file + ": holds " + count + " parts, the model has " + parts.size());
      }
      // The payload passed its checksum: from here on, a read that runs past its end or stops short of
      // it means the file holds the arrays of another model (more or fewer layers), not a damaged file.
      for (int k = 0; k < parts.size(); k++) {
        Trainable part = parts.get(k);
        String role = k < roles.size() ? "the " + roles.get(k) : "part " + k;
        String kind;
        try {
          kind = in.readUTF();
        } catch (EOFException | java.io.UTFDataFormatException e) {
          throw new IOException(file + ": " + role + "'s parameters are missing (the arrays before them did not"
              + " fit)" + ANOTHER_MODEL, e);
        }
        if (!kind.equals(part.getClass().getName())) {
          throw new IOException(file + ": holds parameters of " + io.vi4j.core.io.Printable.quote(kind)
              + " where the config builds " + role + " " + part.getClass().getName() + ANOTHER_MODEL);
        }
        try {
          part.loadParameters(manager, in);
        } catch (MalformedModelException | IllegalArgumentException e) {
          throw new IOException(file + ": " + role + "'s parameters (" + kind + ") do not fit the model built"
              + " from the config: " + e.getMessage() + ANOTHER_MODEL, e);
        } catch (EOFException e) {
          throw new IOException(file + ": " + role + "'s parameters (" + kind + ") end before the model built"
              + " from the config has all of its arrays" + ANOTHER_MODEL, e);
        }
      }
      int left = in.available();
      if (left > 0) {
        throw new IOException(file + ": " + left + " bytes of parameters are left over after the model built from"
            + " the config took all of its arrays" + ANOTHER_MODEL);
      }
      checkLoaded(file, expected);
      // DJL's loader decodes arrays without the autograd flag: restore it, so that a loaded model can be
      // differentiated (gradient diagnostics, resumed training).
      named.get().forEach(p -> {
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

  /**
   * Fails unless the loaded parameters have the shapes of the model built from the config (DJL's loader
   * takes whatever shape the file holds, so a file of another architecture would otherwise be used) and
   * hold finite values only (a diverged model's parameters must not be reported on).
   */
  private void checkLoaded(Path file, java.util.Map<String, ai.djl.ndarray.types.Shape> expected) throws IOException {
    java.util.Map<String, ai.djl.ndarray.NDArray> loaded = new java.util.LinkedHashMap<>();
    named.get().forEach(p -> loaded.put(p.getKey(), p.getValue().getArray()));
    if (!loaded.keySet().equals(expected.keySet())) {
      throw new IOException(file + ": holds parameters " + loaded.keySet() + ", the model built from the config has "
          + expected.keySet() + ANOTHER_MODEL);
    }
    for (var entry : loaded.entrySet()) {
      ai.djl.ndarray.types.Shape want = expected.get(entry.getKey());
      if (!entry.getValue().getShape().equals(want)) {
        throw new IOException(file + ": parameter '" + entry.getKey() + "' has shape " + entry.getValue().getShape()
            + " in the file, the model built from the config has " + want + ANOTHER_MODEL);
      }
    }
    for (var entry : loaded.entrySet()) {
      try (NDManager scratch = manager.newSubManager()) {
        ai.djl.ndarray.NDArray array = entry.getValue();
        ai.djl.ndarray.NDArray nan = array.isNaN();
        ai.djl.ndarray.NDArray infinite = array.isInfinite();
        scratch.attachAll(nan, infinite); // results of a parameter land on the model's manager otherwise
        ai.djl.ndarray.NDArray count = nan.logicalOr(infinite).toType(ai.djl.ndarray.types.DataType.INT64, false).sum();
        long nonFinite = count.getLong();
        if (nonFinite > 0) {
          throw new IOException(file + ": parameter '" + entry.getKey() + "' holds " + nonFinite
              + " non-finite values (NaN or infinite); these are not the parameters of a trained model");
        }
      }
    }
  }

}
