package org.hesspec.spectral;

import java.nio.file.Path;

/**
 * Where and how often a Lanczos run saves its state.
 *
 * @param file the checkpoint file; written atomically (temporary file, then move), so a crash
 *     leaves either the previous or the new checkpoint, never a torn one
 * @param every write after every {@code every} steps (and once more when the run finishes), at
 *     least 1
 */
public record CheckpointPolicy(Path file, int every) {
  public CheckpointPolicy {
    if (file == null) {
      throw new IllegalArgumentException("file must be a path, got null");
    }
    if (every < 1) {
      throw new IllegalArgumentException("every must be >= 1 step, got " + every);
    }
  }

  /** The same cadence for another file, e.g. one per run of a density estimate. */
  public CheckpointPolicy withFile(Path other) {
    return new CheckpointPolicy(other, every);
  }
}
