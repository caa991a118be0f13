package org.hesspec.experiments.run.analysis;

import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.run.Rows;
import org.hesspec.report.DensityRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.Tables;
import org.hesspec.spectral.DensityConfig;
import org.hesspec.spectral.DensityEstimate;
import org.hesspec.spectral.LogDensityConfig;
import org.hesspec.spectral.LogDensityEstimate;
import org.hesspec.spectral.LogSpectralDensity;
import org.hesspec.spectral.QuadratureRule;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.SpectralDensity;

/**
 * {@code analyses.density}: the spectral density of each operator by stochastic Lanczos quadrature
 * (docs/mathematics.md, "Spectral density"), on a linear scale and as the density of log10|lambda| with
 * the positive and negative parts apart. Writes {@code density.csv} (scales {@code linear}, {@code log},
 * {@code log_negative}), the quadrature nodes and weights of every run to {@code ritz.csv}, and the mass
 * split, bounds, kernel width and sizes to {@code summary.csv}.
 */
final class DensityAnalysis implements Analysis {

  /** The analysis's name in unit names. */
  static final String NAME = "density";

  private final AnalysesConfig.Density config;

  DensityAnalysis(AnalysesConfig.Density config) {
    this.config = config;
  }

  @Override
  public void onOperator(Target t, CurvatureOperator op, Rows out) {
    Unit u = t.unit(op.yamlName());
    out.addAll(t.cached(u, NAME, () -> estimate(t, u, t.operator(op))));
  }

  /** The rows of the density of {@code a}, written as those of {@code u} (also the deflated Hessian's). */
  Rows estimate(Target t, Unit u, LinearOperator a) {
    Point p = t.point();
    p.log().accept("density " + u.split() + " " + u.operator() + ": M=" + config.iterations() + " K=" + config.runs() + " p="
        + u.dimension());
    DensityConfig cfg = config.toFramework(p.seed(u.split() + "/" + u.operator() + "/density"));
    RunOptions options = RunOptions.sequential().withListener(p.progress()).withCheckpoints(t.scratch(u, NAME), 4);
    DensityEstimate est = SpectralDensity.estimate(w -> a, cfg, options);
    if (config.iterations() > u.dimension()) {
      p.log().accept("WARNING: density " + u.split() + " " + u.operator() + ": iterations M = " + config.iterations()
          + " exceed p = " + u.dimension() + "; each Lanczos run stops after p steps, where its quadrature is exact (point masses)");
    }
    long brokeDown = est.quadrature().stream().filter(QuadratureRule::breakdown).count();
    if (brokeDown > 0) {
      p.log().accept("WARNING: density " + u.split() + " " + u.operator() + ": " + brokeDown + " of " + est.quadrature().size()
          + " Lanczos runs stopped before " + config.iterations() + " steps (breakdown: the start vector reaches at most that many"
          + " eigenvectors, p = " + u.dimension() + "); their quadrature rules are exact, the density is kept");
    }
    Rows r = new Rows();
    var density = r.of(Tables.DENSITY);
    if (config.scales().contains(AnalysesConfig.Scale.LINEAR)) {
      for (int i = 0; i < est.x().length; i++) {
        density.add(new DensityRow(u.sweep(), u.split(), u.operator(), "linear", est.x()[i], est.density()[i]));
      }
    }
    if (config.scales().contains(AnalysesConfig.Scale.LOG)) {
      LogDensityEstimate log10 = LogSpectralDensity.fromDensity(est, new LogDensityConfig(config.grid(),
          LogDensityConfig.defaults().kernelWidth(), LogDensityConfig.defaults().floor()));
      for (int i = 0; i < log10.x().length; i++) {
        density.add(new DensityRow(u.sweep(), u.split(), u.operator(), "log", log10.x()[i], log10.positive()[i]));
      }
      for (int i = 0; i < log10.x().length; i++) {
        density.add(new DensityRow(u.sweep(), u.split(), u.operator(), "log_negative", log10.x()[i], log10.negative()[i]));
      }
      u.summary(r, "log_mass_positive", log10.massPositive());
      u.summary(r, "log_mass_negative", log10.massNegative());
      u.summary(r, "log_mass_zero", log10.massZero());
      u.summary(r, "log_floor", log10.floor());
    }
    for (QuadratureRule q : est.quadrature()) {
      for (int j = 0; j < q.nodes().length; j++) {
        r.of(Tables.RITZ).add(new RitzRow(u.sweep(), u.split(), u.operator(), q.run(), q.nodes()[j], q.weights()[j]));
      }
    }
    u.summary(r, "negative_mass", est.negativeMass());
    u.summary(r, "spectrum_lower_bound", est.bounds().lower());
    u.summary(r, "spectrum_upper_bound", est.bounds().upper());
    u.summary(r, "kernel_width", est.kernelWidth());
    u.summary(r, "lanczos_steps", config.iterations());
    u.summary(r, "lanczos_runs", config.runs());
    u.summary(r, "parameters", u.dimension());
    u.summary(r, "examples", u.examples());
    return r;
  }
}
