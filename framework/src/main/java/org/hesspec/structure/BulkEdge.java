package org.hesspec.structure;

import java.util.ArrayList;
import java.util.List;

/**
 * Estimates the upper edge of the bulk of a spectrum from its smoothed density on a grid and the
 * quadrature nodes behind it (Ritz nodes and weights of stochastic Lanczos quadrature, or exact
 * eigenvalues with weight 1/p each). The edge and the bulk's mass are reported next to the outlier
 * count ({@link OutlierSummary}; {@link OutlierDetection} does not use the edge); Papyan (2019) separates the spectrum of deepnet Hessians into a bulk and about C
 * outliers.
 *
 * <p>Rule, verbatim (also {@link #RULE}):
 *
 * <blockquote>
 * Let h = fraction * max_x density(x). The support components are the maximal runs of consecutive grid
 * points with density &gt;= h; each extends to where the linear interpolant of the density crosses h (or
 * to the end of the grid). The mass of a component is the total normalised weight of the nodes inside it.
 * A component with mass &lt; minBulkMass is isolated mass (outliers), not bulk. The bulk edge is the right end
 * of the highest component whose mass is &gt;= minBulkMass. If no component carries minBulkMass alone (the
 * density resolves single eigenvalues: few distinct eigenvalues, or Lanczos with as many steps as
 * parameters), components are taken from the top down until their total mass reaches minBulkMass, and the
 * bulk edge is the right end of the last one taken.
 * </blockquote>
 *
 * <p>Choosing the parameters: each eigenvalue of a p x p operator carries mass 1/p, so a group of k
 * outliers carries about k/p (with stochastic Lanczos, each run's weight of an outlier is random with mean
 * 1/p; averaging K runs narrows it). Pass minBulkMass = k/p with k a few times the largest outlier group
 * expected (for example 3 C / p). The masses are taken from the nodes, not by integrating the smoothed
 * density, because the kernel spreads each node's mass beyond the threshold crossings. The estimate
 * lies above the largest bulk eigenvalue by about sigma * sqrt(2 ln(w / (sqrt(2 pi) sigma h))) for a
 * kernel of width sigma and an edge node of weight w: the kernel's resolution. Outliers closer to the bulk
 * than a few sigma merge with it and cannot be separated at that width.
 */
public final class BulkEdge {

  private BulkEdge() {}

  /** The rule as printed in reports. */
  public static final String RULE = "Let h = fraction * max_x density(x). The support components are the maximal runs of consecutive"
      + " grid points with density >= h; each extends to where the linear interpolant of the density crosses h (or to"
      + " the end of the grid). The mass of a component is the total normalised weight of the nodes inside it. A"
      + " component with mass < minBulkMass is isolated mass (outliers), not bulk. The bulk edge is the right end of"
      + " the highest component whose mass is >= minBulkMass. If no component carries minBulkMass alone (the density"
      + " resolves single eigenvalues), components are taken from the top down until their total mass reaches"
      + " minBulkMass, and the bulk edge is the right end of the last one taken.";

  /** Default fraction of the density's maximum that delimits the support. */
  public static final double DEFAULT_FRACTION = 1e-3;

  /**
   * The estimate and what it used.
   *
   * @param edge the bulk's upper edge
   * @param fraction the fraction of the maximum density
   * @param minBulkMass the smallest mass a component needs to count as bulk
   * @param level h, the density level that delimits the components
   * @param bulkMass the mass of the component whose right end is the edge
   * @param isolatedAbove the number of components above the edge that were set aside as isolated mass
   * @param isolatedMassAbove their total mass
   * @param resolvedAtoms whether no component carried minBulkMass alone, so that the edge comes from
   *     the top-down accumulation of the rule's last sentence (the caller should say so: the edge is
   *     then a count of eigenvalues, not a feature of a continuous bulk)
   */
  public record Estimate(double edge, double fraction, double minBulkMass, double level, double bulkMass, int isolatedAbove,
      double isolatedMassAbove, boolean resolvedAtoms) {}

