package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weighted complementary CDF and the tail figure that shows the power-law fit against it. */
class TailCcdfTest {

  @Test
  void weightedCcdfIsTheMassAtOrAboveEachValue() {
    // Values 1, 2, 2, 4 (and a non-positive one, left out) with weights 1, 1, 2, 4 of total 8:
    // S(1) = 8/8, S(2) = 7/8, S(4) = 4/8. Sums of a few binary fractions: exact.
    double[][] s = EigenvalueFigures.ccdf(new double[] {4, 2, -1, 1, 2}, new double[] {4, 1, 5, 1, 2});
    assertArrayEquals(new double[] {1, 2, 4}, s[0]);
    assertArrayEquals(new double[] {1, 0.875, 0.5}, s[1]);
    assertThrows(IllegalArgumentException.class, () -> EigenvalueFigures.ccdf(new double[] {-1}, new double[] {1}));
  }

  @Test
  void theFittedLawIsAStraightLineThroughTheEmpiricalCcdfAtXmin(@TempDir Path dir) throws Exception {
    // A sample drawn exactly at the quantiles of a Pareto law with alpha = 3 (density ~ x^-3, CCDF ~ x^-2)
    // above xmin = 1, plus a lighter bulk below it.
    int n = 400;
    double[] x = new double[n + 100];
    double[] w = new double[n + 100];
    for (int i = 0; i < n; i++) {
      x[i] = Math.pow(1 - (i + 0.5) / n, -1.0 / 2); // CCDF^-1 of the Pareto law
      w[i] = 1;
    }
    for (int i = 0; i < 100; i++) {
      x[n + i] = 0.1 + 0.8 * i / 100.0;
      w[n + i] = 1;
    }
    Figure f = EigenvalueFigures.tailCcdf(new FigureText("tail-ccdf_train_hessian", "tail", "α = 3"), x, w, 3, 1);
    XYDataset data = ((XYPlot) f.chart().getPlot()).getDataset();
    assertEquals(2, data.getSeriesCount(), "the empirical CCDF and the fitted law");
    // S(xmin) = 400/500 of the mass; the line starts there and falls with slope 1 - alpha = -2 on log-log axes.
    double x0 = data.getXValue(1, 0);
    double y0 = data.getYValue(1, 0);
    int last = data.getItemCount(1) - 1;
    double slope = Math.log(data.getYValue(1, last) / y0) / Math.log(data.getXValue(1, last) / x0);
    assertEquals(1.0, x0, 1e-12);
    // The sample's smallest tail value is the Pareto quantile (1 - 0.5/400)^(-1/2), just above 1; S there is 0.8.
    assertEquals(0.8, y0, 1e-12);
    assertEquals(-2, slope, 1e-9);
    // and the empirical CCDF follows it: at the sample's median tail value S = 0.4 of the mass, the law gives
    // 0.8 (x/1)^-2 = 0.4 at x = sqrt(2); the quantile sample puts it there to within its spacing (1/400).
    double[][] s = EigenvalueFigures.ccdf(x, w);
    for (int i = 0; i < s[0].length; i++) {
      if (s[0][i] >= 1) {
        assertEquals(0.8 * Math.pow(s[0][i], -2), s[1][i], 0.8 / n + 1e-12, "at " + s[0][i]);
      }
    }
    assertTrue(FigureWriter.svg(f).contains("power-law fit: α = 3.00"));
    FigureWriter.write(f, dir);
    assertTrue(Files.size(dir.resolve("tail-ccdf_train_hessian.pdf")) > 0);
  }
}
