package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a small float64 model (p = 171): {@code top_eigen} at the largest and the smallest
 * end agrees with the dense spectrum of the same run, every pair within its tolerance; a density
 * with more Lanczos steps than parameters finishes with a result.
 */
class TopEigenRunTest {

  private static final String EXPERIMENT = """
      name: top-eigen-f64
      seed: 5
      precision: float64
      model:
        savedmodel: models/mlp-f64
        train:
          architecture: mlp
          hidden: [12]
          activation: relu
          learning_rate: 0.05
          epochs: 5
          batch_size: 20
      data:
        source: gaussian-mixture
        classes: 3
        dims: 10
        separation: 3.0
        train: {per_class: 20}
      loss: cross_entropy
      batch_size: 60
      operators: [hessian]
      splits: [train]
      analyses:
        density: {iterations: 171, runs: 2, grid: 128, scales: [linear]}
        top_eigen: {k: 10}
        exact: {max_parameters: 1000}
      """;

  record Row(String method, int rank, double eigenvalue, double residual) {}

  private static List<Row> rows(Path run) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(run.resolve("eigenvalues.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      rows.add(new Row(f[3], Integer.parseInt(f[4]), Double.parseDouble(f[5]),
          f[6].isEmpty() ? Double.NaN : Double.parseDouble(f[6])));
    }
    return rows;
  }

  private static double summary(Path run, String quantity) throws IOException {
    for (String line : Files.readAllLines(run.resolve("summary.csv"))) {
      String[] f = line.split(",", -1);
      if (f[3].equals(quantity)) {
        return Double.parseDouble(f[4]);
      }
    }
    throw new AssertionError("no " + quantity + " in summary.csv");
  }

  private String stderr = "";

  private Path runWith(Path tmp, String outName, String... sets) throws IOException {
    Path exp = tmp.resolve("exp").resolve("top.yaml");
    Files.createDirectories(exp.getParent());
    Files.writeString(exp, EXPERIMENT);
    Path out = tmp.resolve(outName);
    List<String> args = new ArrayList<>(List.of("run", exp.toString(), "--out", out.toString()));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    RunFixtures.Outcome o = RunFixtures.cli(args.toArray(String[]::new));
    assertEquals(0, o.status(), o.stderr());
    stderr = o.stderr();
    List<Path> runs = RunFixtures.runFolders(out);
    assertEquals(1, runs.size());
    return runs.get(0);
  }

  /**
   * The Lanczos pairs of {@code method} against the exact spectrum ranked from the same end. The
   * exact spectrum comes from p float64 products and EJML (error ~1e-15 relative); converged Ritz
   * values are within tolerance (1e-8) x the largest |eigenvalue| of an eigenvalue, so 1e-6
   * relative to the largest |eigenvalue| (the acceptance bound) holds with a wide margin.
   */
  private static void assertAgrees(Path run, String method, int k, boolean fromBottom) throws IOException {
    List<Row> rows = rows(run);
    List<Row> exact = rows.stream().filter(r -> r.method().equals("exact")).toList();
    List<Row> lanczos = rows.stream().filter(r -> r.method().equals(method)).toList();
    assertEquals(k, lanczos.size(), method);
    int p = exact.size();
    double norm = exact.stream().mapToDouble(r -> Math.abs(r.eigenvalue())).max().orElseThrow();
    double bound = summary(run, "top_eigen_residual_bound");
    // the float64 tolerance relative to the largest |Ritz value| seen, which approaches ||A|| from below
    assertTrue(bound <= 1e-8 * norm * (1 + 1e-12) && bound >= 0.5e-8 * norm, "bound " + bound + ", norm " + norm);
    for (Row r : lanczos) {
      // exact rank 1 is the largest; rank p the smallest
      int exactRank = fromBottom ? p + 1 - r.rank() : r.rank();
      Row e = exact.stream().filter(x -> x.rank() == exactRank).findFirst().orElseThrow();
      assertEquals(e.eigenvalue(), r.eigenvalue(), 1e-6 * norm, method + " rank " + r.rank());
      assertTrue(r.residual() <= bound, method + " rank " + r.rank() + " residual " + r.residual());
    }
    assertEquals(k, summary(run, "top_eigen_converged"));
    assertTrue(Files.readString(run.resolve("run.json")).contains("\"top_eigen_products\""));
  }

  @Test
  void largestAndSmallestAgreeWithTheDenseSpectrum(@TempDir Path tmp) throws IOException {
    Path largest = runWith(tmp, "out-largest");
    assertTrue(!stderr.contains("WARNING: top_eigen"), stderr);
    assertAgrees(largest, "lanczos", 10, false);
    // The density had M = p = 171 Lanczos steps (more is an input error, BadInputCliTest): the Krylov space is the
    // whole space, and the run still gives a density and a bulk edge (a measure of few atoms: OutlierBulkEdgeTest).
    assertTrue(Files.readAllLines(largest.resolve("density.csv")).size() > 100);
    assertTrue(Files.readString(largest.resolve("summary.csv")).contains(",train,hessian,bulk_edge,"));
    Path smallest = runWith(tmp, "out-smallest", "analyses.top_eigen.k=5", "analyses.top_eigen.which=smallest");
    assertTrue(!stderr.contains("WARNING: top_eigen"), stderr);
    assertAgrees(smallest, "lanczos_smallest", 5, true);
    // Too few products: the pairs are still written, and the log names the unconverged ranks.
    Path starved = runWith(tmp, "out-starved", "analyses.top_eigen.k=5", "analyses.top_eigen.which=smallest",
        "analyses.top_eigen.max_products=25");
    assertTrue(stderr.contains("WARNING: top_eigen train hessian") && stderr.contains("(ranks smallest-end "), stderr);
    // ... and the cause: the budget, not the products' rounding
    assertTrue(stderr.contains("max_products (25) ran out before"), stderr);
    assertEquals(5, rows(starved).stream().filter(r -> r.method().equals("lanczos_smallest")).count());
    assertTrue(summary(starved, "top_eigen_converged") < 5);
    assertEquals(25, summary(starved, "top_eigen_products"));
    assertTrue(summary(smallest, "bottom_eigenvalue") < 0, "a ReLU net's Hessian has negative eigenvalues");
  }
}
