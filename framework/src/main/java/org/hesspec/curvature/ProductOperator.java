package org.hesspec.curvature;

/** A {@link CurvatureOperator} over a data subset as a {@link LinearOperator}: its products run in a {@link CurvatureGraph}. */
final class ProductOperator implements LinearOperator {
  private final CurvatureGraph graph;
  private final BatchedData data;
  private final CurvatureOperator operator;

  ProductOperator(CurvatureGraph graph, BatchedData data, CurvatureOperator operator) {
    this.graph = graph;
    this.data = data;
    this.operator = operator;
  }

  @Override
  public int dimension() {
    return graph.dimension();
  }

  @Override
  public void apply(double[] v, double[] out) {
    graph.apply(operator, v, data, out);
  }

  /** Lanczos vectors kept in the graph's session (see {@link CurvatureGraph#recurrence}). */
  @Override
  public java.util.Optional<RecurrenceVectors> recurrence(double shift, double scale) {
    return java.util.Optional.of(graph.recurrence(operator, data, shift, scale));
  }

  /** A thick-restart Lanczos basis kept in the graph's session (see {@link CurvatureGraph#krylovVectors}). */
  @Override
  public java.util.Optional<KrylovVectors> krylovVectors(int slots, org.hesspec.model.Precision precision) {
    return precision == graph.model().precision()
        ? java.util.Optional.of(graph.krylovVectors(operator, data, slots))
        : java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return operator + " over " + data.size() + " examples";
  }
}
