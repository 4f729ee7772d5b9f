package io.vi4j.core.data;

import io.vi4j.api.data.Dataset;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a 4-byte big-endian magic number (two
 * zero bytes, a type code, the number of dimensions), one big-endian {@code int} per dimension, then
 * the values, row-major and big-endian. Files may be gzip-compressed; compression is detected by the
 * gzip magic bytes {@code 1f 8b}, not by the file name.
 *
 * <p>All IDX type codes are read: {@code 0x08} unsigned byte, {@code 0x09} signed byte, {@code 0x0B}
 * short, {@code 0x0C} int, {@code 0x0D} float, {@code 0x0E} double. {@link #read} returns the values
 * <em>as stored</em> (grey levels stay 0..255). {@link #readDataset} scales unsigned-byte images to
 * [0, 1] by dividing by 255 and leaves other types as stored.
 *
 * <p>Every problem is a {@link DataException} naming the file: a missing file, a wrong magic number
 * (with the value found and what was expected), an unsupported type code, a truncated file (with the
 * number of data bytes expected and found), trailing bytes, or a label count that does not match the
 * image count.
 */
public final class IdxReader {

  /** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
  public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The Debian package that provides {@link #FASHION_MNIST_DIR}. */
  public static final String FASHION_MNIST_PACKAGE = "dataset-fashion-mnist";

  /** The MNIST-style file names, gzip-compressed, in the order train images/labels, test images/labels. */
  public static final List<String> MNIST_FILE_NAMES =
      List.of(
          "train-images-idx3-ubyte.gz",
          "train-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz",
          "t10k-labels-idx1-ubyte.gz");

  /** Type code of unsigned bytes, the type of MNIST images and labels. */
  public static final int TYPE_UNSIGNED_BYTE = 0x08;

  private static final int CHUNK = 1 << 16;

  private IdxReader() {}

  /**
   * The content of one IDX file.
   *
   * @param file where it was read from
   * @param typeCode the IDX type code ({@code 0x08} for unsigned bytes)
   * @param dims the dimensions, the first being the number of items
   * @param values all values as stored (not scaled), row-major; shared, not copied
   */
  public record IdxArray(Path file, int typeCode, int[] dims, float[] values) {

    /** Checks that the values fill the dimensions. */
    public IdxArray {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(values, "values");
      dims = dims.clone();
      long size = 1;
      for (int d : dims) {
        size *= d;
      }
      if (dims.length == 0 || size != values.length) {
        throw new IllegalArgumentException(
            file + ": " + values.length + " values do not fill dims " + Arrays.toString(dims));
      }
    }

    /** @return the number of items, the first dimension */
    public int count() {
      return dims[0];
    }

    /** @return the shape of one item, the dimensions after the first ({@code {28, 28}} for MNIST) */
    public int[] itemShape() {
      return dims.length == 1 ? new int[] {1} : Arrays.copyOfRange(dims, 1, dims.length);
    }

    /** @return the number of values per item */
    public int itemSize() {
      return count() == 0 ? Arrays.stream(itemShape()).reduce(1, (a, b) -> a * b) : values.length / count();
    }

    @Override
    public int[] dims() {
      return dims.clone();
    }
  }

  /**
   * The four files of an MNIST-style directory.
   *
   * @param trainImages training images
   * @param trainLabels training labels
   * @param testImages test images
   * @param testLabels test labels
   */
  public record IdxFiles(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {}

  /**
   * Reads any IDX file.
   *
   * @param file the file, raw or gzip-compressed
   * @return its dimensions and values as stored
   * @throws DataException when the file is missing or malformed (the message names the file)
   * @throws IOException when it cannot be read
   */
  public static IdxArray read(Path file) throws IOException {
    try (InputStream in = DataFiles.open(file)) {
      return read(file, in);
    }
  }

  /**
   * Reads an image file: an IDX file with at least two dimensions (count, then the item shape).
   * Values are as stored (0..255 for MNIST).
   */
  public static IdxArray readImages(Path file) throws IOException {
    IdxArray array = read(file);
    if (array.dims.length < 2) {
      throw new DataException(
          file,
          "has " + array.dims.length + " dimension " + Arrays.toString(array.dims)
              + ", expected an image file with at least 2 (count, then the item shape"
              + ", e.g. 0x00000803 for count × height × width); is this a label file?");
    }
    return array;
  }

  /**
   * Reads a label file: a one-dimensional IDX file of an integer type.
   *
   * @return one label per item
   */
  public static int[] readLabels(Path file) throws IOException {
    IdxArray array = read(file);
    if (array.dims.length != 1) {
      throw new DataException(
          file,
          "has " + array.dims.length + " dimensions " + Arrays.toString(array.dims)
              + ", expected a label file with 1 (magic number 0x00000801); is this an image file?");
    }
    if (array.typeCode == 0x0D || array.typeCode == 0x0E) {
      throw new DataException(
          file,
          "holds " + typeName(array.typeCode) + " values, expected integer labels (type code 0x08)");
    }
    float[] values = array.values;
    int[] labels = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      labels[i] = (int) values[i];
    }
    return labels;
  }

  /**
   * Reads images and (optionally) their labels as a {@link Dataset} named by the image file's path.
   * Unsigned-byte images are scaled to [0, 1] (divided by 255); other types are kept as stored.
   *
   * @param images the image file
   * @param labels the label file, or null for an unlabelled dataset
   * @throws DataException when a file is missing or malformed, or the label count differs from the
   *     image count
   */
  public static Dataset readDataset(Path images, Path labels) throws IOException {
    IdxArray array = readImages(images);
    int[] labelValues = null;
    if (labels != null) {
      labelValues = readLabels(labels);
      if (labelValues.length != array.count()) {
        throw new DataException(
            labels,
            "has " + labelValues.length + " labels but " + images + " has " + array.count()
                + " images; the counts must match");
      }
    }
    float[] values = array.values;
    if (array.typeCode == TYPE_UNSIGNED_BYTE) {
      Preprocessing.scale(values, 255f);
    }
    return new Dataset(
        images.toString(), values, array.count(), array.itemSize(), labelValues, array.itemShape());
  }

  /**
   * Finds the four MNIST-style files in a directory ({@link #MNIST_FILE_NAMES}), accepting the names
   * without {@code .gz} when the compressed ones are absent.
   *
   * @throws DataException when the directory or a file is missing; the message says how to install
   *     Debian's {@code dataset-fashion-mnist} package
   */
  public static IdxFiles locateMnistFiles(Path directory) throws DataException {
    if (!Files.isDirectory(directory)) {
      String problem =
          Files.exists(directory) ? "is not a directory" : "directory not found";
      throw new DataException(
          directory,
          problem + "; Fashion-MNIST is provided by the Debian/Ubuntu package "
              + FASHION_MNIST_PACKAGE + ": install it with `sudo apt-get install "
              + FASHION_MNIST_PACKAGE + "` (files go to " + FASHION_MNIST_DIR
              + "), or point the directory at a folder holding " + String.join(", ", MNIST_FILE_NAMES)
              + " (or the same names without .gz)");
    }
    Path[] found = new Path[4];
    for (int i = 0; i < 4; i++) {
      String gz = MNIST_FILE_NAMES.get(i);
      String plain = gz.substring(0, gz.length() - 3);
      Path gzPath = directory.resolve(gz);
      Path plainPath = directory.resolve(plain);
      if (Files.isRegularFile(gzPath)) {
        found[i] = gzPath;
      } else if (Files.isRegularFile(plainPath)) {
        found[i] = plainPath;
      } else {
        throw new DataException(
            directory,
            "holds neither " + gz + " nor " + plain + "; reinstall with `sudo apt-get install --reinstall "
                + FASHION_MNIST_PACKAGE + "` or copy the MNIST-style files there");
      }
    }
    return new IdxFiles(found[0], found[1], found[2], found[3]);
  }

  /** @return the size in bytes of one value of an IDX type, or 0 when the code is not an IDX type */
  static int typeSize(int code) {
    return switch (code) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> 0;
    };
  }

  private static String typeName(int code) {
    return switch (code) {
      case 0x08 -> "unsigned byte";
      case 0x09 -> "signed byte";
      case 0x0B -> "short";
      case 0x0C -> "int";
      case 0x0D -> "float";
      case 0x0E -> "double";
      default -> String.format("unknown (0x%02X)", code);
    };
  }

  private static IdxArray read(Path file, InputStream in) throws IOException {
    byte[] header = new byte[4];
    int got = readFully(in, header, 0, 4);
    if (got < 4) {
      throw new DataException(
          file, "truncated: expected a 4-byte IDX magic number, found " + got + " bytes in the file");
    }
    int magic = ByteBuffer.wrap(header).getInt();
    if (header[0] != 0 || header[1] != 0) {
      throw new DataException(
          file,
          String.format(
              "wrong magic number 0x%08X, expected 0x0000 then a type code and a dimension count"
                  + " (0x00000803 for MNIST images, 0x00000801 for labels); is this an IDX file?",
              magic));
    }
    int type = header[2] & 0xff;
    int ndim = header[3] & 0xff;
    int size = typeSize(type);
    if (size == 0) {
      throw new DataException(
          file,
          String.format(
              "unsupported data type code 0x%02X in magic number 0x%08X; supported: 0x08 (unsigned"
                  + " byte), 0x09 (signed byte), 0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double)",
              type, magic));
    }
    if (ndim == 0) {
      throw new DataException(
          file, String.format("magic number 0x%08X declares 0 dimensions, expected at least 1", magic));
    }
    byte[] dimBytes = new byte[4 * ndim];
    got = readFully(in, dimBytes, 0, dimBytes.length);
    if (got < dimBytes.length) {
      throw new DataException(
          file,
          "truncated: expected " + dimBytes.length + " bytes of header for " + ndim
              + " dimensions, found " + got);
    }
    ByteBuffer dimBuffer = ByteBuffer.wrap(dimBytes);
    int[] dims = new int[ndim];
    long count = 1;
    for (int i = 0; i < ndim; i++) {
      dims[i] = dimBuffer.getInt();
      if (dims[i] < 0 || (dims[i] == 0 && i > 0)) {
        throw new DataException(
            file,
            "dimension " + (i + 1) + " of " + ndim + " is " + Integer.toUnsignedString(dims[i])
                + " (" + dims[i] + " as a signed int); item dimensions must be positive");
      }
      count *= dims[i];
      if (count > Integer.MAX_VALUE - 8) {
        throw new DataException(
            file, "dims " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " hold too many values for a Java array");
      }
    }
    long expectedBytes = count * size;
    long available = dataBytesAvailable(file, 4 + 4L * ndim);
    if (available >= 0 && available < expectedBytes) {
      // Checked before allocating: a corrupt header must not make us reserve gigabytes.
      throw new DataException(
          file,
          "truncated: dims " + Arrays.toString(dims) + " of " + typeName(type) + " need "
              + expectedBytes + " bytes of data, found " + available);
    }
    float[] values = new float[(int) count];
    long found = readValues(file, in, type, size, values);
    if (found < expectedBytes) {
      throw new DataException(
          file,
          "truncated: dims " + Arrays.toString(dims) + " of " + typeName(type) + " need "
              + expectedBytes + " bytes of data, found " + found);
    }
    int extra;
    try {
      extra = in.read();
    } catch (EOFException e) {
      throw new DataException(file, "the gzip stream ends early after the data (corrupt file?)", e);
    }
    if (extra != -1) {
      throw new DataException(
          file,
          "has bytes after the " + expectedBytes + " bytes of data that dims " + Arrays.toString(dims)
              + " need; wrong dims or a corrupt file");
    }
    return new IdxArray(file, type, dims, values);
  }

  /**
   * The number of data bytes after the header, from the file's size (raw) or from the gzip trailer's
   * uncompressed size (ISIZE, exact below 4 GiB); −1 when it cannot be told.
   */
  private static long dataBytesAvailable(Path file, long headerBytes) {
    try {
      long size = java.nio.file.Files.size(file);
      byte[] start = new byte[2];
      try (InputStream raw = java.nio.file.Files.newInputStream(file)) {
        if (raw.readNBytes(start, 0, 2) < 2) {
          return -1;
        }
      }
      boolean gzip = (start[0] & 0xff) == 0x1f && (start[1] & 0xff) == 0x8b;
      if (!gzip) {
        return size - headerBytes;
      }
      if (size < 18) {
        return -1;
      }
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
        ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(trailer, size - 4);
        trailer.flip();
        long uncompressed = Integer.toUnsignedLong(trailer.getInt());
        return size > (1L << 32) ? -1 : uncompressed - headerBytes;
      }
    } catch (IOException e) {
      return -1;
    }
  }

  /** Reads and converts values chunk by chunk; returns the number of data bytes found. */
  private static long readValues(Path file, InputStream in, int type, int size, float[] values)
      throws IOException {
    byte[] chunk = new byte[CHUNK];
    ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
    long total = (long) values.length * size;
    long readBytes = 0;
    int index = 0;
    while (readBytes < total) {
      int want = (int) Math.min(CHUNK, total - readBytes);
      int got = readFully(in, chunk, 0, want);
      int usable = got - got % size;
      buffer.clear();
      switch (type) {
        case 0x08 -> {
          for (int i = 0; i < usable; i++) {
            values[index++] = chunk[i] & 0xff;
          }
        }
        case 0x09 -> {
          for (int i = 0; i < usable; i++) {
            values[index++] = chunk[i];
          }
        }
        case 0x0B -> {
          for (int i = 0; i < usable; i += 2) {
            values[index++] = buffer.getShort(i);
          }
        }
        case 0x0C -> {
          for (int i = 0; i < usable; i += 4) {
            values[index++] = buffer.getInt(i);
          }
        }
        case 0x0D -> {
          for (int i = 0; i < usable; i += 4) {
            values[index++] = buffer.getFloat(i);
          }
        }
        case 0x0E -> {
          for (int i = 0; i < usable; i += 8) {
            values[index++] = (float) buffer.getDouble(i);
          }
        }
        default -> throw new DataException(file, "unsupported data type code " + type);
      }
      readBytes += got;
      if (got < want) {
        return readBytes;
      }
    }
    return readBytes;
  }

  /**
   * Reads up to {@code length} bytes, stopping early only at the end of the stream (or where a gzip
   * stream is cut off); returns the count read.
   */
  private static int readFully(InputStream in, byte[] buffer, int offset, int length) throws IOException {
    int total = 0;
    while (total < length) {
      int n;
      try {
        n = in.read(buffer, offset + total, length - total);
      } catch (EOFException e) {
        break; // a cut-off gzip stream: reported by the caller as truncation
      }
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
