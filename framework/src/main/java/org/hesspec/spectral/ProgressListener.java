package org.hesspec.spectral;

/**
 * Receives progress reports; a command-line runner shows them. With several worker threads the
 * listener is called from those threads, so implementations must be thread-safe; reports are
 * serialised (never two calls at once) by the estimators.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores all reports. */
  ProgressListener NONE = progress -> {};

  void progress(Progress progress);
}
