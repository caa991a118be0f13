package org.hesspec.report;

/**
 * One grid point of a smoothed spectral density ({@code density.csv}).
 *
 * @param sweep the sweep value, empty without a sweep
 * @param split {@code train} or {@code test}
 * @param operator {@code hessian}, {@code G}, {@code H} or a class-structure part
 * @param scale {@code linear} (x is the eigenvalue) or {@code log} (x is log10|lambda| of one
 *     sign part; the operator label says which, e.g. {@code hessian+} / {@code hessian-} as the
 *     runner chooses)
 * @param x the grid point
 * @param density the density at x
 */
public record DensityRow(
    String sweep, String split, String operator, String scale, double x, double density) {

  public DensityRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(operator, "operator");
    if (!"linear".equals(scale) && !"log".equals(scale)) {
      throw new IllegalArgumentException("scale must be 'linear' or 'log', got '" + scale + "'");
    }
  }
}
