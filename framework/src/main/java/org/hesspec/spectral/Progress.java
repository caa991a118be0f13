package org.hesspec.spectral;

import java.time.Duration;

/**
 * A progress report of a spectral estimate.
 *
 * @param task what is running, e.g. {@code "density"}, {@code "bounds"}, {@code "top-eigen"},
 *     {@code "hutchinson"}
 * @param run the run (or sample) that just advanced, 0-based
 * @param runs the number of runs of the task
 * @param step the steps (operator products) that run has taken
 * @param steps the steps that run will take at most
 * @param elapsed time since the task started
 * @param eta estimated time to finish the task, from the average time per product so far; {@link
 *     Duration#ZERO} when done, null before the first product
 */
public record Progress(
    String task, int run, int runs, int step, int steps, Duration elapsed, Duration eta) {

  /** A one-line human-readable form for a command-line runner. */
  @Override
  public String toString() {
    return String.format(
        "%s run %d/%d step %d/%d elapsed %ds eta %s",
        task, run + 1, runs, step, steps, elapsed.toSeconds(),
        eta == null ? "?" : eta.toSeconds() + "s");
  }
}
