package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a small float64 model (p = 87, n = 60): the operators made from per-example
 * gradients are usable from {@code operators: [...]}, their exact spectra obey what their
 * definitions imply, and the run draws the overlay of their top eigenvalues with G's.
 */
class GradientOperatorsRunTest {

  private static final String EXPERIMENT = """
      name: gradient-operators
      seed: 5
      precision: float64
      model:
        savedmodel: models/mlp-f64
        train:
          architecture: mlp
          hidden: [6]
          activation: tanh
          learning_rate: 0.05
          epochs: 3
          batch_size: 20
      data:
        source: gaussian-mixture
        classes: 3
        dims: 10
        separation: 1.0
        train: {per_class: 20}
      loss: cross_entropy
      batch_size: 25
      operators: [G, empirical_fisher, gradient_covariance, fisher_mc]
      splits: [train]
      analyses:
        top_eigen: {k: 4}
        exact: {max_parameters: 1000}
      """;

  /** Eigenvalues of {@code operator} by {@code method} in eigenvalues.csv, rank 1 first. */
  private static double[] eigenvalues(Path run, String operator, String method) throws IOException {
    List<String> lines = Files.readAllLines(run.resolve("eigenvalues.csv"));
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1))
        .filter(f -> f[2].equals(operator) && f[3].equals(method))
        .sorted(java.util.Comparator.comparingInt(f -> Integer.parseInt(f[4])))
        .mapToDouble(f -> Double.parseDouble(f[5])).toArray();
  }

  @Test
  void gradientOperatorsRunWithSpectraTheirDefinitionsImply(@TempDir Path tmp) throws IOException {
    Path exp = tmp.resolve("exp").resolve("ops.yaml");
    Files.createDirectories(exp.getParent());
    Files.writeString(exp, EXPERIMENT);
    Path out = tmp.resolve("out");
    RunFixtures.Outcome o = RunFixtures.cli("run", exp.toString(), "--out", out.toString());
    assertEquals(0, o.status(), o.stderr());
    Path run = RunFixtures.runFolders(out).get(0);

    double[] f = eigenvalues(run, "empirical_fisher", "exact");
    double[] cov = eigenvalues(run, "gradient_covariance", "exact");
    double[] g = eigenvalues(run, "G", "exact");
    double[] fmc = eigenvalues(run, "fisher_mc", "exact");
    int p = f.length;
    assertEquals(87, p);
    assertEquals(p, cov.length);
    assertEquals(p, g.length);
    assertEquals(p, fmc.length);
    // float64 products and a dense symmetric eigensolver: rounding ~1e-15 of the largest eigenvalue; 1e-10 bound
    double tol = 1e-10 * f[0];
    double traceF = 0;
    double traceCov = 0;
    for (int k = 0; k < p; k++) {
      // Cov = F - gbar gbar^T with F, Cov positive semidefinite: 0 <= lambda_k(Cov) <= lambda_k(F) (Weyl)
      assertTrue(cov[k] >= -tol && cov[k] <= f[k] + tol, "rank " + (k + 1) + ": Cov " + cov[k] + ", F " + f[k]);
      assertTrue(fmc[k] >= -tol && g[k] >= -tol, "rank " + (k + 1) + ": Fmc " + fmc[k] + ", G " + g[k]);
      traceF += f[k];
      traceCov += cov[k];
      if (k >= 60) {
        // F and Cov are sums of n = 60 rank-one terms (and Fmc too): rank at most n
        assertEquals(0, f[k], tol, "F rank " + (k + 1));
        assertEquals(0, cov[k], tol, "Cov rank " + (k + 1));
        assertEquals(0, fmc[k], tol, "Fmc rank " + (k + 1));
      }
    }
    // tr F - tr Cov = |gbar|^2 > 0 away from a minimum (3 epochs of training)
    assertTrue(traceF - traceCov > 1e-6 * traceF, "tr F " + traceF + ", tr Cov " + traceCov);
    // Lanczos top eigenvalues agree with the exact ones
    double[] top = eigenvalues(run, "gradient_covariance", "lanczos");
    assertEquals(4, top.length);
    for (int k = 0; k < 4; k++) {
      assertEquals(cov[k], top[k], 1e-6 * cov[0], "gradient_covariance lanczos rank " + (k + 1));
    }
    try (Stream<Path> figures = Files.list(run.resolve("figures"))) {
      assertTrue(figures.anyMatch(x -> x.getFileName().toString().startsWith("fisher-top_train") && x.toString().endsWith(".png")),
          "no fisher-top overlay figure");
    }
  }

  @Test
  void anUnknownOperatorNamesTheValidOnes(@TempDir Path tmp) throws IOException {
    Path exp = tmp.resolve("ops.yaml");
    Files.writeString(exp, EXPERIMENT.replace("operators: [G, empirical_fisher", "operators: [G, fisher"));
    RunFixtures.Outcome o = RunFixtures.cli("validate", exp.toString());
    assertEquals(2, o.status(), o.stderr());
    for (String s : new ArrayList<>(List.of("operators", "unknown value 'fisher'", "empirical_fisher", "gradient_covariance", "fisher_mc"))) {
      assertTrue(o.stderr().contains(s), "'" + s + "' missing from: " + o.stderr());
    }
  }
}
