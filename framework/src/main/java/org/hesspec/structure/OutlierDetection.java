package org.hesspec.structure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts the top eigenvalues of an operator that stand apart from the bulk of its spectrum, the way a
 * person counts them on a density plot: an eigenvalue is separated when the smoothed spectral density
 * falls to (near) zero between it and everything below it, and the jump is large against the spacing
 * of the eigenvalues below. Papyan (2019), "Measurements of three-level hierarchical structure in the
 * outliers in the spectrum of deepnet Hessians", sees C outliers for C classes (C - 1 with softmax
 * cross-entropy, whose G has rank at most C - 1 per example) and, below them, C(C - 1) "mini-outliers"
 * from the cross-class means; this class makes both counts a stated, reproducible rule.
 *
 * <p>The rule, verbatim (also {@link #RULE}, for reports, with the default parameters):
 *
 * <blockquote>
 * Let l_1 &gt;= ... &gt;= l_m be the supplied top eigenvalues, phi the smoothed spectral density on its
 * grid, sigma the kernel width and p the dimension, so that one eigenvalue contributes at most phi_1 =
 * 1 / (p sigma sqrt(2 pi)) to phi. The gap below l_j (1 &lt;= j &lt;= m - 3) is separated when (a)
 * phi(x) &lt;= epsilon * phi_1 at some grid point x with l_(j+1) &lt; x &lt; l_j, a region holding almost
 * no mass, and (b) l_j - l_(j+1) &gt; gapFactor * s_j, with s_j the median of the gaps l_i - l_(i+1)
 * below it (i &gt; j). Let J be the lowest separated gap: l_1, ..., l_J are separated from the bulk (none
 * when no gap is separated). Among the separated gaps q &lt; J with q &gt;= minGroup, J - q &gt;= minGroup
 * and l_q / l_(q+1) &gt;= levelRatio, the one with the largest ratio l_q / l_(q+1) splits them into
 * outliers l_1, ..., l_q and mini-outliers l_(q+1), ..., l_J; without such a gap all J are outliers and
 * there are no mini-outliers.
 * </blockquote>
 *
 * <p>The parameters:
 *
 * <ul>
 *   <li>{@code epsilon = 0.01}: the density of a single eigenvalue falls below 1 % of its peak 3
 *       kernel widths from it, so two eigenvalues are told apart only when they are more than about
 *       6 sigma apart: the resolution of the density figure, which a person cannot beat by eye.
 *       Between an outlier group and the bulk the density is many orders of magnitude lower (the
 *       kernel is Gaussian); inside the bulk it is many eigenvalues' worth, so the exact value of
 *       epsilon matters little. Stray Ritz values of an unconverged or non-reorthogonalised Lanczos
 *       run that sit in a gap carry weights of 1e-20 or less and do not fill it. Eigenvalues within
 *       a few sigma of the bulk's last eigenvalues (ranks 10 to 14 of the quickstart's Hessian, 2.3
 *       sigma apart) are attached to it: the density between them stays near phi_1.
 *   <li>{@code gapFactor = 3}: when the kernel is narrower than the spacing of the eigenvalues at the
 *       bulk's edge, the density dips between single eigenvalues there; condition (b) keeps such a
 *       dip from counting unless the jump is three times the spacing below it (the spacing of the
 *       largest eigenvalues of a semicircle or Marchenko-Pastur bulk grows towards the edge, but the
 *       median over the supplied eigenvalues is not three times smaller than a typical top gap: no
 *       outlier in six pure or subcritically spiked Wigner matrices of OutlierDetectionTest).
 *   <li>{@code levelRatio = 2} and {@code minGroup = 2}: Papyan's levels differ in scale (the C class
 *       means against the C(C - 1) smaller cross-class means), so the gap between levels is a
 *       multiplicative jump; clusters within one level, such as the quickstart's outliers at 0.176,
 *       0.156 and 0.130 ... 0.095, differ by factors of 1.2 at most. Each level is a group, not a
 *       single eigenvalue: a lone eigenvalue below a factor-2 gap is an outlier of its own, and a lone
 *       dominant eigenvalue above a group (Fashion-MNIST with 10 examples per class: 2.0, then 0.79
 *       ... 0.39) is the top of one spread-out set of outliers rather than a level of its own.
 * </ul>
 *
 * <p>The rule does not use the level-set bulk edge of {@link BulkEdge}: that edge takes any component
 * with at least its minimum mass for bulk, and a group of C(C - 1) mini-outliers can carry that much;
 * the empty region between the eigenvalues decides instead, with everything below the lowest one
 * being the bulk.
 *
 * <p>Supply more eigenvalues than the expected number of outliers and mini-outliers (for example C + 10,
 * or C^2 + 10 for mini-outliers) so that some lie in the bulk and s_j can be measured: the three lowest
 * supplied eigenvalues are never the last of a separated group. The kernel sets the resolution: outliers
 * closer to the bulk than about 6 sigma merge with it, as they do on the figure.
 */
