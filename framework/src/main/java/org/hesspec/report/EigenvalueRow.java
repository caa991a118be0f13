package org.hesspec.report;

/**
 * One eigenvalue ({@code eigenvalues.csv}).
 *
 * @param method {@code lanczos} or {@code exact}
 * @param rank 1 for the largest, in the order the method reports
 * @param eigenvalue the eigenvalue
 * @param residual {@code ||A v - lambda v||}; NaN where there is none (written as an empty cell)
 */
public record EigenvalueRow(
    String sweep,
    String split,
    String operator,
    String method,
    int rank,
    double eigenvalue,
    double residual) {

  public EigenvalueRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(operator, "operator");
    RowText.label(method, "method");
    RowText.nonNegative(rank, "rank");
  }
}
