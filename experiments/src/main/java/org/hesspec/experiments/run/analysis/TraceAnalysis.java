package org.hesspec.experiments.run.analysis;

import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.run.Rows;
import org.hesspec.report.Tables;
import org.hesspec.report.TraceRow;
import org.hesspec.spectral.HutchPlusPlus;
import org.hesspec.spectral.Hutchinson;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.TraceConfig;
import org.hesspec.spectral.TraceEstimate;

/**
 * {@code analyses.trace}: the trace of each operator by Hutchinson's estimator or Hutch++ (Meyer et al.
 * 2021; docs/mathematics.md, "Trace"), with its standard error. Writes {@code trace.csv} and the
 * {@code trace} quantity of {@code summary.csv}.
 */
final class TraceAnalysis implements Analysis {

  private static final String NAME = "trace";

  private final AnalysesConfig.Trace config;

  TraceAnalysis(AnalysesConfig.Trace config) {
    this.config = config;
  }

  @Override
  public void onOperator(Target t, CurvatureOperator op, Rows out) {
    Unit u = t.unit(op.yamlName());
    out.addAll(t.cached(u, NAME, () -> estimate(t, u, t.operator(op))));
  }

  private Rows estimate(Target t, Unit u, LinearOperator a) {
    Point p = t.point();
    p.log().accept("trace " + u.split() + " " + u.operator() + " (" + config.method().yamlName() + ", " + config.samples()
        + " samples)");
    TraceConfig cfg = config.toFramework(p.seed(u.split() + "/" + u.operator() + "/trace"));
    RunOptions options = RunOptions.sequential().withListener(p.progress());
    TraceEstimate e = config.method() == AnalysesConfig.TraceMethod.HUTCHINSON
        ? Hutchinson.estimate(w -> a, cfg, options) : HutchPlusPlus.estimate(w -> a, cfg, options);
    Rows r = new Rows();
    r.of(Tables.TRACE).add(new TraceRow(u.sweep(), u.split(), u.operator(), config.method().yamlName(), e.estimate(),
        e.standardError(), e.samples()));
    u.summary(r, "trace", e.estimate());
    return r;
  }
}
