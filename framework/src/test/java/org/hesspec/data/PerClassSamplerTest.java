package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PerClassSamplerTest {

  /** 1000 examples of 3 classes, unbalanced (class 2 is rarest), feature = original index. */
  private static Dataset unbalanced() {
    int n = 1000;
    float[] x = new float[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = i % 7 == 0 ? 2 : (i % 2);
    }
    return Dataset.classification("toy", x, new int[] {1}, y, 3);
  }

  @Test
  void exactCountsPerClassSortedAndConsistent() {
    Dataset d = unbalanced();
    Dataset s = PerClassSampler.sample(d, 51, 5);
    assertArrayEquals(new int[] {51, 51, 51}, s.classCounts());
    int[] idx = PerClassSampler.indices(d, 51, 5);
    for (int k = 0; k < idx.length; k++) {
      if (k > 0) {
        assertTrue(idx[k] > idx[k - 1], "ascending, no repeats");
      }
      // The subset holds the examples at those indices, labels and features together.
      assertEquals(idx[k], s.features()[k], 0f);
      assertEquals(d.labels()[idx[k]], s.labels()[k]);
    }
  }

  @Test
  void deterministicForASeedAndDifferentAcrossSeeds() {
    Dataset d = unbalanced();
    assertArrayEquals(PerClassSampler.indices(d, 10, 42), PerClassSampler.indices(d, 10, 42));
    assertFalse(Arrays.equals(PerClassSampler.indices(d, 10, 42), PerClassSampler.indices(d, 10, 43)));
  }

  @Test
  void smallerSamplesAreNestedInLargerOnes() {
    Dataset d = unbalanced();
    Set<Integer> big = new HashSet<>();
    for (int i : PerClassSampler.indices(d, 100, 9)) {
      big.add(i);
    }
    for (int i : PerClassSampler.indices(d, 10, 9)) {
      assertTrue(big.contains(i), "index " + i + " of the 10-per-class sample is in the 100-per-class one");
    }
  }

  @Test
  void takingAllOfAClassIsAllowed() {
    Dataset d = unbalanced();
    int rare = d.classCounts()[2];
    assertEquals(rare, PerClassSampler.sample(d, rare, 1).classCounts()[2]);
  }

  @Test
  void tooFewExamplesNamesTheClass() {
    Dataset d = unbalanced();
    int rare = d.classCounts()[2];
    DataException e = assertThrows(DataException.class, () -> PerClassSampler.sample(d, rare + 1, 1));
    assertTrue(e.getMessage().contains("class 2 has " + rare + " examples, fewer than per_class = " + (rare + 1)), e.getMessage());
  }

  @Test
  void missingClassAndNoLabels() {
    Dataset d = Dataset.classification("gap", new float[] {1, 2, 3}, new int[] {1}, new int[] {0, 0, 2}, 3);
    DataException e = assertThrows(DataException.class, () -> PerClassSampler.sample(d, 1, 1));
    assertTrue(e.getMessage().contains("class 1 has 0 examples"), e.getMessage());
    Dataset r = new Dataset("reg", new float[] {1, 2}, new int[] {1}, null, new float[] {0, 1}, 1, 0);
    assertThrows(DataException.class, () -> PerClassSampler.sample(r, 1, 1));
  }
}
