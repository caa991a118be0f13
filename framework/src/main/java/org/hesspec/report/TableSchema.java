package org.hesspec.report;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The shape of one CSV table of a run: its file name, its columns in order, and how a row record
 * turns into cells and back. The tables of docs/output-contract.md are the constants of {@link Tables}.
 *
 * @param fileName the file name inside the run folder, e.g. {@code density.csv}
 * @param columns the header, in the order the contract gives
 * @param encoder one row to its cells, one per column, already spelled (see {@link CsvNumbers})
 * @param decoder the cells of one line, one per column, back to a row
 * @param <R> the row record
 */
public record TableSchema<R>(
    String fileName,
    List<String> columns,
    Function<R, List<String>> encoder,
    Function<List<String>, R> decoder) {

  public TableSchema {
    Objects.requireNonNull(fileName, "fileName");
    columns = List.copyOf(columns);
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(decoder, "decoder");
  }

  /** The cells of {@code row}, checked to be one per column. */
  List<String> encode(R row) {
    List<String> cells = encoder.apply(Objects.requireNonNull(row, "row"));
    if (cells.size() != columns.size()) {
      throw new IllegalStateException(
          fileName + ": encoder gave " + cells.size() + " cells for " + columns.size() + " columns");
    }
    return cells;
  }
}
