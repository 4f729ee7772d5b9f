package io.vi4j.core.train;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A daemon thread that runs the tasks handed to it, one at a time in the order given, for work split
 * within one training step (a slice of the minibatch, half of Adam's pass). Between tasks it waits by
 * spinning for up to {@link #SPIN_NANOS} (yielding its core at each round after {@link #YIELD_AFTER_NANOS})
 * and then sleeps; a caller waiting for a task's end does the same.
 * An executor's thread sleeps at once and is woken through the kernel (a futex), which on the 2-core
 * virtual machines here cost tens of microseconds a hand-off, several times per millisecond-long step;
 * the next hand-off of a step usually comes within the spin. A caller that needs a task's result and
 * finds it not yet started runs it itself ({@link Pending#runHereOrJoin}): on a machine busy with other
 * work the handed-to thread may not get a core in time, and the step then goes on as on one thread.
 */
final class HandOffThread implements AutoCloseable {
  /**
   * How long a waiting thread spins before it sleeps: longer than the gaps between a step's hand-offs
   * (a slice's end to Adam's start), short beside a step, so that a machine busy with other work loses
   * little to it.
   */
  static final long SPIN_NANOS = 250_000L;

  /** After this long a spinning wait yields its core at each round. */
  static final long YIELD_AFTER_NANOS = 20_000L;

  private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean sleeping;
  private volatile boolean closed;

  /**
   * @param name the thread's name
   * @param setUp run once on the new thread before its first task (the engine's per-thread settings)
   */
  HandOffThread(String name, Runnable setUp) {
    this.thread = new Thread(() -> {
      setUp.run();
      loop();
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** A task handed over, to {@link #join} or to take back ({@link #runHereOrJoin}). */
  static final class Pending<T> {
    private final Callable<T> task;
    private final AtomicBoolean claimed = new AtomicBoolean(); // by the thread that runs it
    private volatile boolean done;
    private volatile Thread waiter;
    private T result;
    private Throwable failure;

    private Pending(Callable<T> task) {
      this.task = task;
    }

    private void run() {
      try {
        result = task.call();
      } catch (Throwable e) {
        failure = e;
      }
      done = true; // publishes result and failure
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }

    /** @return whether the calling thread won the task (it then runs it); false once another has. */
    private boolean claim() {
      return claimed.compareAndSet(false, true);
    }

    /**
     * Runs the task on the calling thread if the handed-to thread has not started it (it is asleep, or
     * descheduled on a machine busy with other work), else waits for its end as {@link #join}. The task
     * then runs exactly once either way.
     *
     * @return the task's result
     * @throws HandOffException wrapping what the task threw
     */
    T runHereOrJoin() {
      if (claim()) {
        run();
      }
      return join();
    }

    /**
     * Waits for the task's end: spins, then sleeps.
     *
     * @return the task's result
     * @throws HandOffException wrapping what the task threw
     */
    T join() {
      long start = System.nanoTime();
      long waited;
      while (!done && (waited = System.nanoTime() - start) < SPIN_NANOS) {
        pause(waited);
      }
      if (!done) {
        waiter = Thread.currentThread();
        while (!done) {
          LockSupport.park(this);
        }
      }
      if (failure != null) {
        throw new HandOffException(failure);
      }
      return result;
    }
  }

  /** What a handed-over task threw, as its {@link #getCause}. */
  static final class HandOffException extends RuntimeException {
    HandOffException(Throwable cause) {
      super(cause.toString(), cause);
    }
  }

  /**
   * Hands {@code task} over; it runs after the tasks handed over before it.
   *
   * @return its pending end
   * @throws IllegalStateException once closed
   */
  <T> Pending<T> submit(Callable<T> task) {
    if (closed) {
      throw new IllegalStateException(thread.getName() + " is closed");
    }
    Pending<T> pending = new Pending<>(task);
    queue.add(pending);
    if (sleeping) {
      LockSupport.unpark(thread);
    }
    return pending;
  }

  private void loop() {
    long idleSince = System.nanoTime();
    while (true) {
      Pending<?> next = queue.poll();
      if (next != null) {
        if (next.claim()) { // else the caller took it back
          next.run();
        }
        idleSince = System.nanoTime();
      } else if (closed) {
        return;
      } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
        pause(System.nanoTime() - idleSince);
      } else {
        sleeping = true; // then look again: a task added before this write is seen, one added after unparks
        if (queue.isEmpty() && !closed) {
          LockSupport.park(this);
        }
        sleeping = false;
      }
    }
  }

  /**
   * One round of a spinning wait that has lasted {@code waited} ns: a pause instruction at first, then a
   * yield of the core, which costs little on an idle machine and lets another process's thread run on a
   * busy one (where spinning kept it from the core the step was waiting for).
   */
  static void pause(long waited) {
    if (waited < YIELD_AFTER_NANOS) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }

  /** Lets the thread end once the tasks already handed over have run. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
