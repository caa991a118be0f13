package org.hesspec.curvature;

import org.hesspec.curvature.CurvatureOperator;

/** Finite differences and dense matrices from products, for tests. */
final class CurvatureNumerics {
  private CurvatureNumerics() {}

  /** Central difference of the gradient: (g(theta + h v) - g(theta - h v)) / 2h, approximates Hess v. */
  static double[] finiteDifferenceHv(CurvatureGraph g, BatchedData data, double[] theta, double[] v, double h) {
    double[] plus = theta.clone();
    double[] minus = theta.clone();
    for (int i = 0; i < v.length; i++) {
      plus[i] += h * v[i];
      minus[i] -= h * v[i];
    }
    g.setTheta(plus);
    double[] gp = g.gradient(data);
    g.setTheta(minus);
    double[] gm = g.gradient(data);
    g.setTheta(theta);
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (gp[i] - gm[i]) / (2 * h);
    }
    return out;
  }

  /** The dense p x p matrix of an operator, column j = A e_j. */
  static double[][] dense(LinearOperator a) {
    int p = a.dimension();
    double[][] m = new double[p][p];
    double[] e = new double[p];
    for (int j = 0; j < p; j++) {
      e[j] = 1;
      double[] col = a.apply(e);
      e[j] = 0;
      for (int i = 0; i < p; i++) {
        m[i][j] = col[i];
      }
    }
    return m;
  }

  static double norm(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  static double relativeError(double[] approx, double[] exact) {
    double d = 0;
    for (int i = 0; i < exact.length; i++) {
      d += (approx[i] - exact[i]) * (approx[i] - exact[i]);
    }
    return Math.sqrt(d) / norm(exact);
  }

  static double frobenius(double[][] m) {
    double s = 0;
    for (double[] row : m) {
      for (double x : row) {
        s += x * x;
      }
    }
    return Math.sqrt(s);
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
