package org.hesspec.spectral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.hesspec.curvature.LinearOperator;

/**
 * Runs independent tasks (Lanczos runs, trace probes) on worker threads, each with its own
 * operator. Task {@code i} depends only on {@code i} (its seed is derived from the index), and its
 * result is stored at index {@code i}, so the results do not depend on the number of threads or
 * on scheduling.
 */
final class ParallelRuns {
  private ParallelRuns() {}

  @FunctionalInterface
  interface Task<T> {
    T run(LinearOperator a, int index);
  }

  /**
   * Computes {@code task.run(operator, i)} for {@code i = 0..count-1}.
   *
   * @param operators called once per worker, on the calling thread, before the workers start
   */
  static <T> List<T> map(
      int count, int threads, IntFunction<LinearOperator> operators, Task<T> task) {
    Object[] results = new Object[count];
    int workers = Math.max(1, Math.min(threads, count));
    if (workers == 1) {
      LinearOperator a = operators.apply(0);
      for (int i = 0; i < count; i++) {
        results[i] = task.run(a, i);
      }
      return cast(results);
    }
    List<LinearOperator> ops = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      ops.add(operators.apply(w));
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] pool = new Thread[workers];
    for (int w = 0; w < workers; w++) {
      LinearOperator a = ops.get(w);
      pool[w] =
          new Thread(
              () -> {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < count) {
                  try {
                    results[i] = task.run(a, i);
                  } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                  }
                }
              },
              "hesspec-spectral-" + w);
      pool[w].setDaemon(true);
      pool[w].start();
    }
    try {
      for (Thread t : pool) {
        t.join();
      }
    } catch (InterruptedException e) {
      failure.compareAndSet(null, e);
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new IllegalStateException("a worker failed: " + t, t);
    }
    return cast(results);
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> cast(Object[] results) {
    return (List<T>) Arrays.asList(results);
  }
}
