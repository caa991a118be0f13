package org.hesspec.experiments.run;

import java.util.Optional;

/**
 * oneDNN's instruction-set cap ({@code ONEDNN_MAX_CPU_ISA}), which changes the speed and the
 * rounding of float32 products; recorded in {@code run.json} and the bench header. The launcher
 * names it as the cure for a known heap corruption on AMD Zen 5 (README, "Limits").
 */
public final class OneDnnCap {

  private OneDnnCap() {}

  /** The cap as set in this process's environment ({@code ALL}: none), empty when unset or blank. */
  public static Optional<String> fromEnvironment() {
    String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
    return isa == null || isa.isBlank() ? Optional.empty() : Optional.of(isa);
  }
}
