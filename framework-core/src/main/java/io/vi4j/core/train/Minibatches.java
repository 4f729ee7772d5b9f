package io.vi4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.vi4j.api.data.Dataset;
import io.vi4j.api.kit.math.HostStaging;
import java.nio.FloatBuffer;

/**
 * Where a training step's minibatch rows come from. On the CPU they are copied straight from the training
 * split's Java array into a direct buffer reused by every step, and from it into the step's array: the
 * engine's indexed gather of rows cost a tenth of a batch-32 step, and the split is not held twice (a
 * copy in engine memory beside the Java array: 188 MB for Fashion-MNIST). On another device (a GPU) the
 * split is copied there once and the rows are gathered there. Threads may ask for rows side by side.
 */
abstract class Minibatches implements AutoCloseable {

  /**
   * @param train the training split
   * @param fitManager the fit's manager, on the model's device
   */
  static Minibatches of(Dataset train, NDManager fitManager) {
    return fitManager.getDevice().isGpu() ? onDevice(train, fitManager) : fromHost(train);
  }

  /** Rows copied on the host from the split's Java array (the CPU's way). */
  static Minibatches fromHost(Dataset train) {
    return new FromHost(train);
  }

  /** Rows gathered by the engine from a copy of the split on {@code fitManager}'s device (a GPU's way). */
  static Minibatches onDevice(Dataset train, NDManager fitManager) {
    return new OnDevice(train, fitManager);
  }

  /**
   * @param order the epoch's order of the training items
   * @return rows {@code order[from], …, order[to − 1]} of the training split, shape {@code (to − from, D)},
   *     on {@code stepManager}
   */
  abstract NDArray rows(long[] order, int from, int to, NDManager stepManager);

  @Override
  public void close() {}

  /** Rows copied on the host from the split's array. */
  private static final class FromHost extends Minibatches {
    private final float[] values;
    private final int columns;
    // One buffer per calling thread: the slices of a split step gather their rows side by side.
    private final HostStaging staging = new HostStaging();

    FromHost(Dataset train) {
      this.values = train.values();
      this.columns = train.columns();
    }

    @Override
    NDArray rows(long[] order, int from, int to, NDManager stepManager) {
      FloatBuffer floats = staging.floats(Math.multiplyExact(to - from, columns));
      for (int i = from; i < to; i++) {
        floats.put(values, Math.toIntExact(order[i] * columns), columns);
      }
      return staging.copy(stepManager, new Shape(to - from, columns));
    }
  }

  /** Rows gathered on the device from a copy of the split made there once. */
  private static final class OnDevice extends Minibatches {
    private final NDManager manager;
    private final NDArray trainArray;
    private long[] order;
    private NDArray orderArray;

    OnDevice(Dataset train, NDManager fitManager) {
      this.manager = fitManager.newSubManager();
      this.trainArray = manager.create(FloatBuffer.wrap(train.values()), new Shape(train.rows(), train.columns()));
    }

    @Override
    NDArray rows(long[] order, int from, int to, NDManager stepManager) {
      if (order != this.order) { // a new epoch's order: on the device once
        if (orderArray != null) {
          orderArray.close();
        }
        orderArray = manager.create(order);
        this.order = order;
      }
      NDArray index = orderArray.get(stepManager, new NDIndex(from + ":" + to));
      return trainArray.get(stepManager, new NDIndex("{}", index));
    }

    @Override
    public void close() {
      manager.close();
    }
  }
}
