package org.hesspec.report;

/**
 * How numbers are spelled in the CSV tables.
 *
 * <p>Whole numbers below 2^53 are written as integers ({@code 55050}); other finite doubles use
 * {@link Double#toString(double)}: plain decimal for moderate magnitudes,
 * scientific notation ({@code 1.0E-7}) otherwise, and always the shortest text that reads back
 * to the identical double, so a write/read round trip is exact. NaN means "not available" (for
 * example the residual of an exact eigenvalue) and is written as an <em>empty cell</em>, which
 * pandas, R and spreadsheets all read as missing. Infinities have no meaningful place in any
 * table and are refused with an exception rather than written as a word no reader agrees on.
 */
final class CsvNumbers {

  private CsvNumbers() {}

  /**
   * Formats one double cell.
   *
   * @param column the column name, for the error message
   * @throws IllegalArgumentException for an infinite value
   */
  static String format(double value, String column) {
    if (Double.isNaN(value)) {
      return "";
    }
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "column '" + column + "': infinite value " + value + " cannot be written to a table");
    }
    // Whole numbers (counts such as p = 55050, n, the outlier count) are written as integers, not "55050.0",
    // so that pandas and R read a count as an integer; -0.0 keeps its sign through Double.toString.
    if (value == Math.rint(value) && Math.abs(value) < 0x1p53 && Double.doubleToRawLongBits(value) != Long.MIN_VALUE) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  /** Parses a double cell; an empty cell is NaN (see {@link #format}). */
  static double parseDouble(String cell, String column) {
    String s = cell.strip();
    if (s.isEmpty()) {
      return Double.NaN;
    }
    // Double.parseDouble would accept "NaN" and "Infinity"; the writer never produces them, so a
    // table containing them was not written by us and is reported rather than half-trusted.
    if (!s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
      throw new IllegalArgumentException("column '" + column + "': not a number: '" + cell + "'");
    }
    return Double.parseDouble(s);
  }

  /** Parses an integer cell (ranks, run and sample counts); empty cells are not allowed. */
  static int parseInt(String cell, String column) {
    try {
      return Integer.parseInt(cell.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "column '" + column + "': not an integer: '" + cell + "'", e);
    }
  }
}
