package org.hesspec.model.train;

/**
 * Mean softmax cross-entropy and accuracy of a model on a labelled set.
 *
 * @param loss mean cross-entropy (natural log), computed in double precision from float32 logits
 * @param accuracy fraction of examples whose largest logit is the label (ties: the first index)
 * @param examples number of examples
 */
public record Metrics(double loss, double accuracy, int examples) {

  /** Metrics of logits {@code [n, C]} (row-major) against labels. */
  public static Metrics of(float[] logits, int[] labels, int numClasses) {
    int n = labels.length;
    if (logits.length != (long) n * numClasses) {
      throw new IllegalArgumentException(logits.length + " logits for " + n + " examples of " + numClasses + " classes");
    }
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int off = i * numClasses;
      int best = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < numClasses; c++) {
        if (logits[off + c] > max) {
          max = logits[off + c];
          best = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < numClasses; c++) {
        sum += Math.exp(logits[off + c] - max);
      }
      loss += max + Math.log(sum) - logits[off + labels[i]];
      if (best == labels[i]) {
        correct++;
      }
    }
    return new Metrics(n == 0 ? Double.NaN : loss / n, n == 0 ? Double.NaN : (double) correct / n, n);
  }
}
