package io.vi4j.core.data;

import io.vi4j.core.io.Printable;
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
 * (with the value found and what was expected), an unsupported type code, dimensions holding more
 * values than a Java array can ({@link HeapArrays#MAX_VALUES}, also per item), a truncated file (with
 * the number of data bytes expected and found), a damaged gzip stream, trailing bytes, a label count
 * that does not match the image count, or an image file of 0 items ({@link #readDataset}).
 *
 * <p>Nothing is allocated for data the file cannot hold: a raw file's size is checked against the
 * declared dimensions first; a gzip file's declared data must fit {@link #MAX_DEFLATE_RATIO} times its
 * compressed size, and its values beyond {@link #PLAUSIBLE_RATIO} times that size grow as the data are
 * decompressed (the gzip trailer's size field is no proof: it is the size mod 2^32 of the last member only).
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

  /**
   * The most bytes deflate expands one compressed byte into (258-byte matches coded in about two bits:
   * 1032:1), which bounds what a gzip file can hold.
   */
  static final long MAX_DEFLATE_RATIO = 1032;

  private static final int CHUNK = 1 << 16;

  /** The fewest values allocated first for a gzip file, before the data show there are more. */
  private static final int FIRST_GROWING = 1 << 20;

  /**
   * The expansion a gzip file's data are taken to reach without proof: its values are allocated at once
   * up to this many times its size, and grow (doubling) as the data arrive beyond it. Allocating them at
   * their size saves the growth's copies (Fashion-MNIST's training images held 128 MB of garbage beside
   * their 188 MB, which set the Java heap's size for the whole run).
   */
  static final long PLAUSIBLE_RATIO = 16;

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
    DataFiles.requireFile(file);
    boolean gzip = DataFiles.isGzip(file);
    long fileSize = Files.size(file);
    CountingInputStream in = new CountingInputStream(DataFiles.open(file));
    try (in) {
      return read(file, in, gzip, fileSize);
    } catch (DataException e) {
      throw e;
    } catch (IOException e) {
      // A damaged deflate stream or trailer (ZipException), or a read error: name the file.
      String reason = Printable.escape(String.valueOf(e.getMessage()), 200);
      throw new DataException(
          file,
          gzip
              ? "corrupt gzip stream after " + in.count + " bytes of content (" + reason + "); get the file again"
              : "read error after " + in.count + " bytes: " + reason,
          e);
    }
  }

  /** Counts the bytes read through it, for messages. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count += Math.max(n, 0);
      return n;
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
   * @return {@code count} items of {@code itemSize} values (the item shape is the dims after the first)
   * @throws DataException when a file is missing or malformed, the image file holds 0 images, or the
   *     label count differs from the image count
   */
  public static Dataset readDataset(Path images, Path labels) throws IOException {
    IdxArray array = readImages(images);
    if (array.count() == 0) {
      throw new DataException(images, "holds 0 images; " + Preprocessing.AT_LEAST_ONE_ITEM);
    }
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

  private static IdxArray read(Path file, InputStream in, boolean gzip, long fileSize) throws IOException {
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
    int[] dims = dims(file, ByteBuffer.wrap(dimBytes), ndim);
    int count = valueCount(file, dims);
    long headerBytes = 4 + 4L * ndim;
    long expectedBytes = (long) count * size;
    // Checked before allocating: a corrupt header must not make us reserve gigabytes.
    boolean sizeKnown = !gzip && fileSize >= headerBytes;
    if (sizeKnown && fileSize - headerBytes < expectedBytes) {
      throw truncated(file, dims, type, expectedBytes, fileSize - headerBytes);
    }
    if (gzip && headerBytes + expectedBytes > mostUncompressed(fileSize)) {
      throw new DataException(
          file,
          "dims " + Arrays.toString(dims) + " of " + typeName(type) + " need " + expectedBytes
              + " bytes of data, more than a gzip file of " + fileSize + " bytes can hold (deflate expands"
              + " at most " + MAX_DEFLATE_RATIO + "-fold); a corrupt header or a cut-off file");
    }
    // A raw file's size proves the data are there; a gzip stream's trailer (ISIZE) proves nothing (it
    // is the size mod 2^32, of the last member only, and any 4 bytes a hostile file likes), so the
    // values of a gzip file grow as the data arrive, from what the file plausibly holds: real data
    // compress well under PLAUSIBLE_RATIO-fold (Fashion-MNIST's images 1.8-fold, MNIST's 4.7-fold), so
    // theirs are allocated once, at their size, and a lying header costs at most that many times the file.
    float[] values =
        sizeKnown
            ? HeapArrays.floats(file.toString(), count, "its " + count + " values")
            : HeapArrays.floats(file.toString(), firstGrowing(count, size, fileSize), "its first values");
    values = readValues(file, in, type, size, values, dims, count);
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

  private static int[] dims(Path file, ByteBuffer buffer, int ndim) throws DataException {
    int[] dims = new int[ndim];
    for (int i = 0; i < ndim; i++) {
      dims[i] = buffer.getInt();
      if (dims[i] < 0 || (dims[i] == 0 && i > 0)) {
        throw new DataException(
            file,
            "dimension " + (i + 1) + " of " + ndim + " is " + Integer.toUnsignedString(dims[i])
                + " (" + dims[i] + " as a signed int); item dimensions must be positive");
      }
    }
    return dims;
  }

  /**
   * @return the number of values {@code dims} hold
   * @throws DataException when they, or one item's (even of 0 items), exceed what a float array holds
   */
  private static int valueCount(Path file, int[] dims) throws DataException {
    long perItem = 1;
    for (int i = 1; i < dims.length; i++) {
      perItem *= dims[i]; // both factors below 2^31: no long overflow
      if (perItem > HeapArrays.MAX_VALUES) {
        throw new DataException(
            file,
            "dims " + Arrays.toString(dims) + " hold more than " + HeapArrays.MAX_VALUES + " values per item,"
                + " the most a Java float array can hold; a corrupt header, or data too large to load at once");
      }
    }
    long total = dims[0] * perItem;
    if (total > HeapArrays.MAX_VALUES) {
      throw new DataException(
          file,
          "dims " + Arrays.toString(dims) + " hold " + total + " values, more than the " + HeapArrays.MAX_VALUES
              + " a Java float array can hold; a corrupt header, or data too large to load at once");
    }
    return (int) total;
  }

  /**
   * @return how many of a gzip file's {@code count} values to allocate before its data arrive: all of them
   *     when they fit {@link #PLAUSIBLE_RATIO} times the file's size, else at least {@link #FIRST_GROWING}
   */
  static int firstGrowing(int count, int valueBytes, long compressed) {
    long plausible = Math.min(Integer.MAX_VALUE, compressed) * PLAUSIBLE_RATIO / valueBytes;
    return (int) Math.min(count, Math.max(FIRST_GROWING, plausible));
  }

  /** @return the most bytes a gzip file of {@code compressed} bytes can decompress to (saturating) */
  private static long mostUncompressed(long compressed) {
    return compressed > Long.MAX_VALUE / MAX_DEFLATE_RATIO ? Long.MAX_VALUE : compressed * MAX_DEFLATE_RATIO;
  }

  private static DataException truncated(Path file, int[] dims, int type, long expected, long found) {
    return new DataException(
        file,
        "truncated: dims " + Arrays.toString(dims) + " of " + typeName(type) + " need " + expected
            + " bytes of data, found " + found);
  }

  /**
   * Reads and converts {@code count} values chunk by chunk, growing {@code values} (up to {@code count})
   * as the data arrive.
   *
   * @return the values, length {@code count}
   * @throws DataException when the stream ends before {@code count} values
   */
  private static float[] readValues(
      Path file, InputStream in, int type, int size, float[] values, int[] dims, int count) throws IOException {
    byte[] chunk = new byte[CHUNK];
    ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
    long total = (long) count * size;
    long readBytes = 0;
    int index = 0;
    while (readBytes < total) {
      int want = (int) Math.min(CHUNK, total - readBytes);
      int got = readFully(in, chunk, 0, want);
      int usable = got - got % size;
      if (index + usable / size > values.length) {
        int capacity = HeapArrays.nextCapacity(values.length, index + (long) usable / size, count);
        values = HeapArrays.grow(file.toString(), values, capacity, "its values, " + capacity + " so far");
      }
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
        break;
      }
    }
    if (readBytes < total) {
      throw truncated(file, dims, type, total, readBytes);
    }
    return values;
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
