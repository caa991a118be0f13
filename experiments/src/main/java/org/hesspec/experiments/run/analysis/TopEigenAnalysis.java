package org.hesspec.experiments.run.analysis;

import java.util.ArrayList;
import java.util.List;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.run.Rows;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.Tables;
import org.hesspec.spectral.EigenPairs;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.TopEigen;
import org.hesspec.spectral.TopEigenConfig;

/**
 * {@code analyses.top_eigen}: the extreme eigenpairs of each operator by thick-restart Lanczos (Wu and
 * Simon 2000; docs/mathematics.md, "Top eigenpairs"), each converged to the tolerance or reported as not
 * converged. Writes the eigenvalues and residuals to {@code eigenvalues.csv} (method {@code lanczos} for
 * the largest end, {@code lanczos_smallest}, {@code lanczos_magnitude}), and the extreme eigenvalues and
 * the solver's effort to {@code summary.csv}.
 */
final class TopEigenAnalysis implements Analysis {

  private static final String NAME = "top";

  private final AnalysesConfig.TopEigen config;

  TopEigenAnalysis(AnalysesConfig.TopEigen config) {
    this.config = config;
  }

  @Override
  public void onOperator(Target t, CurvatureOperator op, Rows out) {
    Unit u = t.unit(op.yamlName());
    out.addAll(t.cached(u, NAME, () -> compute(t, u, op)));
  }

  private Rows compute(Target t, Unit u, CurvatureOperator op) {
    Point p = t.point();
    TopEigenConfig cfg = config.toFramework(u.dimension(), p.seed(u.split() + "/" + u.operator() + "/top"), p.precision());
    p.log().accept("top " + cfg.k() + " eigenvalues (" + config.which().yamlName() + ") " + u.split() + " " + u.operator()
        + ": basis " + cfg.basisSize() + ", tolerance " + cfg.tolerance() + ", at most " + cfg.maxProducts() + " products");
    // Ritz vectors are not needed here: keeping them would add a p-vector per pair to the basis.
    // The solver's state is saved once per restart cycle (the whole basis: a cycle's products cost
    // far more than writing it), so a killed run resumes the unit bit for bit.
    EigenPairs pairs = TopEigen.compute(t.operator(op), cfg,
        RunOptions.sequential().withListener(p.progress()).withCheckpoints(t.scratch(u, NAME), cfg.basisSize()));
    Rows r = new Rows();
    for (int i = 0; i < pairs.count(); i++) {
      // lanczos is the largest end, as downstream code (outliers, figures) reads it
      String method = pairs.smallestEnd(i) ? "lanczos_smallest"
          : config.which() == TopEigenConfig.Which.LARGEST_MAGNITUDE ? "lanczos_magnitude" : "lanczos";
      r.of(Tables.EIGENVALUES).add(new EigenvalueRow(u.sweep(), u.split(), u.operator(), method, pairs.rank(i),
          pairs.eigenvalues()[i], pairs.residuals()[i]));
    }
    List<String> unconverged = new ArrayList<>();
    for (int i = 0; i < pairs.count(); i++) {
      if (!pairs.converged()[i]) {
        unconverged.add((pairs.smallestEnd(i) ? "smallest-end " : "") + pairs.rank(i));
      }
    }
    if (!unconverged.isEmpty()) {
      p.log().accept("WARNING: top_eigen " + u.split() + " " + u.operator() + ": " + unconverged.size() + " of " + pairs.count()
          + " pairs did not converge to residual <= " + cfg.tolerance() + " x the largest |eigenvalue| within "
          + pairs.products() + " products (ranks " + String.join(", ", unconverged) + "): " + pairs.unconvergedReason());
    }
    int largest = -1;
    int smallest = -1;
    for (int i = 0; i < pairs.count(); i++) {
      double v = pairs.eigenvalues()[i];
      if (!pairs.smallestEnd(i) && (largest < 0 || v > pairs.eigenvalues()[largest])) {
        largest = i;
      }
      if (pairs.smallestEnd(i) && (smallest < 0 || v < pairs.eigenvalues()[smallest])) {
        smallest = i;
      }
    }
    if (largest >= 0) {
      u.summary(r, "top_eigenvalue", pairs.eigenvalues()[largest]);
    }
    if (smallest >= 0) {
      u.summary(r, "bottom_eigenvalue", pairs.eigenvalues()[smallest]);
    }
    u.summary(r, "top_eigen_converged", pairs.convergedCount());
    u.summary(r, "top_eigen_products", pairs.products());
    u.summary(r, "top_eigen_restarts", pairs.restarts());
    u.summary(r, "top_eigen_residual_bound", pairs.residualBound());
    return r;
  }
}
