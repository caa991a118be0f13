package org.hesspec.model.train;

import java.util.SplittableRandom;
import org.hesspec.data.Batches;

/** The seeded order in which an epoch visits the training examples. */
final class EpochOrder {
  private EpochOrder() {}

  /** A permutation of 0..n-1 that depends only on (seed, epoch). */
  static int[] permutation(int n, long seed, int epoch) {
    // Separate stream per epoch, so resuming at epoch k would see the same order as a full run.
    return Batches.permutation(n, new SplittableRandom(seed ^ (0x632BE59BD9B4E019L * (epoch + 1))));
  }
}
