package org.hesspec.report;

import static org.hesspec.report.CsvNumbers.format;
import static org.hesspec.report.CsvNumbers.parseDouble;
import static org.hesspec.report.CsvNumbers.parseInt;

import java.util.List;

/**
 * The tables a run writes (docs/output-contract.md), each with exactly the contract's columns
 * in the contract's order. Use them with {@link TableFile}, e.g.
 * {@code TableFile.in(runDir.root(), Tables.DENSITY).append(rows)}.
 */
public final class Tables {

  private Tables() {}

  /**
   * The {@code sweep} value of a run without a sweep. Never an empty cell: pandas and R read an empty cell as
   * missing, and pandas' {@code groupby} silently drops such rows.
   */
  public static final String NO_SWEEP = "none";

  /** {@code density.csv}: sweep, split, operator, scale, x, density. */
  public static final TableSchema<DensityRow> DENSITY =
      new TableSchema<>(
          "density.csv",
          List.of("sweep", "split", "operator", "scale", "x", "density"),
          r ->
              List.of(
                  r.sweep(),
                  r.split(),
                  r.operator(),
                  r.scale(),
                  format(r.x(), "x"),
                  format(r.density(), "density")),
          c ->
              new DensityRow(
                  c.get(0),
                  c.get(1),
                  c.get(2),
                  c.get(3),
                  parseDouble(c.get(4), "x"),
                  parseDouble(c.get(5), "density")));

  /** {@code ritz.csv}: sweep, split, operator, run, node, weight. */
  public static final TableSchema<RitzRow> RITZ =
      new TableSchema<>(
          "ritz.csv",
          List.of("sweep", "split", "operator", "run", "node", "weight"),
          r ->
              List.of(
                  r.sweep(),
                  r.split(),
                  r.operator(),
                  Integer.toString(r.run()),
                  format(r.node(), "node"),
                  format(r.weight(), "weight")),
          c ->
              new RitzRow(
                  c.get(0),
                  c.get(1),
                  c.get(2),
                  parseInt(c.get(3), "run"),
                  parseDouble(c.get(4), "node"),
                  parseDouble(c.get(5), "weight")));

  /** {@code eigenvalues.csv}: sweep, split, operator, method, rank, eigenvalue, residual. */
  public static final TableSchema<EigenvalueRow> EIGENVALUES =
      new TableSchema<>(
          "eigenvalues.csv",
          List.of("sweep", "split", "operator", "method", "rank", "eigenvalue", "residual"),
          r ->
              List.of(
                  r.sweep(),
                  r.split(),
                  r.operator(),
                  r.method(),
                  Integer.toString(r.rank()),
                  format(r.eigenvalue(), "eigenvalue"),
                  format(r.residual(), "residual")),
          c ->
              new EigenvalueRow(
                  c.get(0),
                  c.get(1),
                  c.get(2),
                  c.get(3),
                  parseInt(c.get(4), "rank"),
                  parseDouble(c.get(5), "eigenvalue"),
                  parseDouble(c.get(6), "residual")));

  /** {@code trace.csv}: sweep, split, operator, method, estimate, std_error, samples. */
  public static final TableSchema<TraceRow> TRACE =
      new TableSchema<>(
          "trace.csv",
          List.of("sweep", "split", "operator", "method", "estimate", "std_error", "samples"),
          r ->
              List.of(
                  r.sweep(),
                  r.split(),
                  r.operator(),
                  r.method(),
                  format(r.estimate(), "estimate"),
                  format(r.stdError(), "std_error"),
                  Integer.toString(r.samples())),
          c ->
              new TraceRow(
                  c.get(0),
                  c.get(1),
                  c.get(2),
                  c.get(3),
                  parseDouble(c.get(4), "estimate"),
                  parseDouble(c.get(5), "std_error"),
                  parseInt(c.get(6), "samples")));

  /** {@code class_structure.csv}: sweep, split, level, rank, eigenvalue. */
  public static final TableSchema<ClassStructureRow> CLASS_STRUCTURE =
      new TableSchema<>(
          "class_structure.csv",
          List.of("sweep", "split", "level", "rank", "eigenvalue"),
          r ->
              List.of(
                  r.sweep(),
                  r.split(),
                  r.level(),
                  Integer.toString(r.rank()),
                  format(r.eigenvalue(), "eigenvalue")),
          c ->
              new ClassStructureRow(
                  c.get(0),
                  c.get(1),
                  c.get(2),
                  parseInt(c.get(3), "rank"),
                  parseDouble(c.get(4), "eigenvalue")));

  /** {@code summary.csv}: sweep, split, operator, quantity, value. */
  public static final TableSchema<SummaryRow> SUMMARY =
      new TableSchema<>(
          "summary.csv",
          List.of("sweep", "split", "operator", "quantity", "value"),
          r ->
              List.of(r.sweep(), r.split(), r.operator(), r.quantity(), format(r.value(), "value")),
          c ->
              new SummaryRow(
                  c.get(0), c.get(1), c.get(2), c.get(3), parseDouble(c.get(4), "value")));

  /** {@code embedding.csv}: sweep, split, method, kind, c, c2, x, y (c2 empty for a class mean). */
  public static final TableSchema<EmbeddingRow> EMBEDDING =
      new TableSchema<>(
          "embedding.csv",
          List.of("sweep", "split", "method", "kind", "c", "c2", "x", "y"),
          r ->
              List.of(
                  r.sweep(),
                  r.split(),
                  r.method(),
                  r.kind(),
                  Integer.toString(r.c()),
                  r.c2() == EmbeddingRow.NONE ? "" : Integer.toString(r.c2()),
                  format(r.x(), "x"),
                  format(r.y(), "y")),
          c ->
              new EmbeddingRow(
                  c.get(0),
                  c.get(1),
                  c.get(2),
                  c.get(3),
                  parseInt(c.get(4), "c"),
                  c.get(5).isEmpty() ? EmbeddingRow.NONE : parseInt(c.get(5), "c2"),
                  parseDouble(c.get(6), "x"),
                  parseDouble(c.get(7), "y")));

  /** All seven, in the contract's order. */
  public static List<TableSchema<?>> all() {
    return List.of(DENSITY, RITZ, EIGENVALUES, TRACE, CLASS_STRUCTURE, SUMMARY, EMBEDDING);
  }
}
