package org.hesspec.curvature;

import org.hesspec.curvature.CurvatureGraph.Product;

/**
 * {@code H = 1/n sum_i sum_c r_ic d2 f_c(x_i)/dtheta2}, the talk's "Hessian of predictions": the
 * residual-weighted Hessian of the logits, {@code r_i = dl/dz} at {@code z = f(x_i)}. Computed
 * directly as the Hessian of {@code s(theta) = 1/n sum_i stop_gradient(r_i) . f(x_i; theta)}, which
 * avoids the cancellation of {@code Hess v - G v}; {@code Hess = G + H} is a test, not the method.
 */
public final class ResidualHessianOperator implements LinearOperator {
  private final CurvatureGraph graph;
  private final BatchedData data;

  public ResidualHessianOperator(CurvatureGraph graph, BatchedData data) {
    this.graph = graph;
    this.data = data;
  }

  @Override
  public int dimension() {
    return graph.dimension();
  }

  @Override
  public void apply(double[] v, double[] out) {
    System.arraycopy(graph.apply(Product.RESIDUAL_HESSIAN, v, data), 0, out, 0, out.length);
  }
}
