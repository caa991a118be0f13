package org.hesspec.structure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.Loss;
import org.hesspec.data.Dataset;

/**
 * The means of the Gauss-Newton factors by class, in Papyan's convention (Papyan 2019, "Measurements
 * of three-level hierarchical structure in the outliers in the spectrum of deepnet Hessians",
 * arXiv:1901.08244, and his released code; docs/mathematics.md, "Class structure of G").
 *
 * <p>For softmax cross-entropy {@code A_i = sum_c' a_ic' a_ic'^T} with {@code a_ic' = sqrt(p_ic') (e_c' - p_i)}
 * (MSE: {@code a_ic' = e_c'}), so {@code G = 1/n sum_i sum_c' d_{i,c,c'} d_{i,c,c'}^T} with
 * {@code d_{i,c,c'} = J_i^T a_ic'} for an example i of class c. Then
 *
 * <pre>
 *   d_{c,c'} = mean_{i in c} d_{i,c,c'}        (C^2 means; one weighted VJP each; c' = c included)
 *   delta_c  = mean_{c' != c} d_{c,c'}         (C class means: the C-1 cross terms only)
 *   pi_c     = n_c / n
 * </pre>
 *
 * <p>Why {@code c' = c} is kept out of {@code delta_c}: {@code sum_c' sqrt(p_ic') d_{i,c,c'} = J_i^T sum_c' p_ic' (e_c' - p_i) = 0}
 * exactly, so the self term {@code d_{i,c,c}} points against the
 * cross terms and averaging it in cancels the class signal unless {@code p_ic} is close to 1.
 *
 * <p>The C^2 vectors are kept in a {@link VectorStore} (memory-mapped when they do not fit in memory).
 */
public final class ClassMeans implements AutoCloseable {

  private final int numClasses;
  private final double[] pi;
  private final VectorStore crossClass;
  private final int dimension;

  private ClassMeans(int numClasses, double[] pi, VectorStore crossClass) {
    this.numClasses = numClasses;
    this.pi = pi;
    this.crossClass = crossClass;
    this.dimension = crossClass.dimension();
  }

  /** Progress callback: {@code done} of {@code total} weighted VJPs finished. */
  public interface Progress {
    void update(int done, int total);
  }

  /**
   * Computes every {@code d_{c,c'}} over the examples {@code indices} of {@code data}.
   *
   * @param memoryBudgetBytes above this the C^2 vectors go to a memory-mapped file in {@code spillDir}
   */
  public static ClassMeans compute(CurvatureGraph graph, Dataset data, int[] indices, int batchSize, long memoryBudgetBytes,
      Path spillDir, Progress progress) {
    int c = graph.numClasses();
    int[] labels = data.labels();
    if (labels == null) {
      throw new IllegalArgumentException(data.name() + ": class structure needs class labels");
    }
    List<List<Integer>> byClass = new ArrayList<>();
    for (int k = 0; k < c; k++) {
      byClass.add(new ArrayList<>());
    }
    for (int i : indices) {
      if (labels[i] >= c) {
        throw new IllegalArgumentException(data.name() + ": label " + labels[i] + " of example " + i + " but the model has C=" + c + " outputs");
      }
      byClass.get(labels[i]).add(i);
    }
    double[] pi = new double[c];
    int p = graph.dimension();
    VectorStore store = VectorStore.create(c * c, p, memoryBudgetBytes, spillDir);
    try {
      int done = 0;
      for (int cls = 0; cls < c; cls++) {
        List<Integer> members = byClass.get(cls);
        pi[cls] = (double) members.size() / indices.length;
        if (members.isEmpty()) {
          for (int c2 = 0; c2 < c; c2++) {
            store.add(new double[p]);
          }
          done += c;
          continue;
        }
        int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
        try (BatchedData batches = BatchedData.of(data, idx, batchSize, graph.model().precision())) {
          double[][] prob = graph.probabilities(batches);
          int nc = idx.length;
          for (int c2 = 0; c2 < c; c2++) {
            double[][] w = new double[nc][c];
            for (int i = 0; i < nc; i++) {
              if (graph.loss() == Loss.CROSS_ENTROPY) {
                // a_ic' = sqrt(p_ic') (e_c' - p_i), averaged over the class: weight 1/n_c
                double s = Math.sqrt(prob[i][c2]) / nc;
                for (int k = 0; k < c; k++) {
                  w[i][k] = -s * prob[i][k];
                }
                w[i][c2] += s;
              } else {
                w[i][c2] = 1.0 / nc;
              }
            }
            store.add(graph.weightedVjp(w, batches));
            progress.update(++done, c * c);
          }
        }
      }
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return new ClassMeans(c, pi, store);
  }

  /** C. */
  public int numClasses() {
    return numClasses;
  }

  /** pi_c = n_c / n. */
  public double[] pi() {
    return pi.clone();
  }

  /** p. */
  public int dimension() {
    return dimension;
  }

  /** Copies d_{c,c'} into {@code out} (c' = c: the self mean). */
  public void crossClassMean(int c, int c2, double[] out) {
    crossClass.get(c * numClasses + c2, out);
  }

  /** delta_c = 1/(C-1) sum_{c' != c} d_{c,c'} (Papyan's class mean; zero when C = 1). */
  public double[] classMean(int c) {
    double[] out = new double[dimension];
    if (numClasses < 2) {
      return out;
    }
    for (int c2 = 0; c2 < numClasses; c2++) {
      if (c2 != c) {
        crossClass.addScaled(c * numClasses + c2, 1.0 / (numClasses - 1), out);
      }
    }
    return out;
  }

  /**
   * The inner products {@code <d_{c,c'}, u>} of every mean with {@code u}, indexed {@code c * C + c'}
   * (one pass over the stored means; used for subspace overlaps without materialising bases).
   */
  public double[] innerProducts(double[] u) {
    if (u.length != dimension) {
      throw new IllegalArgumentException("vector of length " + u.length + ", expected p=" + dimension);
    }
    double[] out = new double[numClasses * numClasses];
    for (int k = 0; k < out.length; k++) {
      out[k] = crossClass.dot(k, u);
    }
    return out;
  }

  /** The C^2 x C^2 matrix of inner products {@code K[(c,c'),(e,e')] = <d_{c,c'}, d_{e,e'}>}. */
  public double[][] gram() {
    int m = numClasses * numClasses;
    double[][] k = new double[m][m];
    double[] u = new double[dimension];
    for (int a = 0; a < m; a++) {
      crossClass.get(a, u);
      for (int b = a; b < m; b++) {
        k[a][b] = crossClass.dot(b, u);
        k[b][a] = k[a][b];
      }
    }
    return k;
  }

  /** {@code out = G_means v = sum_c pi_c sum_c' d_{c,c'} <d_{c,c'}, v>} (all C^2 means, = (G0 + G1 + G2) v). */
  public void applyMeans(double[] v, double[] out) {
    java.util.Arrays.fill(out, 0);
    for (int c = 0; c < numClasses; c++) {
      if (pi[c] == 0) {
        continue;
      }
      for (int c2 = 0; c2 < numClasses; c2++) {
        int k = c * numClasses + c2;
        crossClass.addScaled(k, pi[c] * crossClass.dot(k, v), out);
      }
    }
  }

  @Override
  public void close() {
    crossClass.close();
  }
}
