package org.hesspec.distributed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Guards against the one way TensorFlow's distributed runtime hangs: creating a session (or running
 * a step) on a cluster with a worker that is down waits without end. Every worker's port is first
 * tried with a plain TCP connect under a timeout, and the calls into TensorFlow that talk to the
 * cluster are run in a daemon thread whose result is awaited under a timeout.
 */
public final class Connectivity {

  /** Default timeout of the TCP check of each worker. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default timeout of session creation and of the setup steps on the cluster. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(60);

  private Connectivity() {}

  /**
   * Connects to every worker's port (then closes the connection); throws naming the workers that
   * did not answer within {@code timeout}.
   */
  public static void checkReachable(List<WorkerAddress> workers, Duration timeout) {
    List<String> down = new ArrayList<>();
    for (WorkerAddress w : workers) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(w.host(), w.port()), Math.toIntExact(timeout.toMillis()));
      } catch (IOException | IllegalArgumentException e) {
        down.add(w + " (" + describe(e) + ")");
      }
    }
    if (!down.isEmpty()) {
      throw new WorkerUnavailableException("TensorFlow worker" + (down.size() == 1 ? " " : "s ") + String.join(", ", down)
          + " not reachable within " + seconds(timeout) + " (TCP connect); start each with 'hesspec worker --port N' on a private network");
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  /**
   * Runs {@code call} in a daemon thread and waits at most {@code timeout} for it. On timeout the
   * thread is left behind (TensorFlow calls cannot be interrupted) and a
   * {@link WorkerUnavailableException} names {@code what}.
   */
  public static <T> T withTimeout(String what, Duration timeout, Callable<T> call) {
    return withTimeout(what, timeout, call, () -> {});
  }

  /** As {@link #withTimeout(String, Duration, Callable)}, running {@code onAbandon} when the call is given up. */
  public static <T> T withTimeout(String what, Duration timeout, Callable<T> call, Runnable onAbandon) {
    FutureTask<T> task = new FutureTask<>(call);
    Thread t = new Thread(task, "hesspec-cluster-call");
    t.setDaemon(true);
    t.start();
    try {
      return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      onAbandon.run();
      throw new WorkerUnavailableException(what + " did not finish within " + seconds(timeout)
          + "; a worker is down or unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerUnavailableException(what + " interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(what + ": " + c, c);
    }
  }
}
