package org.hesspec.experiments.run.analysis;

import org.hesspec.experiments.run.Rows;
import org.hesspec.report.SummaryRow;
import org.hesspec.report.Tables;

/**
 * What one unit of work measures: a split of a sweep point and the operator column its rows carry
 * (an operator's name and its parameter group's {@code [name]}, or {@code model} for the regime).
 *
 * @param sweep the sweep point's label (the tables' {@code sweep} column)
 * @param split the split's name
 * @param operator the operator column
 * @param examples n, the split's examples
 * @param dimension p, the parameters of the parameter group
 */
record Unit(String sweep, String split, String operator, int examples, int dimension) {

  /** The same split under another operator column (a unit's rows about G or the model). */
  Unit as(String operatorColumn) {
    return new Unit(sweep, split, operatorColumn, examples, dimension);
  }

  /** Appends the {@code summary.csv} row {@code quantity = value} of this unit. */
  void summary(Rows rows, String quantity, double value) {
    rows.of(Tables.SUMMARY).add(new SummaryRow(sweep, split, operator, quantity, value));
  }
}
