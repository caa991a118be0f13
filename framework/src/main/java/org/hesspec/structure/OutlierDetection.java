package org.hesspec.structure;

import java.util.Arrays;

/**
 * Decides which of the top eigenvalues of an operator are outliers, i.e. lie outside the bulk of its
 * spectrum. Papyan (2019), "Measurements of three-level hierarchical structure in the outliers in the
 * spectrum of deepnet Hessians", counts about C such outliers for C classes (C^2 at the second level);
 * this class makes "outlier" a stated, reproducible rule.
 *
 * <p>The rule, verbatim (also {@link #RULE}, for reports):
 *
 * <blockquote>
 * Let l_1 &gt;= l_2 &gt;= ... &gt;= l_m be the supplied top eigenvalues, b the estimated upper edge of the
 * bulk, t = b + margin * |b| the outlier threshold, and s the bulk spacing: the median of the gaps
 * l_j - l_(j+1) between consecutive supplied eigenvalues that are both &lt;= t (s = 0 when fewer than two
 * such gaps exist). Put l_(m+1) = b. The number of outliers K is the largest k such that l_k &gt; t and
 * l_k - max(l_(k+1), b) &gt; gapFactor * s; K = 0 when no k qualifies. The outliers are l_1, ..., l_K.
 * </blockquote>
 *
 * <p>Why this rule: the margin guards against the edge fluctuations of the largest bulk eigenvalues
 * and an edge estimate that is slightly low; the gap condition asks the last outlier to stand apart
 * from what follows it by more than the bulk's own spacing, so a bulk eigenvalue that merely crosses
 * the threshold is not counted. Taking the largest such k (rather than stopping at the first small
 * gap) keeps clusters of outliers that lie close to each other, such as the C class outliers, whole:
 * only the gap below the group matters. Supply more eigenvalues than the expected number of outliers
 * (for example C + 10), so that some lie in the bulk and s can be measured.
 */
public final class OutlierDetection {

  private OutlierDetection() {}

  /** The rule as printed in reports; the parameters are reported next to it in {@link Result}. */
  public static final String RULE = "Let l_1 >= l_2 >= ... >= l_m be the supplied top eigenvalues, b the estimated upper edge of the"
      + " bulk, t = b + margin * |b| the outlier threshold, and s the bulk spacing: the median of the gaps"
      + " l_j - l_(j+1) between consecutive supplied eigenvalues that are both <= t (s = 0 when fewer than two"
      + " such gaps exist). Put l_(m+1) = b. The number of outliers K is the largest k such that l_k > t and"
      + " l_k - max(l_(k+1), b) > gapFactor * s; K = 0 when no k qualifies. The outliers are l_1, ..., l_K.";

  /** Default relative margin above the bulk edge. */
  public static final double DEFAULT_MARGIN = 0.05;

  /** Default multiple of the bulk spacing that the gap below the last outlier must exceed. */
  public static final double DEFAULT_GAP_FACTOR = 3.0;

  /**
   * The decision and everything it used.
   *
   * @param count K, the number of outliers
   * @param outliers l_1..l_K
   * @param bulkEdge b
   * @param margin the relative margin
   * @param gapFactor the gap factor
   * @param threshold t = b + margin |b|
   * @param bulkSpacing s (0 when it could not be measured; see {@link #spacingMeasured})
   * @param spacingMeasured whether at least two gaps below t were available
   * @param separatingGap l_K - max(l_(K+1), b), the gap below the last outlier (NaN when K = 0)
   */
  public record Result(int count, double[] outliers, double bulkEdge, double margin, double gapFactor, double threshold,
      double bulkSpacing, boolean spacingMeasured, double separatingGap) {

    /** The rule with this result's parameters, for a report. */
    public String describe() {
      return RULE + " Parameters: b = " + bulkEdge + ", margin = " + margin + ", gapFactor = " + gapFactor + ", t = "
          + threshold + ", s = " + bulkSpacing + (spacingMeasured ? "" : " (not measured)") + "; K = " + count + ".";
    }
  }

  /** The rule with {@link #DEFAULT_MARGIN} and {@link #DEFAULT_GAP_FACTOR}. */
  public static Result detect(double[] topEigenvaluesDescending, double bulkEdge) {
    return detect(topEigenvaluesDescending, bulkEdge, DEFAULT_MARGIN, DEFAULT_GAP_FACTOR);
  }

  /**
   * Applies the rule in the class documentation.
   *
   * @param l the top eigenvalues, in descending order
   * @throws IllegalArgumentException when l is empty, not descending, or holds non-finite values, or the
   *     parameters are negative or non-finite
   */
  public static Result detect(double[] l, double bulkEdge, double margin, double gapFactor) {
    if (l == null || l.length == 0) {
      throw new IllegalArgumentException("no eigenvalues supplied");
    }
    if (!Double.isFinite(bulkEdge)) {
      throw new IllegalArgumentException("bulk edge is " + bulkEdge);
    }
    if (!(margin >= 0 && Double.isFinite(margin)) || !(gapFactor >= 0 && Double.isFinite(gapFactor))) {
      throw new IllegalArgumentException("margin and gapFactor must be finite and >= 0, got " + margin + ", " + gapFactor);
    }
    int m = l.length;
    for (int j = 0; j < m; j++) {
      if (!Double.isFinite(l[j])) {
        throw new IllegalArgumentException("eigenvalue " + j + " is " + l[j]);
      }
      if (j > 0 && l[j] > l[j - 1]) {
        throw new IllegalArgumentException("eigenvalues must be descending, but l[" + j + "] = " + l[j] + " > l[" + (j - 1) + "] = " + l[j - 1]);
      }
    }
    double t = bulkEdge + margin * Math.abs(bulkEdge);
    double[] gaps = new double[m];
    int ng = 0;
    for (int j = 0; j + 1 < m; j++) {
      if (l[j] <= t) { // then l[j+1] <= t too, the list being descending
        gaps[ng++] = l[j] - l[j + 1];
      }
    }
    boolean measured = ng >= 2;
    double s = measured ? median(Arrays.copyOf(gaps, ng)) : 0;
    int count = 0;
    double separating = Double.NaN;
    for (int k = m; k >= 1; k--) { // largest k first
      double next = k < m ? Math.max(l[k], bulkEdge) : bulkEdge;
      double gap = l[k - 1] - next;
      if (l[k - 1] > t && gap > gapFactor * s) {
        count = k;
        separating = gap;
        break;
      }
    }
    return new Result(count, Arrays.copyOf(l, count), bulkEdge, margin, gapFactor, t, s, measured, separating);
  }

  private static double median(double[] v) {
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }
}