public final class OutlierDetection {

  private OutlierDetection() {}

  /**
   * The rule's parameters (see the class documentation for why the defaults).
   *
   * @param epsilon the fraction of one eigenvalue's peak density below which the density counts as zero
   * @param gapFactor the multiple of the spacing below that a separated gap must exceed
   * @param levelRatio the smallest ratio l_q / l_(q+1) between the outliers and the mini-outliers
   * @param minGroup the fewest eigenvalues that make a level (outliers and mini-outliers alike)
   */
  public record Parameters(double epsilon, double gapFactor, double levelRatio, int minGroup) {
    public Parameters {
      if (!(epsilon > 0 && epsilon < 1)) {
        throw new IllegalArgumentException("epsilon must lie in (0, 1), got " + epsilon);
      }
      if (!(gapFactor >= 0 && Double.isFinite(gapFactor))) {
        throw new IllegalArgumentException("gapFactor must be finite and >= 0, got " + gapFactor);
      }
      if (!(levelRatio >= 1 && Double.isFinite(levelRatio))) {
        throw new IllegalArgumentException("levelRatio must be finite and >= 1, got " + levelRatio);
      }
      if (minGroup < 1) {
        throw new IllegalArgumentException("minGroup must be >= 1, got " + minGroup);
      }
    }
  }

  /** epsilon = 0.01, gapFactor = 3, levelRatio = 2, minGroup = 2. */
  public static final Parameters DEFAULTS = new Parameters(0.01, 3.0, 2.0, 2);

  /** The rule without its parameter values. */
  static final String RULE_TEXT = "Let l_1 >= ... >= l_m be the supplied top eigenvalues, phi the smoothed"
      + " spectral density on its grid, sigma the kernel width and p the dimension, so that one eigenvalue contributes at most"
      + " phi_1 = 1 / (p sigma sqrt(2 pi)) to phi. The gap below l_j (1 <= j <= m - 3) is separated when (a) phi(x) <="
      + " epsilon * phi_1 at some grid point x with l_(j+1) < x < l_j, a region holding almost no mass, and (b)"
      + " l_j - l_(j+1) > gapFactor * s_j, with s_j the median of the gaps l_i - l_(i+1) below it (i > j). Let J be the"
      + " lowest separated gap: l_1, ..., l_J are separated from the bulk (none when no gap is separated). Among the"
      + " separated gaps q < J with q >= minGroup, J - q >= minGroup and l_q / l_(q+1) >= levelRatio, the one with the largest ratio"
      + " l_q / l_(q+1) splits them into outliers l_1, ..., l_q and mini-outliers l_(q+1), ..., l_J; without such a gap"
      + " all J are outliers and there are no mini-outliers.";

  /** The rule with the default parameters, as printed in reports. */
  public static final String RULE = RULE_TEXT + " Parameters: epsilon = " + DEFAULTS.epsilon() + ", gapFactor = "
      + DEFAULTS.gapFactor() + ", levelRatio = " + DEFAULTS.levelRatio() + ", minGroup = " + DEFAULTS.minGroup() + ".";

  /**
   * The decision and everything it used.
   *
   * @param count the number of outliers (the first level)
   * @param outliers l_1, ..., l_count
   * @param miniCount the number of mini-outliers (the second level; 0 when there is none)
   * @param miniOutliers the mini-outliers, descending
   * @param separatedGaps the separated gaps j (1-based: the gap below l_j), ascending
   * @param emptyPoint a grid point of (near-)zero density in the lowest separated gap: everything above it
   *     is separated from the bulk (NaN when no gap is separated)
   * @param zeroLevel epsilon * phi_1, the density that counts as zero
   * @param parameters the parameters
   */
  public record Result(int count, double[] outliers, int miniCount, double[] miniOutliers, int[] separatedGaps,
      double emptyPoint, double zeroLevel, Parameters parameters) {

    /** The smallest mini-outlier, or NaN when there are none. */
    public double miniLow() {
      return miniCount == 0 ? Double.NaN : miniOutliers[miniCount - 1];
    }

    /** The largest mini-outlier, or NaN when there are none. */
    public double miniHigh() {
      return miniCount == 0 ? Double.NaN : miniOutliers[0];
    }

    /** The rule with this result's parameters, for a report. */
    public String describe() {
      return RULE_TEXT + " Parameters: epsilon = " + parameters.epsilon() + ", gapFactor = "
          + parameters.gapFactor() + ", levelRatio = " + parameters.levelRatio() + ", minGroup = " + parameters.minGroup()
          + ", epsilon * phi_1 = " + zeroLevel + "; separated gaps " + Arrays.toString(separatedGaps) + "; outliers = "
          + count + ", mini-outliers = " + miniCount + ".";
    }
  }

