package org.hesspec.report;

/** Checks shared by the text columns of the row records (sweep, split, operator, ...). */
final class RowText {

  private RowText() {}

  /** A required label: not null, not blank, and on one line. */
  static String label(String value, String column) {
    text(value, column);
    if (value.isBlank()) {
      throw new IllegalArgumentException(column + " must not be blank");
    }
    return value;
  }

  /** Optional text such as the sweep value: empty is allowed, null and line breaks are not. */
  static String text(String value, String column) {
    if (value == null) {
      throw new IllegalArgumentException(column + " must not be null (use \"\" for none)");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(column + " must be on one line: '" + value + "'");
    }
    return value;
  }

  /** A count or index that cannot be negative (rank, run, node, samples). */
  static int nonNegative(int value, String column) {
    if (value < 0) {
      throw new IllegalArgumentException(column + " must be >= 0, got " + value);
    }
    return value;
  }
}
