package org.hesspec.curvature;

import java.util.Locale;

/**
 * The per-example loss {@code l(z, y)} of logits {@code z in R^C}, with the two quantities the
 * Hessian split needs (docs/mathematics.md):
 *
 * <ul>
 *   <li>{@link #CROSS_ENTROPY}: {@code l = -log softmax(z)_y}; residual {@code r = dl/dz = p - e_y};
 *       curvature {@code A = d2l/dz2 = diag(p) - p p^T}, where {@code p = softmax(z)}.
 *   <li>{@link #MSE}: {@code l = 1/2 ||z - t||^2}; residual {@code r = z - t}; curvature {@code A = I}.
 * </ul>
 */
public enum Loss {
  CROSS_ENTROPY,
  MSE;

  /** The name in experiment files: {@code cross_entropy} or {@code mse}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code cross_entropy} or {@code mse} (as written in an experiment file). */
  public static Loss parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "cross_entropy" -> CROSS_ENTROPY;
      case "mse" -> MSE;
      default -> throw new IllegalArgumentException("loss '" + s + "': expected cross_entropy or mse");
    };
  }
}
