package org.hesspec.structure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.Loss;
import org.hesspec.data.Dataset;

/**
 * The class and cross-class means of the Gauss-Newton factors (DESIGN.md, Papyan 2019 "Measurements
 * of three-level hierarchical structure in the outliers in the spectrum of deepnet Hessians").
 *
 * <p>Write {@code A_i = sum_c' a_ic' a_ic'^T} (softmax cross-entropy: {@code a_ic' = sqrt(p_ic') (e_c' - p_i)};
 * MSE: {@code a_ic' = e_c'}), so that {@code G = 1/n sum_i sum_c' d_ic' d_ic'^T} with
 * {@code d_ic' = J_i^T a_ic'}. Then, for examples i of class c,
 *
 * <pre>
 *   delta_{c,c'} = mean_{i in c} d_ic'      (C^2 cross-class means; one weighted VJP each)
 *   delta_c      = mean_{c'} delta_{c,c'}    (C class means)
 *   pi_c         = n_c / n
 * </pre>
 *
 * The vectors are kept in a {@link VectorStore} (memory-mapped when they do not fit in memory).
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
   * Computes every {@code delta_{c,c'}} over the examples {@code indices} of {@code data}.
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

  /** Copies delta_{c,c'} into {@code out}. */
  public void crossClassMean(int c, int c2, double[] out) {
    crossClass.get(c * numClasses + c2, out);
  }

  /** delta_c = mean over c' of delta_{c,c'}. */
  public double[] classMean(int c) {
    double[] out = new double[dimension];
    for (int c2 = 0; c2 < numClasses; c2++) {
      crossClass.addScaled(c * numClasses + c2, 1.0 / numClasses, out);
    }
    return out;
  }

  /** The C^2 x C^2 matrix of inner products {@code K[(c,c'),(e,e')] = <delta_{c,c'}, delta_{e,e'}>}. */
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

  /** {@code out = G_means v = sum_c pi_c sum_c' delta_{c,c'} <delta_{c,c'}, v>}. */
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
