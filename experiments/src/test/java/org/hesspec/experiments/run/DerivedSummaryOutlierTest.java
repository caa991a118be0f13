package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hesspec.report.Tables;
import org.hesspec.report.DensityRow;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.SummaryRow;
import org.junit.jupiter.api.Test;

/** The outlier quantities of {@link DerivedSummary}, from the rows a run writes. */
class DerivedSummaryOutlierTest {

  /** The framework's quickstart fixture: train/hessian and train/G rows of experiments/quickstart.yaml. */
  static final Path FIXTURE = Path.of("..", "framework", "src", "test", "resources", "org", "hesspec", "structure", "quickstart");

  static List<String[]> csv(String name) throws IOException {
    return Files.readAllLines(FIXTURE.resolve(name)).stream().skip(1).map(l -> l.split(",", -1)).toList();
  }

  @Test
  void quickstartTrainingSplitHasNineOutliersForHessianAndG() throws IOException {
    Rows rows = new Rows();
    for (String[] f : csv("ritz.csv")) {
      rows.of(Tables.RITZ).add(new RitzRow(f[0], f[1], f[2], Integer.parseInt(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
    }
    for (String[] f : csv("density.csv")) {
      rows.of(Tables.DENSITY).add(new DensityRow(f[0], f[1], f[2], f[3], Double.parseDouble(f[4]), Double.parseDouble(f[5])));
    }
    for (String[] f : csv("eigenvalues.csv")) {
      rows.of(Tables.EIGENVALUES).add(new EigenvalueRow(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), Double.parseDouble(f[5]),
          Double.parseDouble(f[6])));
    }
    for (String[] f : csv("summary.csv")) {
      if (f[3].equals("kernel_width") || f[3].equals("parameters")) { // the inputs, not the old rule's results
        rows.of(Tables.SUMMARY).add(new SummaryRow(f[0], f[1], f[2], f[3], Double.parseDouble(f[4])));
      }
    }
    List<SummaryRow> out = DerivedSummary.derive(rows, 10);
    for (String op : List.of("hessian", "G")) {
      DerivedSummary.Key key = new DerivedSummary.Key("", "train", op);
      Rows derived = new Rows();
      derived.of(Tables.SUMMARY).addAll(out);
      assertEquals(9, DerivedSummary.quantity(derived, key, "outlier_count"), op);
      assertEquals(0, DerivedSummary.quantity(derived, key, "mini_outlier_count"), op);
      assertEquals(9, DerivedSummary.quantity(derived, key, "eigengap_count"), op);
      assertEquals(0.0945, DerivedSummary.quantity(derived, key, "outlier_9"), 0.001, op); // rank 9 of the Lanczos top 30
    }
  }

  @Test
  void ritzFallbackCountsLanczosCopiesOfOneEigenvalueOnce() {
    // A run without reorthogonalisation repeats a converged Ritz value with rounding-level differences.
    double[] nodes = {0.0305582, 0.03055819, 0.03055818, 0.0287684, 0.02876842, 0.02, 0.01};
    double[] top = DerivedSummary.topEigenvalues(new Rows(), new DerivedSummary.Key("", "train", "hessian_deflated"), nodes);
    assertArrayEquals(new double[] {0.0305582, 0.02876842, 0.02, 0.01}, top, 0);
  }
}