  /**
   * Applies the rule in the class documentation.
   *
   * @param x grid, strictly ascending
   * @param density density values on the grid, non-negative
   * @param nodes quadrature nodes (any order)
   * @param weights their non-negative weights, any positive total (normalised here)
   * @param fraction in (0, 1)
   * @param minBulkMass in [0, 1]
   * @throws IllegalArgumentException for malformed input, or when all components together carry less than
   *     minBulkMass (the nodes lie outside the density's support)
   */
  public static Estimate estimate(double[] x, double[] density, double[] nodes, double[] weights, double fraction,
      double minBulkMass) {
    check(x, density, nodes, weights, fraction, minBulkMass);
    int n = x.length;
    double max = 0;
    for (double d : density) {
      max = Math.max(max, d);
    }
    if (!(max > 0)) {
      throw new IllegalArgumentException("density is zero everywhere on the grid");
    }
    double h = fraction * max;
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("node weights sum to zero");
    }
    List<double[]> comps = new ArrayList<>(); // {left, right}
    int i = 0;
    while (i < n) {
      if (density[i] < h) {
        i++;
        continue;
      }
      int j = i;
      while (j + 1 < n && density[j + 1] >= h) {
        j++;
      }
      double left = i == 0 ? x[0] : crossing(x[i - 1], density[i - 1], x[i], density[i], h);
      double right = j == n - 1 ? x[n - 1] : crossing(x[j], density[j], x[j + 1], density[j + 1], h);
      comps.add(new double[] {left, right});
      i = j + 1;
    }
    double[] masses = new double[comps.size()];
    for (int c = 0; c < comps.size(); c++) {
      double[] iv = comps.get(c);
      for (int k = 0; k < nodes.length; k++) {
        if (nodes[k] >= iv[0] && nodes[k] <= iv[1]) {
          masses[c] += weights[k] / total;
        }
      }
    }
    int isolated = 0;
    double isolatedMass = 0;
    for (int c = comps.size() - 1; c >= 0; c--) {
      if (masses[c] >= minBulkMass) {
        return new Estimate(comps.get(c)[1], fraction, minBulkMass, h, masses[c], isolated, isolatedMass, false);
      }
      isolated++;
      isolatedMass += masses[c];
    }
    // No component alone carries minBulkMass: the density resolves single eigenvalues. Take
    // components from the top down until their mass reaches minBulkMass.
    double taken = 0;
    for (int c = comps.size() - 1; c >= 0; c--) {
      if (taken + masses[c] >= minBulkMass) {
        int above = comps.size() - 1 - c;
        return new Estimate(comps.get(c)[1], fraction, minBulkMass, h, masses[c], above, taken, true);
      }
      taken += masses[c];
    }
    throw new IllegalArgumentException("the support components carry together only " + taken + " < minBulkMass="
        + minBulkMass + " (" + comps.size() + " components at level " + h
        + "): the nodes lie outside the density's support");
  }

  /** Where the segment from (x0, d0) to (x1, d1) crosses level h (d0 and d1 on opposite sides of h). */
  private static double crossing(double x0, double d0, double x1, double d1, double h) {
    return x0 + (h - d0) / (d1 - d0) * (x1 - x0);
  }

  private static void check(double[] x, double[] density, double[] nodes, double[] weights, double fraction, double minBulkMass) {
    if (x == null || density == null || x.length != density.length || x.length < 2) {
      throw new IllegalArgumentException("grid and density must have the same length, at least 2");
    }
    if (nodes == null || weights == null || nodes.length != weights.length || nodes.length == 0) {
      throw new IllegalArgumentException("nodes and weights must have the same, positive length");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || (i > 0 && !(x[i] > x[i - 1]))) {
        throw new IllegalArgumentException("grid must be finite and strictly ascending, fails at index " + i);
      }
      if (!(density[i] >= 0 && Double.isFinite(density[i]))) {
        throw new IllegalArgumentException("density must be finite and >= 0, value " + i + " is " + density[i]);
      }
    }
    for (int k = 0; k < nodes.length; k++) {
      if (!Double.isFinite(nodes[k]) || !(weights[k] >= 0 && Double.isFinite(weights[k]))) {
        throw new IllegalArgumentException("node " + k + " = " + nodes[k] + " with weight " + weights[k] + " is invalid");
      }
    }
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must lie in (0, 1), got " + fraction);
    }
    if (!(minBulkMass >= 0 && minBulkMass <= 1)) {
      throw new IllegalArgumentException("minBulkMass must lie in [0, 1], got " + minBulkMass);
    }
  }
}
