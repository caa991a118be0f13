package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

  /** n examples of shape [2]: features (i, -i), label i mod 3, target 10 i. */
  private static Dataset data(int n) {
    float[] x = new float[2 * n];
    int[] y = new int[n];
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = -i;
      y[i] = i % 3;
      t[i] = 10 * i;
    }
    return new Dataset("toy", x, new int[] {2}, y, t, 1, 3);
  }

  /** Checks every batch's contents against its indices and returns the visited indices. */
  private static int[] visit(Dataset d, Batches batches, int batchSize) {
    List<Integer> seen = new ArrayList<>();
    int count = 0;
    for (Batch b : batches) {
      count++;
      assertTrue(b.size() <= batchSize);
      assertArrayEquals(new long[] {b.size(), 2}, b.shape());
      for (int k = 0; k < b.size(); k++) {
        int i = b.indices()[k];
        assertEquals(i, b.x()[2 * k], 0f);
        assertEquals(-i, b.x()[2 * k + 1], 0f);
        assertEquals(d.labels()[i], b.labels()[k]);
        assertEquals(10 * i, b.targets()[k], 0f);
        seen.add(i);
      }
    }
    assertEquals(batches.count(), count);
    return seen.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void inOrderCoversEveryExampleOnceWithASmallerLastBatch() {
    Dataset d = data(23);
    Batches b = Batches.inOrder(d, 5);
    assertEquals(5, b.count());
    assertEquals(3, b.get(4).size());
    int[] seen = visit(d, b, 5);
    int[] expected = new int[23];
    Arrays.setAll(expected, i -> i);
    assertArrayEquals(expected, seen);
  }

  @Test
  void shuffledIsAPermutationFixedBySeed() {
    Dataset d = data(100);
    int[] seen = visit(d, Batches.shuffled(d, 7, 3), 7);
    int[] sorted = seen.clone();
    Arrays.sort(sorted);
    int[] expected = new int[100];
    Arrays.setAll(expected, i -> i);
    assertArrayEquals(expected, sorted, "every example exactly once");
    assertFalse(Arrays.equals(expected, seen), "shuffled");
    assertArrayEquals(seen, Batches.shuffled(d, 7, 3).order());
    assertArrayEquals(seen, Batches.shuffled(d, 50, 3).order(), "order independent of batch size");
    assertFalse(Arrays.equals(seen, Batches.shuffled(d, 7, 4).order()));
  }

  @Test
  void exactMultipleAndOversizedBatches() {
    Dataset d = data(10);
    assertEquals(2, Batches.inOrder(d, 5).count());
    assertEquals(5, Batches.inOrder(d, 5).get(1).size());
    assertEquals(1, Batches.inOrder(d, 1000).count());
    assertEquals(10, Batches.inOrder(d, 1000).get(0).size());
    assertThrows(IllegalArgumentException.class, () -> Batches.inOrder(d, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> Batches.inOrder(d, 5).get(2));
  }
}
