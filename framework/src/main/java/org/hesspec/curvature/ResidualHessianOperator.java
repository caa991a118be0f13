package org.hesspec.curvature;

import org.hesspec.curvature.CurvatureGraph.Product;

/**
 * {@code H = 1/n sum_i sum_c r_ic d2 f_c(x_i)/dtheta2}, the talk's "Hessian of predictions": the
 * residual-weighted Hessian of the logits, {@code r_i = dl/dz} at {@code z = f(x_i)}. Computed
 * directly as the Hessian of {@code s(theta) = 1/n sum_i stop_gradient(r_i) . f(x_i; theta)}, which
 * avoids the cancellation of {@code Hess v - G v}; {@code Hess = G + H} is a test, not the method.
 */
public final class ResidualHessianOperator extends ProductOperator {

  public ResidualHessianOperator(CurvatureGraph graph, BatchedData data) {
    super(graph, data, Product.RESIDUAL_HESSIAN);
  }
}
