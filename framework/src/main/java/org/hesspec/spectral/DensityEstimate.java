package org.hesspec.spectral;

import java.util.List;

/**
 * A spectral density estimated by stochastic Lanczos quadrature, with everything needed to
 * reproduce or compare it.
 *
 * <p>{@code density[i]} estimates the density of the eigenvalue distribution {@code (1/p) sum_i
 * delta(x - lambda_i)} at {@code x[i]}, in the operator's own units: it integrates to 1 over the
 * grid (which extends five kernel widths beyond every node).
 *
 * @param config the parameters (M, K, grid points, seed, ...)
 * @param bounds the estimated spectrum bounds
 * @param center the center of the affine map onto [-1, 1]
 * @param halfWidth the half-width of that map ({@code (upper - lower) (1 + margin) / 2})
 * @param kernelWidth the kernel's standard deviation in the operator's units
 * @param x the grid, ascending, evenly spaced
 * @param density the smoothed density on the grid
 * @param quadrature the K quadrature rules (Ritz nodes in the operator's scale and weights)
 */
public record DensityEstimate(
    DensityConfig config,
    SpectrumBounds bounds,
    double center,
    double halfWidth,
    double kernelWidth,
    double[] x,
    double[] density,
    List<QuadratureRule> quadrature) {

  /**
   * The mass the quadrature rules put below zero, averaged over the K runs: the estimated fraction
   * of negative eigenvalues (from the Ritz nodes and weights, not from the smoothed density, whose
   * kernel spreads mass across zero).
   */
  public double negativeMass() {
    double negative = 0;
    for (QuadratureRule q : quadrature) {
      for (int j = 0; j < q.nodes().length; j++) {
        if (q.nodes()[j] < 0) {
          negative += q.weights()[j] / quadrature.size();
        }
      }
    }
    return negative;
  }

  /** The trapezoidal integral of the density over the grid (1 up to the grid's resolution). */
  public double integral() {
    double s = 0;
    for (int i = 1; i < x.length; i++) {
      s += 0.5 * (density[i] + density[i - 1]) * (x[i] - x[i - 1]);
    }
    return s;
  }
}
