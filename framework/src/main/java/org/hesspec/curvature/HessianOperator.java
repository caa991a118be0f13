package org.hesspec.curvature;

import org.hesspec.curvature.CurvatureGraph.Product;

/**
 * The Hessian of the mean loss over a data subset, {@code Hess = d2/dtheta2 1/n sum_i l(f(x_i; theta), y_i)},
 * by Pearlmutter's trick: {@code Hess v = d/dtheta <dL/dtheta, v>} (Pearlmutter 1994, "Fast exact
 * multiplication by the Hessian"). Restricted to the parameter tensors the graph was built for,
 * it is the corresponding diagonal block of the full Hessian.
 */
public final class HessianOperator extends ProductOperator {

  public HessianOperator(CurvatureGraph graph, BatchedData data) {
    super(graph, data, Product.HESSIAN);
  }
}
