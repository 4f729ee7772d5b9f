package io.vi4j.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * An array copied to the host: its type, shape and elements as little-endian bytes, the way a checkpoint
 * stores it.
 *
 * @param dataType one of {@link #SUPPORTED}
 * @param shape the dimensions; empty for a scalar
 * @param data {@code product(shape) · dataType.getNumOfBytes()} bytes, little-endian, row-major
 */
public record HostTensor(DataType dataType, long[] shape, byte[] data) {
  /** The element types a checkpoint holds. */
  public static final Set<DataType> SUPPORTED =
      EnumSet.of(DataType.FLOAT32, DataType.FLOAT64, DataType.INT32, DataType.INT64);

  /** Validates the type and that the bytes fit the shape. */
  public HostTensor {
    if (!SUPPORTED.contains(dataType)) {
      throw new IllegalArgumentException("element type " + dataType + " is not one a checkpoint holds " + SUPPORTED);
    }
    long bytes;
    try {
      bytes = Math.multiplyExact(elements(shape), (long) dataType.getNumOfBytes());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dataType
          + " has more bytes than a long counts");
    }
    if (bytes != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dataType + " needs "
          + bytes + " bytes, got " + data.length);
    }
  }

  /** @return the number of elements of {@code shape} (1 for a scalar); fails on a negative dimension. */
  public static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /**
   * @return how many elements are NaN or infinite (0 for the integer types): a checkpoint of a run whose
   *     parameters or optimizer state left the finite numbers is never resumed
   */
  public long nonFiniteCount() {
    long count = 0;
    if (dataType == DataType.FLOAT32) {
      java.nio.FloatBuffer values = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      while (values.hasRemaining()) {
        count += Float.isFinite(values.get()) ? 0 : 1;
      }
    } else if (dataType == DataType.FLOAT64) {
      java.nio.DoubleBuffer values = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
      while (values.hasRemaining()) {
        count += Double.isFinite(values.get()) ? 0 : 1;
      }
    }
    return count;
  }

  /** Copies an array (on any device) to the host. */
  public static HostTensor of(NDArray array) {
    checkByteOrder();
    return new HostTensor(array.getDataType(), array.getShape().getShape(), array.toByteArray());
  }

  /** @return a host tensor holding {@code values} as int64, shape {@code (values.length)}. */
  public static HostTensor ofLongs(long[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asLongBuffer().put(values);
    return new HostTensor(DataType.INT64, new long[] {values.length}, buffer.array());
  }

  /** @return the elements of an int64 vector. */
  public long[] toLongs() {
    if (dataType != DataType.INT64 || shape.length != 1) {
      throw new IllegalArgumentException("not an int64 vector: " + this);
    }
    long[] values = new long[(int) shape[0]];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
    return values;
  }

  /** @return a new array on {@code manager} with these elements. */
  public NDArray toNDArray(NDManager manager) {
    checkByteOrder();
    try (NDManager scratch = manager.newSubManager()) {
      NDArray owned = wrap(scratch).duplicate(); // in the engine's own memory, see copyInto
      owned.attach(manager);
      return owned;
    }
  }

  /** An array over a Java direct buffer holding these bytes (the engine does not own its memory). */
  private NDArray wrap(NDManager manager) {
    ByteBuffer buffer = manager.allocateDirect(data.length);
    buffer.put(data);
    buffer.rewind();
    return manager.create(buffer, new Shape(shape), dataType);
  }

  /**
   * Overwrites {@code target}'s elements in place (its identity, manager and autograd flag stay).
   *
   * @param target an array of exactly this type and shape
   * @param what names the array in the error
   */
  public void copyInto(NDArray target, String what) {
    checkByteOrder();
    if (target.getDataType() != dataType || !Arrays.equals(target.getShape().getShape(), shape)) {
      throw new IllegalArgumentException(what + ": the checkpoint holds " + this
          + ", the model built from the config has " + target.getDataType() + " " + target.getShape());
    }
    // An in-place copy into the target's own storage. NDArray.set(Buffer) would instead swap the
    // target's storage for the Java buffer, whose address is aligned differently from one process to
    // the next (16 bytes rather than PyTorch's 64); vectorized kernels then split their work differently
    // and round differently, and a resumed run would drift from an uninterrupted one in the last bits.
    try (NDManager scratch = target.getManager().newSubManager()) {
      target.set(new NDIndex("..."), wrap(scratch));
    }
  }

  private static void checkByteOrder() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("checkpoints are little-endian; this platform is big-endian");
    }
  }

  @Override
  public String toString() {
    return dataType + " " + new Shape(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t && t.dataType == dataType && Arrays.equals(t.shape, shape)
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dataType.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }
}
