package org.hesspec.report;

/**
 * One grid point of a smoothed spectral density ({@code density.csv}).
 *
 * @param sweep the sweep value, empty without a sweep
 * @param split {@code train} or {@code test}
 * @param operator {@code hessian}, {@code G}, {@code H} or a class-structure part
 * @param scale {@code linear} (x is the eigenvalue) or {@code log} (x is log10|lambda|). The
 *     contract has no column for the sign part of a log density (positive or negative
 *     eigenvalues); until it does, the runner must keep the two parts apart itself, and {@link
 *     #SCALES} is the one place to extend if the contract adds scale values for them
 * @param x the grid point
 * @param density the density at x
 */
public record DensityRow(
    String sweep, String split, String operator, String scale, double x, double density) {

  /** The values of {@code scale} that CONTRACT.md allows. */
  public static final java.util.Set<String> SCALES = java.util.Set.of("linear", "log");

  public DensityRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(operator, "operator");
    if (!SCALES.contains(scale)) {
      throw new IllegalArgumentException("scale must be one of " + SCALES + ", got '" + scale + "'");
    }
  }
}
