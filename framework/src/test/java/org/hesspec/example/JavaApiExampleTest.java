package org.hesspec.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.DataLoader;
import org.hesspec.data.DataSource;
import org.hesspec.data.Split;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.Precision;
import org.hesspec.model.SavedModelImporter;
import org.hesspec.report.DensityRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.TableFile;
import org.hesspec.report.Tables;
import org.hesspec.spectral.DenseSpectrum;
import org.hesspec.spectral.DensityEstimate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of docs/java-api.md: the page shows this package's {@code JavaApiExample.java}
 * verbatim, and the example runs on the committed model and agrees with the exact spectrum.
 */
class JavaApiExampleTest {

  /** Tests run in the module folder; the repository root is one level up. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path MODEL = ROOT.resolve("savedmodels/gmm-mlp-tiny");

  @Test
  void theDocumentShowsTheExampleVerbatim() throws Exception {
    String doc = Files.readString(ROOT.resolve("docs/java-api.md"));
    String source = Files.readString(
        ROOT.resolve("framework/src/test/java/org/hesspec/example/JavaApiExample.java"));
    Matcher block = Pattern.compile("```java\\n(package org\\.hesspec\\.example;.*?)```",
        Pattern.DOTALL).matcher(doc);
    assertTrue(block.find(), "docs/java-api.md has no ```java block with the example");
    assertEquals(source, block.group(1),
        "docs/java-api.md and JavaApiExample.java differ: copy the file into the page");
  }

  @Test
  void theExampleRunsAndAgreesWithTheExactSpectrum(@TempDir Path out) throws Exception {
    DensityEstimate density = JavaApiExample.run(MODEL, out);

    // The tables it wrote read back with the run format's own reader.
    List<DensityRow> curve = TableFile.in(out, Tables.DENSITY).read();
    List<RitzRow> ritz = TableFile.in(out, Tables.RITZ).read();
    assertEquals(density.x().length, curve.size());
    assertEquals(4 * 60, ritz.size(), "K = 4 runs of M = 60 steps (p = 1002, no breakdown)");
    assertTrue(curve.stream().allMatch(r -> r.sweep().equals("none")));

    // Reference: the dense Hessian from p products in float64, and its exact eigenvalues.
    ModelDefinition model = SavedModelImporter.load(
        MODEL, SavedModelImporter.Options.defaults().withPrecision(Precision.FLOAT64));
    double[] exact;
    try (CurvatureGraph graph = new CurvatureGraph(
            model, Loss.CROSS_ENTROPY, model.layout(), SessionSettings.defaults());
        BatchedData batches = BatchedData.of(DataLoader.load(
            new DataSource.GaussianMixture(10, 20, 4.0), Split.TRAIN, 50, 11L), 500,
            Precision.FLOAT64)) {
      exact = DenseSpectrum.of(graph.operator(CurvatureOperator.HESSIAN, batches), false).eigenvalues();
    }
    assertEquals(1002, exact.length);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double e : exact) {
      lo = Math.min(lo, e);
      hi = Math.max(hi, e);
    }
    double scale = Math.max(Math.abs(lo), Math.abs(hi));
    for (int run = 0; run < 4; run++) {
      final int k = run;
      List<RitzRow> rule = ritz.stream().filter(r -> r.run() == k).toList();
      // Gauss quadrature weights are squared first components of unit eigenvectors: sum 1 up to
      // rounding of the 60 x 60 tridiagonal eigensolver (~60 ulp).
      assertEquals(1.0, rule.stream().mapToDouble(RitzRow::weight).sum(), 1e-12);
      double top = Double.NEGATIVE_INFINITY;
      for (RitzRow r : rule) {
        // Ritz values lie in the spectrum's interval (Cauchy interlacing, exact in exact
        // arithmetic); 1e-9 of the scale is far above float64 rounding of the products.
        assertTrue(r.node() >= lo - 1e-9 * scale && r.node() <= hi + 1e-9 * scale,
            "Ritz value " + r.node() + " outside [" + lo + ", " + hi + "]");
        top = Math.max(top, r.node());
      }
      // The largest eigenvalue is an isolated outlier, so 60 Lanczos steps converge to it to
      // rounding (measured <= 1.4e-15 relative); 1e-10 leaves room for other BLAS or thread
      // orders, while a wrong operator or data set misses by far more.
      System.out.printf("run %d: top Ritz %.17g, exact lambda_max %.17g, rel. diff %.2e;"
          + " lowest Ritz %.6g, exact lambda_min %.6g%n", run, top, hi, Math.abs(top - hi) / hi,
          rule.stream().mapToDouble(RitzRow::node).min().orElseThrow(), lo);
      assertEquals(hi, top, 1e-10 * hi, "run " + run + ": top Ritz value against exact lambda_max");
    }
    // The smoothed density is a probability density on its grid (trapezoid rule, 1024 points).
    assertEquals(1.0, density.integral(), 1e-3);
  }
}
