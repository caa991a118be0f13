package org.hesspec.structure;

import java.util.Arrays;

/**
 * Accuracy and logit margins of a classifier on labelled examples: where the model stands in training
 * (Papyan, Han and Donoho 2020: the terminal phase begins at zero training error and drives margins up).
 * The margin of example i is {@code f_{y_i} - max_{c != y_i} f_c}; it is positive exactly when the example is
 * classified correctly with no tie. It is unchanged by adding a constant to all logits, so log-probabilities
 * give the same margins as logits.
 *
 * @param accuracy the fraction of examples whose margin is positive
 * @param marginQ05 the 5 % quantile of the margins (linear interpolation between order statistics)
 * @param marginMedian the median margin
 */
public record Margins(double accuracy, double marginQ05, double marginMedian) {

  /** The statistics of {@code logits} (n x C) at {@code labels}. */
  public static Margins of(double[][] logits, int[] labels) {
    int n = logits.length;
    if (n != labels.length || n == 0) {
      throw new IllegalArgumentException(n + " logit rows for " + labels.length + " labels");
    }
    double[] margin = new double[n];
    int correct = 0;
    for (int i = 0; i < n; i++) {
      double[] f = logits[i];
      int y = labels[i];
      if (y < 0 || y >= f.length) {
        throw new IllegalArgumentException("label " + y + " of example " + i + " outside [0, " + f.length + ")");
      }
      double other = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < f.length; c++) {
        if (c != y) {
          other = Math.max(other, f[c]);
        }
      }
      margin[i] = f[y] - other;
      correct += margin[i] > 0 ? 1 : 0;
    }
    Arrays.sort(margin);
    return new Margins((double) correct / n, quantile(margin, 0.05), quantile(margin, 0.5));
  }

  /** The q-quantile of sorted values, interpolating linearly between order statistics (type 7). */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
