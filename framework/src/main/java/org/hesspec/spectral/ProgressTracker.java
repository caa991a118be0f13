package org.hesspec.spectral;

import java.time.Duration;

/**
 * Counts the products of a task across its runs and turns them into {@link Progress} reports with
 * an ETA (remaining products times the average wall time per product so far, which already
 * reflects the number of threads).
 */
final class ProgressTracker {
  private final String task;
  private final int runs;
  private final int stepsPerRun;
  private final long total;
  private final ProgressListener listener;
  private final long start = System.nanoTime();
  private long done;

  ProgressTracker(String task, int runs, int stepsPerRun, ProgressListener listener) {
    this.task = task;
    this.runs = runs;
    this.stepsPerRun = stepsPerRun;
    this.total = (long) runs * stepsPerRun;
    this.listener = listener;
  }

  /** Run {@code run} has taken its {@code step}-th step. */
  synchronized void step(int run, int step) {
    done++;
    report(run, step);
  }

  /**
   * Run {@code run} finished after {@code stepsTaken} steps (fewer than planned after a
   * breakdown): the steps it will not take count as done.
   */
  synchronized void finished(int run, int stepsTaken) {
    done += stepsPerRun - stepsTaken;
    report(run, stepsTaken);
  }

  private void report(int run, int step) {
    long elapsed = System.nanoTime() - start;
    Duration eta =
        done == 0 ? null : Duration.ofNanos((long) (elapsed * (double) (total - done) / done));
    listener.progress(
        new Progress(task, run, runs, step, stepsPerRun, Duration.ofNanos(elapsed), eta));
  }
}