  /** The rule with {@link #DEFAULTS}. */
  public static Result detect(double[] top, double[] x, double[] density, double kernelWidth, int dimension) {
    return detect(top, x, density, kernelWidth, dimension, DEFAULTS);
  }

  /**
   * Applies the rule in the class documentation.
   *
   * @param l the top eigenvalues, descending
   * @param x the density's grid, strictly ascending
   * @param density the smoothed density on the grid, normalised to integrate to 1 (each of the p
   *     eigenvalues carries mass 1/p)
   * @param kernelWidth sigma, the Gaussian kernel's standard deviation
   * @param dimension p
   * @throws IllegalArgumentException when an input is empty, malformed or non-finite
   */
  public static Result detect(double[] l, double[] x, double[] density, double kernelWidth, int dimension,
      Parameters parameters) {
    check(l, x, density, kernelWidth, dimension);
    int m = l.length;
    double zero = parameters.epsilon() / (dimension * kernelWidth * Math.sqrt(2 * Math.PI));
    List<Integer> separated = new ArrayList<>();
    double emptyPoint = Double.NaN;
    for (int j = 1; j <= m - 3; j++) { // the gap between l_j = l[j - 1] and l_(j+1) = l[j]
      double gap = l[j - 1] - l[j];
      double[] below = new double[m - 1 - j];
      for (int i = j; i < m - 1; i++) {
        below[i - j] = l[i] - l[i + 1];
      }
      if (gap > parameters.gapFactor() * median(below)) {
        double empty = emptyBetween(x, density, l[j], l[j - 1], zero);
        if (!Double.isNaN(empty)) {
          separated.add(j);
          emptyPoint = empty;
        }
      }
    }
    int total = separated.isEmpty() ? 0 : separated.get(separated.size() - 1);
    int split = total;
    double best = 0;
    for (int q : separated) {
      if (q < total && q >= parameters.minGroup() && total - q >= parameters.minGroup() && l[q] > 0) {
        double ratio = l[q - 1] / l[q];
        if (ratio >= parameters.levelRatio() && ratio > best) {
          best = ratio;
          split = q;
        }
      }
    }
    return new Result(split, Arrays.copyOf(l, split), total - split, Arrays.copyOfRange(l, split, total),
        separated.stream().mapToInt(Integer::intValue).toArray(), emptyPoint, zero, parameters);
  }

  /** The first grid point strictly inside (lo, hi) with density at most {@code zero}, or NaN when there is none. */
  static double emptyBetween(double[] x, double[] density, double lo, double hi, double zero) {
    int i = Arrays.binarySearch(x, lo);
    i = i >= 0 ? i + 1 : -i - 1; // first grid point > lo
    for (; i < x.length && x[i] < hi; i++) {
      if (density[i] <= zero) {
        return x[i];
      }
    }
    return Double.NaN;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  private static void check(double[] l, double[] x, double[] density, double kernelWidth, int dimension) {
    if (l == null || l.length == 0) {
      throw new IllegalArgumentException("no eigenvalues supplied");
    }
    for (int j = 0; j < l.length; j++) {
      if (!Double.isFinite(l[j])) {
        throw new IllegalArgumentException("eigenvalue " + j + " is " + l[j]);
      }
      if (j > 0 && l[j] > l[j - 1]) {
        throw new IllegalArgumentException("eigenvalues must be descending, but l[" + j + "] = " + l[j] + " > l[" + (j - 1) + "] = " + l[j - 1]);
      }
    }
    if (x == null || density == null || x.length != density.length || x.length < 2) {
      throw new IllegalArgumentException("grid and density must have the same length, at least 2");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || (i > 0 && !(x[i] > x[i - 1]))) {
        throw new IllegalArgumentException("grid must be finite and strictly ascending, fails at index " + i);
      }
      if (!(density[i] >= 0 && Double.isFinite(density[i]))) {
        throw new IllegalArgumentException("density must be finite and >= 0, value " + i + " is " + density[i]);
      }
    }
    if (!(kernelWidth > 0 && Double.isFinite(kernelWidth))) {
      throw new IllegalArgumentException("kernel width must be finite and > 0, got " + kernelWidth);
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
  }
}
