package org.hesspec.report;

/**
 * One grid point of a smoothed spectral density ({@code density.csv}).
 *
 * @param sweep the sweep value, empty without a sweep
 * @param split {@code train} or {@code test}
 * @param operator {@code hessian}, {@code G}, {@code H} or a class-structure part
 * @param scale {@code linear} (x is the eigenvalue), {@code log} (x is log10 lambda, the positive
 *     eigenvalues) or {@code log_negative} (x is log10|lambda|, the negative eigenvalues); the two
 *     log parts carry their share of the mass (README changelog: {@code log_negative} added)
 * @param x the grid point
 * @param density the density at x
 */
public record DensityRow(
    String sweep, String split, String operator, String scale, double x, double density) {

  /** The values of {@code scale} that docs/output-contract.md allows. */
  public static final java.util.Set<String> SCALES = java.util.Set.of("linear", "log", "log_negative");

  public DensityRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(operator, "operator");
    if (!SCALES.contains(scale)) {
      throw new IllegalArgumentException("scale must be one of " + SCALES + ", got '" + scale + "'");
    }
  }
}
