package org.hesspec.structure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bulk and its outliers for one operator, from what a run records: the smoothed SLQ density on its
 * grid, the Ritz nodes and weights behind it, the kernel width, the dimension and the top eigenvalues.
 * It applies {@link BulkEdge} (minBulkMass = min(1/2, 3 C / p): three times the C outliers that Papyan
 * (2019) expects, so that an outlier group is not mistaken for the bulk), {@link OutlierDetection}
 * with its defaults (which does not depend on that edge), and {@link #eigengapCount}.
 *
 * @param edge the bulk edge and the mass split between the bulk component and the isolated mass above it
 * @param outliers the outliers and mini-outliers
 * @param separatedMass the Ritz mass above the empty region below the outliers and mini-outliers ({@link
 *     OutlierDetection.Result#emptyPoint()}), about (outliers + mini-outliers) / p; 0 when none is separated
 * @param eigengapCount the index j maximising l_j / l_(j+1) (0 when undefined)
 */
public record OutlierSummary(BulkEdge.Estimate edge, OutlierDetection.Result outliers, double separatedMass, int eigengapCount) {

  /**
   * @param x the density's grid, ascending
   * @param density the density on the grid, integrating to 1
   * @param nodes the Ritz nodes of all runs
   * @param weights their weights, each run's divided by the number of runs (summing to 1)
   * @param kernelWidth the kernel's standard deviation
   * @param dimension p
   * @param top the top eigenvalues, descending
   * @param classes C
   * @throws IllegalArgumentException for malformed input (see {@link BulkEdge} and {@link OutlierDetection})
   */
  public static OutlierSummary of(double[] x, double[] density, double[] nodes, double[] weights, double kernelWidth,
      int dimension, double[] top, int classes) {
    double minMass = Math.min(0.5, 3.0 * classes / dimension);
    BulkEdge.Estimate edge = BulkEdge.estimate(x, density, nodes, weights, BulkEdge.DEFAULT_FRACTION, minMass);
    OutlierDetection.Result r = OutlierDetection.detect(top, x, density, kernelWidth, dimension);
    double separated = Double.isNaN(r.emptyPoint()) ? 0 : massBetween(nodes, weights, r.emptyPoint(), Double.POSITIVE_INFINITY);
    return new OutlierSummary(edge, r, separated, eigengapCount(top));
  }

  /**
   * The largest relative eigengap: the index j (1-based) that maximises l_j / l_(j+1) over consecutive
   * top eigenvalues with l_(j+1) &gt; 0, the first such j on ties; 0 when no l_(j+1) is positive. A
   * simpler count than {@link OutlierDetection}, for comparison (results/paper/README.md).
   */
  public static int eigengapCount(double[] top) {
    int best = 0;
    double bestRatio = Double.NEGATIVE_INFINITY;
    for (int j = 0; j + 1 < top.length; j++) {
      if (top[j + 1] > 0 && top[j] / top[j + 1] > bestRatio) {
        bestRatio = top[j] / top[j + 1];
        best = j + 1;
      }
    }
    return best;
  }

  /** The total weight of the nodes in the interval (lo, hi]. */
  public static double massBetween(double[] nodes, double[] weights, double lo, double hi) {
    double m = 0;
    for (int k = 0; k < nodes.length; k++) {
      if (nodes[k] > lo && nodes[k] <= hi) {
        m += weights[k];
      }
    }
    return m;
  }

  /**
   * The summary.csv quantities, in order: bulk_edge, bulk_mass and isolated_mass_above (the mass of
   * BulkEdge's bulk component and of the components above it at its level), separated_mass, outlier_count,
   * outlier_1 ... outlier_K, mini_outlier_count, mini_outlier_low and mini_outlier_high (when there are
   * mini-outliers), eigengap_count.
   */
  public Map<String, Double> quantities() {
    Map<String, Double> q = new LinkedHashMap<>();
    q.put("bulk_edge", edge.edge());
    q.put("bulk_mass", edge.bulkMass());
    q.put("isolated_mass_above", edge.isolatedMassAbove());
    q.put("separated_mass", separatedMass);
    q.put("outlier_count", (double) outliers.count());
    for (int i = 0; i < outliers.count(); i++) {
      q.put("outlier_" + (i + 1), outliers.outliers()[i]);
    }
    q.put("mini_outlier_count", (double) outliers.miniCount());
    if (outliers.miniCount() > 0) {
      q.put("mini_outlier_low", outliers.miniLow());
      q.put("mini_outlier_high", outliers.miniHigh());
    }
    q.put("eigengap_count", (double) eigengapCount);
    return q;
  }
}
