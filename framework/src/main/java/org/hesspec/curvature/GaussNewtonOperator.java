package org.hesspec.curvature;

import org.hesspec.curvature.CurvatureGraph.Product;

/**
 * The Gauss-Newton matrix {@code G = 1/n sum_i J_i^T A_i J_i}, {@code J_i = df(x_i)/dtheta},
 * {@code A_i = d2 l/dz2} (for softmax cross-entropy {@code diag(p_i) - p_i p_i^T}): the talk's
 * "covariance of gradients", positive semidefinite. Each product is
 * {@code v -> J v -> A J v -> J^T A J v}, with the forward-mode {@code J v} obtained from two
 * reverse passes (the "double-VJP" trick: {@code J v = d/du <J^T u, v>}).
 */
public final class GaussNewtonOperator extends ProductOperator {

  public GaussNewtonOperator(CurvatureGraph graph, BatchedData data) {
    super(graph, data, Product.GAUSS_NEWTON);
  }
}
