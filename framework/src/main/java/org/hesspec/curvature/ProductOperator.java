package org.hesspec.curvature;

import org.hesspec.curvature.CurvatureGraph.Product;

/** A curvature matrix as a {@link LinearOperator}: one product of a {@link CurvatureGraph} over a data subset. */
abstract class ProductOperator implements LinearOperator {
  private final CurvatureGraph graph;
  private final BatchedData data;
  private final Product product;

  ProductOperator(CurvatureGraph graph, BatchedData data, Product product) {
    this.graph = graph;
    this.data = data;
    this.product = product;
  }

  @Override
  public int dimension() {
    return graph.dimension();
  }

  @Override
  public void apply(double[] v, double[] out) {
    graph.apply(product, v, data, out);
  }

  /** Lanczos vectors kept in the graph's session (see {@link CurvatureGraph#recurrence}). */
  @Override
  public java.util.Optional<RecurrenceVectors> recurrence(double shift, double scale) {
    return java.util.Optional.of(graph.recurrence(product, data, shift, scale));
  }
}
