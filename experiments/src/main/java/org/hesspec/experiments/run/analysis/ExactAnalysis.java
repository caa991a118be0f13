package org.hesspec.experiments.run.analysis;

import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.run.Rows;
import org.hesspec.model.Precision;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.Tables;
import org.hesspec.spectral.DenseSpectrum;
import org.hesspec.spectral.RunOptions;

/**
 * {@code analyses.exact}: the whole spectrum of each operator from its dense matrix, built column by
 * column from p products (docs/mathematics.md, "Exact spectrum"), for a parameter group of at most
 * {@code max_parameters} parameters (larger ones are skipped). Writes the eigenvalues, largest first, to
 * {@code eigenvalues.csv} (method {@code exact}), and the top eigenvalue, negative fraction and trace to
 * {@code summary.csv}.
 */
final class ExactAnalysis implements Analysis {

  private static final String NAME = "exact";

  private final AnalysesConfig.Exact config;

  ExactAnalysis(AnalysesConfig.Exact config) {
    this.config = config;
  }

  @Override
  public void onOperator(Target t, CurvatureOperator op, Rows out) {
    if (t.dimension() <= config.maxParameters()) {
      Unit u = t.unit(op.yamlName());
      out.addAll(t.cached(u, NAME, () -> spectrum(t, u, t.operator(op))));
    }
  }

  private Rows spectrum(Target t, Unit u, LinearOperator a) {
    Point p = t.point();
    p.log().accept("exact spectrum " + u.split() + " " + u.operator() + " (p=" + u.dimension() + " products)");
    // float32 products are symmetric only to float32 rounding; the dense matrix is symmetrised.
    double tol = p.precision() == Precision.FLOAT64 ? 1e-8 : 1e-3;
    DenseSpectrum s = DenseSpectrum.of(w -> a, false, tol, RunOptions.sequential().withListener(p.progress()));
    double[] ev = s.eigenvalues();
    Rows r = new Rows();
    for (int i = 0; i < ev.length; i++) {
      r.of(Tables.EIGENVALUES).add(new EigenvalueRow(u.sweep(), u.split(), u.operator(), "exact", i + 1, ev[ev.length - 1 - i],
          Double.NaN));
    }
    u.summary(r, "exact_top_eigenvalue", ev[ev.length - 1]);
    u.summary(r, "exact_negative_fraction", s.negativeFraction(p.precision()));
    u.summary(r, "exact_trace", s.trace());
    return r;
  }
}
