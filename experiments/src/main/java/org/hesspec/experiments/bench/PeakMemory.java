package org.hesspec.experiments.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc/self (native TensorFlow memory included), in MiB. */
final class PeakMemory {
  private PeakMemory() {}

  /** The peak resident set size so far (VmHWM), or since the last {@link #resetPeak}. */
  static double mib() {
    return status("VmHWM:");
  }

  /** The resident set size now (VmRSS). */
  static double currentMib() {
    return status("VmRSS:");
  }

  /** Resets the peak to the current size (Linux 4.0+: "5" to clear_refs); false where that is not possible. */
  static boolean resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static double status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
