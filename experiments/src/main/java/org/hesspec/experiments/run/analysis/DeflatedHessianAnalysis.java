package org.hesspec.experiments.run.analysis;

import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.experiments.run.DerivedSummary;
import org.hesspec.experiments.run.Rows;
import org.hesspec.spectral.EigenPairs;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.TopEigen;
import org.hesspec.spectral.TopEigenConfig;
import org.hesspec.structure.Deflation;

/**
 * The density of the bulk left when the top C eigenpairs of the Hessian are deflated, {@code Hess - sum_j
 * lambda_j q_j q_j^T} (docs/mathematics.md, "Class structure of G"): if the outliers come from the class
 * means, this is the bulk, which should match the density of H. Runs with {@code class_structure} (softmax
 * cross-entropy) when the density is declared and the Hessian among the operators; writes the density's
 * rows ({@link DensityAnalysis}) under the operator column {@value DerivedSummary#DEFLATED_HESSIAN}, and
 * {@code deflated_eigenpairs} to {@code summary.csv}.
 */
final class DeflatedHessianAnalysis implements Analysis {

  private final DensityAnalysis density;

  DeflatedHessianAnalysis(DensityAnalysis density) {
    this.density = density;
  }

  @Override
  public void onSplit(Target t, Rows out) {
    if (t.point().config().loss() != Loss.CROSS_ENTROPY) {
      return;
    }
    Unit u = t.unit(DerivedSummary.DEFLATED_HESSIAN);
    out.addAll(t.cached(u, DensityAnalysis.NAME, () -> deflated(t, u)));
  }

  private Rows deflated(Target t, Unit u) {
    Point p = t.point();
    LinearOperator hessian = t.graph().operator(CurvatureOperator.HESSIAN, t.batches());
    int k = Math.min(t.graph().numClasses(), u.dimension() - 1);
    p.log().accept("deflating the top " + k + " eigenpairs of the Hessian (" + u.split() + ")");
    TopEigenConfig cfg = TopEigenConfig.of(k, p.seed(u.split() + "/" + u.operator() + "/deflation"))
        .withTolerance(p.tolerance()).withBasisPrecision(p.precision());
    EigenPairs top = TopEigen.compute(hessian, cfg, RunOptions.sequential().withListener(p.progress()));
    // Ritz vectors of a float32 basis are orthonormal to float32 rounding only: made orthonormal in float64.
    Rows r = density.estimate(t, u, Deflation.of(hessian, Deflation.orthonormalized(top.vectors()), top.eigenvalues()));
    u.summary(r, "deflated_eigenpairs", top.count());
    return r;
  }
}
