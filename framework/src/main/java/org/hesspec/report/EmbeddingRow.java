package org.hesspec.report;

/**
 * One point of a 2-D embedding of the gradient means ({@code embedding.csv}): a class mean
 * {@code delta_c} or a cross-class mean {@code d_{c,c'}} placed by classical MDS or t-SNE.
 *
 * @param method {@code mds} or {@code tsne}
 * @param kind {@code class_mean} (delta_c, no c') or {@code cross_mean} (d_{c,c'}, c' may equal c)
 * @param c the class c
 * @param c2 the class c' of a cross-class mean; {@link #NONE} for a class mean (written as an empty cell)
 * @param x first embedding coordinate
 * @param y second embedding coordinate
 */
public record EmbeddingRow(String sweep, String split, String method, String kind, int c, int c2, double x, double y) {

  /** The c2 of a class mean, which has no second class. */
  public static final int NONE = -1;

  public EmbeddingRow {
    RowText.text(sweep, "sweep");
    RowText.label(split, "split");
    RowText.label(method, "method");
    RowText.label(kind, "kind");
    RowText.nonNegative(c, "c");
    if (c2 < NONE) {
      throw new IllegalArgumentException("c2 must be >= 0 or NONE, got " + c2);
    }
  }
}
