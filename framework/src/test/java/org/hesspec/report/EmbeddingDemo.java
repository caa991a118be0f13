package org.hesspec.report;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hesspec.structure.ClassicalMds;
import org.hesspec.structure.Tsne;

/**
 * Synthetic gradient means with Papyan's structure, embedded by the real {@link ClassicalMds} and
 * {@link Tsne}: the rows a run writes to {@code embedding.csv}, for drawing the figure in tests.
 */
final class EmbeddingDemo {

  private EmbeddingDemo() {}

  /**
   * C class means and C² means in 60 dimensions: {@code d_{c,c'} = u_c - 0.5 u_{c'} + 0.25 noise}
   * for c' ≠ c (clustered by c, spread by c'), the self means {@code d_{c,c} = -1.5 δ_c + 0.1 noise}
   * (pointing against the cross terms, as {@code sum_c' sqrt(p_ic') d_{i,c,c'} = 0} makes them),
   * {@code δ_c} the mean of the C-1 cross terms. Rows of both methods, for sweep "" and split train.
   */
  static List<EmbeddingRow> rows(int classes, long seed) {
    int dim = 60;
    SplittableRandom r = new SplittableRandom(seed);
    double[][] u = new double[classes][dim];
    for (double[] v : u) {
      for (int j = 0; j < dim; j++) {
        v[j] = gaussian(r) / Math.sqrt(dim) * 3;
      }
    }
    int n = classes + classes * classes;
    double[][] points = new double[n][dim];
    for (int c = 0; c < classes; c++) {
      for (int c2 = 0; c2 < classes; c2++) {
        if (c2 != c) {
          double[] d = points[classes + c * classes + c2];
          for (int j = 0; j < dim; j++) {
            d[j] = u[c][j] - 0.5 * u[c2][j] + 0.25 * gaussian(r) / Math.sqrt(dim) * 3;
            points[c][j] += d[j] / (classes - 1);
          }
        }
      }
      for (int j = 0; j < dim; j++) {
        points[classes + c * classes + c][j] = -1.5 * points[c][j] + 0.1 * gaussian(r) / Math.sqrt(dim) * 3;
      }
    }
    double[][] gram = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        for (int j = 0; j < dim; j++) {
          gram[a][b] += points[a][j] * points[b][j];
        }
      }
    }
    double[][] mds = ClassicalMds.fromGram(gram, 2).coordinates();
    double[][] tsne = Tsne.embed(Tsne.squaredDistancesFromGram(gram), Tsne.Options.DEFAULTS.withSeed(seed)).coordinates();
    List<EmbeddingRow> rows = new ArrayList<>();
    for (String method : List.of("mds", "tsne")) {
      double[][] xy = method.equals("mds") ? mds : tsne;
      for (int c = 0; c < classes; c++) {
        rows.add(new EmbeddingRow("", "train", method, "class_mean", c, EmbeddingRow.NONE, xy[c][0], xy[c][1]));
      }
      for (int c = 0; c < classes; c++) {
        for (int c2 = 0; c2 < classes; c2++) {
          double[] p = xy[classes + c * classes + c2];
          rows.add(new EmbeddingRow("", "train", method, "cross_mean", c, c2, p[0], p[1]));
        }
      }
    }
    return rows;
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
