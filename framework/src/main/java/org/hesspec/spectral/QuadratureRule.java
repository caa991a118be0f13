package org.hesspec.spectral;

/**
 * The Gauss quadrature rule of one Lanczos run: {@code sum_k weights[k] f(nodes[k])} approximates
 * {@code v^T f(A) v} for the run's unit start vector {@code v}, exactly for polynomials of degree
 * below {@code 2 m} (Golub and Meurant, "Matrices, Moments and Quadrature with Applications",
 * 2010, ch. 6). The rows of {@code ritz.csv}.
 *
 * @param run the run index within its estimate
 * @param seed the seed of the run's start vector ({@link Seeds#derive} of the estimate's seed)
 * @param breakdown whether the run stopped early (then the rule is exact for that start vector)
 * @param nodes the Ritz values in the operator's own scale, ascending; length m = steps taken
 * @param weights the squared first components of the eigenvectors of {@code T_m}; they sum to 1
 */
public record QuadratureRule(
    int run, long seed, boolean breakdown, double[] nodes, double[] weights) {

  public QuadratureRule {
    if (nodes.length != weights.length || nodes.length == 0) {
      throw new IllegalArgumentException(
          "nodes and weights must have the same positive length, got " + nodes.length + " and "
              + weights.length);
    }
  }

  /** The number of nodes, equal to the Lanczos steps taken. */
  public int steps() {
    return nodes.length;
  }

  /** {@code sum_k weights[k] nodes[k]^power}, the rule's estimate of {@code v^T A^power v}. */
  public double moment(int power) {
    double s = 0;
    for (int k = 0; k < nodes.length; k++) {
      s += weights[k] * Math.pow(nodes[k], power);
    }
    return s;
  }
}
