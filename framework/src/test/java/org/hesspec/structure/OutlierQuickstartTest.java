package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outlier rule on the quickstart's training split (experiments/quickstart.yaml: an MLP with p = 11274
 * on a 10-class Gaussian mixture, float32, SLQ with M = 128 and K = 10, top 30 eigenvalues by Lanczos). The
 * fixture holds the run's rows for train/hessian and train/G: the linear density, the Ritz nodes and
 * weights (those with weight below 1e-15, stray copies of converged Ritz values, left out: they change no
 * mass by more than 1e-12), the top eigenvalues and the kernel width. The density figure shows 9 outliers
 * separated from the bulk by an empty region (0.095 ... 0.176, then nothing down to 0.037); ranks 10 to 14
 * (0.028 ... 0.034) sit above the bulk edge estimated at level 1e-3 of the peak (0.024) but are attached
 * to the bulk: the density between them never falls below a single eigenvalue's. The rule used before
 * counted 14 for both.
 */
class OutlierQuickstartTest {

  record Rows(List<String[]> ritz, List<String[]> density, List<String[]> eigenvalues, List<String[]> summary) {}

  static List<String[]> read(String name, String operator) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        OutlierQuickstartTest.class.getResourceAsStream("quickstart/" + name), StandardCharsets.UTF_8))) {
      r.readLine(); // header: sweep,split,operator,...
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(",", -1);
        if (f[1].equals("train") && f[2].equals(operator)) {
          rows.add(f);
        }
      }
    }
    return rows;
  }

  static double quantity(List<String[]> summary, String q) {
    return summary.stream().filter(f -> f[3].equals(q)).mapToDouble(f -> Double.parseDouble(f[4])).findFirst().orElseThrow();
  }

  /** The runner's inputs for one operator, assembled as DerivedSummary assembles them. */
  static OutlierSummary summarise(String operator) throws IOException {
    List<String[]> ritz = read("ritz.csv", operator);
    List<String[]> density = read("density.csv", operator);
    List<String[]> eig = read("eigenvalues.csv", operator);
    List<String[]> summary = read("summary.csv", operator);
    long runs = ritz.stream().map(f -> f[3]).distinct().count();
    double[] nodes = ritz.stream().mapToDouble(f -> Double.parseDouble(f[4])).toArray();
    double[] weights = ritz.stream().mapToDouble(f -> Double.parseDouble(f[5]) / runs).toArray();
    double[] x = density.stream().mapToDouble(f -> Double.parseDouble(f[4])).toArray();
    double[] y = density.stream().mapToDouble(f -> Double.parseDouble(f[5])).toArray();
    double[] top = eig.stream().sorted(Comparator.comparingInt(f -> Integer.parseInt(f[4])))
        .mapToDouble(f -> Double.parseDouble(f[5])).toArray();
    return OutlierSummary.of(x, y, nodes, weights, quantity(summary, "kernel_width"), (int) quantity(summary, "parameters"), top, 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hessian", "G"})
  void nineSeparatedOutliersOnTheTrainingSplit(String operator) throws IOException {
    OutlierSummary s = summarise(operator);
    System.out.println(operator + ": " + s.quantities());
    assertEquals(9, s.outliers().count(), s.outliers().describe());
    assertEquals(0, s.outliers().miniCount(), s.outliers().describe());
    // The last outlier is rank 9 (0.0945), the first eigenvalue left in the bulk rank 10 (0.0338).
    assertTrue(s.outliers().outliers()[8] > 0.09 && s.outliers().outliers()[8] < 0.1, s.outliers().describe());
    // Ranks 10 to 14 lie above the estimated bulk edge: the level-set edge alone would have counted them.
    assertTrue(s.edge().edge() < 0.028, "bulk edge " + s.edge().edge());
    // The largest ratio l_j / l_(j+1) is also at j = 9 (0.0945 / 0.0338 = 2.8) here.
    assertEquals(9, s.eigengapCount());
    // The separated mass is that of the 9 outliers, 9 / p = 8.0e-4 in expectation; each run's weight of a converged
    // outlier is random (squared projection of a random start vector, mean 1/p), and with K = 10 runs the sum over
    // 9 of them scatters by about sqrt(2 / 90) = 15 %: a factor 1.5 either way is > 3 sd.
    double p = 11274;
    assertEquals(9 / p, s.separatedMass(), 0.5 * 9 / p, "separated mass " + s.separatedMass());
    // The bulk component of BulkEdge (level 1e-3 of the peak) holds nearly everything; the outliers lie below
    // that level and form no component of their own.
    assertTrue(s.edge().bulkMass() > 0.99 && s.edge().bulkMass() + s.separatedMass() <= 1 + 1e-9, "bulk mass " + s.edge().bulkMass());
  }
}
