package org.hesspec.model.train;

import java.util.SplittableRandom;

/** The seeded order in which an epoch visits the training examples. */
final class EpochOrder {
  private EpochOrder() {}

  /** A permutation of 0..n-1 that depends only on (seed, epoch). */
  static int[] permutation(int n, long seed, int epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    // Separate stream per epoch, so resuming at epoch k would see the same order as a full run.
    SplittableRandom r = new SplittableRandom(seed ^ (0x632BE59BD9B4E019L * (epoch + 1)));
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
