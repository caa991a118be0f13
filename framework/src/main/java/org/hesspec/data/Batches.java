package org.hesspec.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A pass over a data set in mini-batches of a fixed size (the last one smaller when the size does
 * not divide n). Batches are copied lazily, one at a time, so a pass costs one batch of memory.
 *
 * <p>{@link #inOrder} visits examples 0, 1, ..., n-1, the order for evaluating sums over the data
 * (where only speed may depend on the batch size). {@link #shuffled} visits a seeded permutation,
 * for training; a trainer takes one permutation per epoch with
 * {@code shuffled(data, size, Seeds.derive(seed, "epoch/" + epoch))}. Either way every example is
 * visited exactly once per pass.
 */
public final class Batches implements Iterable<Batch> {

  private final Dataset data;
  private final int batchSize;
  private final int[] order;

  private Batches(Dataset data, int batchSize, int[] order) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    this.data = data;
    this.batchSize = batchSize;
    this.order = order;
  }

  /** Examples in data-set order. */
  public static Batches inOrder(Dataset data, int batchSize) {
    int[] order = new int[data.size()];
    Arrays.setAll(order, i -> i);
    return new Batches(data, batchSize, order);
  }

  /** Examples in the order of {@link #permutation(int, long)}. */
  public static Batches shuffled(Dataset data, int batchSize, long seed) {
    return new Batches(data, batchSize, permutation(data.size(), seed));
  }

  /**
   * A uniformly random permutation of {@code 0..n-1}, by a Fisher-Yates shuffle driven by the
   * stream {@code "batches/shuffle"} of {@code seed}; the same seed gives the same order.
   */
  public static int[] permutation(int n, long seed) {
    return permutation(n, new Random(Seeds.derive(seed, "batches/shuffle")));
  }

  /** A permutation of {@code 0..n-1} by a Fisher-Yates shuffle driven by {@code random}. */
  public static int[] permutation(int n, RandomGenerator random) {
    int[] p = new int[n];
    Arrays.setAll(p, i -> i);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The batch size (all batches but possibly the last). */
  public int batchSize() {
    return batchSize;
  }

  /** The number of batches, {@code ceil(n / batchSize)}. */
  public int count() {
    return (order.length + batchSize - 1) / batchSize;
  }

  /** The order in which examples are visited (a copy). */
  public int[] order() {
    return order.clone();
  }

  /** Batch {@code b}, {@code 0 <= b < count()}. */
  public Batch get(int b) {
    if (b < 0 || b >= count()) {
      throw new IndexOutOfBoundsException("batch " + b + " of " + count());
    }
    int from = b * batchSize;
    return Batch.of(data, Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)));
  }

  @Override
  public Iterator<Batch> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return get(next++);
      }
    };
  }
}
