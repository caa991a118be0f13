package org.hesspec.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Draws exactly {@code perClass} examples of every class, reproducibly (the paper's 10, 51 and 506
 * examples per class).
 *
 * <p>For each class {@code c}, its examples' indices (ascending) are shuffled by a partial
 * Fisher-Yates pass driven by its own stream {@code "per-class/<c>"} of the seed, and the first
 * {@code perClass} are kept. The kept indices of all classes are returned in ascending original
 * order, so the subset keeps the data set's own interleaving of classes.
 *
 * <p>Because step {@code k} of a partial Fisher-Yates pass does not depend on how many steps
 * follow, the subsets for one seed are nested: the 10 examples per class are among the 51, which
 * are among the 506. A sweep over the amount of data thus adds examples instead of redrawing them.
 */
public final class PerClassSampler {

  private PerClassSampler() {}

  /**
   * The indices of the sample, ascending.
   *
   * @throws DataException if the data set has no labels or a class has fewer than
   *     {@code perClass} examples (the message names the class and its count)
   * @throws IllegalArgumentException if {@code perClass < 1}
   */
  public static int[] indices(Dataset data, int perClass, long seed) {
    if (perClass < 1) {
      throw new IllegalArgumentException("per_class must be at least 1, got " + perClass);
    }
    if (data.labels() == null) {
      throw new DataException(data.name() + ": per-class subsampling needs class labels, and this data set has only regression targets");
    }
    int[] counts = data.classCounts();
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] < perClass) {
        throw new DataException(data.name() + ": class " + c + " has " + counts[c] + " examples, fewer than per_class = " + perClass);
      }
    }
    int[][] byClass = new int[counts.length][];
    int[] fill = new int[counts.length];
    for (int c = 0; c < counts.length; c++) {
      byClass[c] = new int[counts[c]];
    }
    int[] labels = data.labels();
    for (int i = 0; i < labels.length; i++) {
      byClass[labels[i]][fill[labels[i]]++] = i;
    }
    int[] out = new int[perClass * counts.length];
    int k = 0;
    for (int c = 0; c < counts.length; c++) {
      int[] idx = byClass[c];
      Random r = new Random(Seeds.derive(seed, "per-class/" + c));
      for (int j = 0; j < perClass; j++) {
        int pick = j + r.nextInt(idx.length - j);
        int t = idx[j];
        idx[j] = idx[pick];
        idx[pick] = t;
        out[k++] = idx[j];
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** The sample itself: {@code data.subset(indices(data, perClass, seed))}. */
  public static Dataset sample(Dataset data, int perClass, long seed) {
    Dataset s = data.subset(indices(data, perClass, seed));
    return new Dataset(data.name() + "[per_class=" + perClass + ",seed=" + seed + "]", s.features(), s.exampleShape(),
        s.labels(), s.targets(), s.targetWidth(), s.numClasses());
  }
}
