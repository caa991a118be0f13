package org.hesspec.curvature;

import org.hesspec.curvature.CurvatureGraph.Product;

/**
 * The Hessian of the mean loss over a data subset, {@code Hess = d2/dtheta2 1/n sum_i l(f(x_i; theta), y_i)},
 * by Pearlmutter's trick: {@code Hess v = d/dtheta <dL/dtheta, v>} (Pearlmutter 1994, "Fast exact
 * multiplication by the Hessian"). Restricted to the parameter tensors the graph was built for,
 * it is the corresponding diagonal block of the full Hessian.
 */
public final class HessianOperator implements LinearOperator {
  private final CurvatureGraph graph;
  private final BatchedData data;

  public HessianOperator(CurvatureGraph graph, BatchedData data) {
    this.graph = graph;
    this.data = data;
  }

  @Override
  public int dimension() {
    return graph.dimension();
  }

  @Override
  public void apply(double[] v, double[] out) {
    System.arraycopy(graph.apply(Product.HESSIAN, v, data), 0, out, 0, out.length);
  }
}
