package org.hesspec.structure;

import org.hesspec.curvature.LinearOperator;

/**
 * {@code G_within = G - G_means = sum_c pi_c sum_c' Cov_{i in c}(d_ic')}: the part of the
 * Gauss-Newton matrix left after removing the cross-class means, whose spectrum the density code
 * measures like any other operator.
 */
public final class WithinClassOperator implements LinearOperator {
  private final LinearOperator gaussNewton;
  private final ClassMeans means;

  public WithinClassOperator(LinearOperator gaussNewton, ClassMeans means) {
    if (gaussNewton.dimension() != means.dimension()) {
      throw new IllegalArgumentException("G of dimension " + gaussNewton.dimension() + ", means of dimension " + means.dimension());
    }
    this.gaussNewton = gaussNewton;
    this.means = means;
  }

  @Override
  public int dimension() {
    return gaussNewton.dimension();
  }

  @Override
  public void apply(double[] v, double[] out) {
    gaussNewton.apply(v, out);
    double[] m = new double[out.length];
    means.applyMeans(v, m);
    for (int i = 0; i < out.length; i++) {
      out[i] -= m[i];
    }
  }
}
