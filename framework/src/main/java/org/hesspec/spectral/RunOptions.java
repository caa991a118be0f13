package org.hesspec.spectral;

import java.nio.file.Path;
import java.util.function.IntFunction;
import org.hesspec.curvature.LinearOperator;

/**
 * How an estimate is executed, as opposed to what it estimates: worker threads, progress reports
 * and checkpoints. Nothing here changes the numbers: with the same config the result is identical
 * bit for bit for any thread count, with or without checkpoints.
 *
 * @param threads worker threads for independent runs or samples, at least 1. Worker {@code w}
 *     uses {@code operators.apply(w)}, so each thread can own its own operator (e.g. its own
 *     TensorFlow session).
 * @param listener receives progress reports
 * @param checkpointDirectory where Lanczos runs save their state (one file per run), or null for
 *     none; an estimate started again with the same directory and config resumes from it
 * @param checkpointEvery steps between checkpoints, at least 1
 */
public record RunOptions(
    int threads, ProgressListener listener, Path checkpointDirectory, int checkpointEvery) {

  public RunOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (listener == null) {
      throw new IllegalArgumentException("listener must not be null (use ProgressListener.NONE)");
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + checkpointEvery);
    }
  }

  /** One thread, no reports, no checkpoints. */
  public static RunOptions sequential() {
    return new RunOptions(1, ProgressListener.NONE, null, 10);
  }

  public RunOptions withThreads(int n) {
    return new RunOptions(n, listener, checkpointDirectory, checkpointEvery);
  }

  public RunOptions withListener(ProgressListener l) {
    return new RunOptions(threads, l, checkpointDirectory, checkpointEvery);
  }

  public RunOptions withCheckpoints(Path directory, int every) {
    return new RunOptions(threads, listener, directory, every);
  }

  /** The checkpoint policy for the Lanczos run named {@code name}, or null without checkpoints. */
  CheckpointPolicy checkpoint(String name) {
    return checkpointDirectory == null
        ? null
        : new CheckpointPolicy(checkpointDirectory.resolve(name + ".lanczos"), checkpointEvery);
  }

  /** Adapts a single operator: only valid with one thread (it is not assumed thread-safe). */
  static IntFunction<LinearOperator> single(LinearOperator a) {
    return worker -> a;
  }
}
