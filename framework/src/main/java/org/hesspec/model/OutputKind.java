package org.hesspec.model;

/**
 * What the model's output tensor holds. The curvature code always works with logits {@code z};
 * for the other kinds it uses {@code z = log p} (probabilities) or {@code z = log p} as given
 * (log-probabilities), which is exact because {@code softmax(log p) = p} when {@code p} sums to one.
 */
public enum OutputKind {
  LOGITS,
  PROBABILITIES,
  LOG_PROBABILITIES;

  /** The name in experiment files ({@code model.output_kind}): {@code logits}, {@code probabilities} or {@code log_probabilities}. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses the name {@link #yamlName()} gives (case-insensitive). */
  public static OutputKind parse(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "logits" -> LOGITS;
      case "probabilities" -> PROBABILITIES;
      case "log_probabilities" -> LOG_PROBABILITIES;
      default -> throw new IllegalArgumentException(
          "output_kind '" + s + "': expected logits, probabilities or log_probabilities");
    };
  }
}
