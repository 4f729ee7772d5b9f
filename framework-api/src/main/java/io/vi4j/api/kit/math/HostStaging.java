package io.vi4j.api.kit.math;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Floats written on the host and handed to the engine through one direct buffer per thread, reused from
 * call to call and grown to the largest. A direct buffer reaches the engine as it is, and the engine keeps
 * its own copy; a heap buffer or array would reach it through a fresh direct buffer per call, freed only
 * by a garbage collection (the per-step minibatch held 240 MB more in the memory soak that way, the sliced
 * steps' noise 70 MiB; docs/performance.md). Each thread fills its buffer ({@link #floats}) and copies it
 * to the engine ({@link #copy}) before it fills it again.
 */
public final class HostStaging {
  private final ThreadLocal<ByteBuffer> buffers =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()));

  /**
   * @param size the floats to be written
   * @return this thread's buffer as floats, room for at least {@code size} from index 0; its contents are
   *     what the thread last wrote
   */
  public FloatBuffer floats(int size) {
    int needed = Math.multiplyExact(size, Float.BYTES);
    ByteBuffer bytes = buffers.get();
    if (bytes.capacity() < needed) {
      bytes = ByteBuffer.allocateDirect(needed).order(ByteOrder.nativeOrder());
      buffers.set(bytes);
    }
    return bytes.clear().asFloatBuffer();
  }

  /**
   * @param shape the array's shape; its first {@code shape.size()} floats of this thread's buffer are copied
   * @return a float32 array of the engine's own, on {@code manager}
   */
  public NDArray copy(NDManager manager, Shape shape) {
    ByteBuffer bytes = buffers.get();
    bytes.clear().limit(Math.multiplyExact(Math.toIntExact(shape.size()), Float.BYTES));
    NDArray view = manager.create(bytes, shape, DataType.FLOAT32);
    NDArray copy = view.duplicate(); // the buffer is refilled by the thread's next call
    view.close();
    return copy;
  }
}
