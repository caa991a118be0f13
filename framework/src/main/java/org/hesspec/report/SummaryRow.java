package org.hesspec.report;

/**
 * One key number of a run ({@code summary.csv}), e.g. the outlier count, the bulk edge or the
 * tail exponent; these are also the numbers the HTML report shows.
 *
 * @param quantity the name of the number, snake_case, e.g. {@code bulk_edge}
 * @param value its value; NaN when it could not be determined (written empty)
 */
public record SummaryRow(
    String sweep, String split, String operator, String quantity, double value) {

  public SummaryRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(operator, "operator");
    RowText.label(quantity, "quantity");
  }
}
