package org.hesspec.report;

/**
 * One Ritz node of one Lanczos run ({@code ritz.csv}): an eigenvalue of the tridiagonal matrix
 * mapped back to the operator's own scale, and its quadrature weight (the squared first
 * component of its eigenvector). These are the raw material of the density, kept so that a
 * density can be re-smoothed with another kernel width without rerunning Lanczos.
 *
 * @param run the Lanczos run, 0-based
 * @param node the Ritz value, in the operator's units
 * @param weight its quadrature weight; the weights of one run sum to one
 */
public record RitzRow(
    String sweep, String split, String operator, int run, double node, double weight) {

  public RitzRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(operator, "operator");
    RowText.nonNegative(run, "run");
  }
}
