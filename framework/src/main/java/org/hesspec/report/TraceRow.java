package org.hesspec.report;

/**
 * One trace estimate ({@code trace.csv}).
 *
 * @param method e.g. {@code hutchinson}, {@code hutchpp}, {@code exact}
 * @param estimate the estimated trace
 * @param stdError its standard error; NaN where the method gives none (written empty)
 * @param samples the number of matrix-vector products or probe vectors used
 */
public record TraceRow(
    String sweep,
    String split,
    String operator,
    String method,
    double estimate,
    double stdError,
    int samples) {

  public TraceRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(operator, "operator");
    RowText.label(method, "method");
    RowText.nonNegative(samples, "samples");
  }
}
