package org.hesspec.report;

/**
 * One eigenvalue of a class-structure part of G ({@code class_structure.csv}).
 *
 * @param level {@code class_means}, {@code cross_class}, {@code means} or {@code within}
 * @param rank 1 for the largest
 * @param eigenvalue the eigenvalue (exact, from the small Gram matrix, for the mean levels)
 */
public record ClassStructureRow(
    String sweep, String split, String level, int rank, double eigenvalue) {

  public ClassStructureRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(level, "level");
    RowText.nonNegative(rank, "rank");
  }
}
