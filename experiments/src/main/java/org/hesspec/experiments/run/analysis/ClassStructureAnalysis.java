package org.hesspec.experiments.run.analysis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.data.Dataset;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.config.AnalysesConfig.Level;
import org.hesspec.experiments.run.Rows;
import org.hesspec.model.Precision;
import org.hesspec.report.ClassStructureRow;
import org.hesspec.report.EmbeddingRow;
import org.hesspec.report.Tables;
import org.hesspec.spectral.EigenPairs;
import org.hesspec.spectral.HutchPlusPlus;
import org.hesspec.spectral.Progress;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.TopEigen;
import org.hesspec.spectral.TopEigenConfig;
import org.hesspec.spectral.TraceConfig;
import org.hesspec.spectral.TraceEstimate;
import org.hesspec.structure.ClassMeans;
import org.hesspec.structure.ClassMeansEmbedding;
import org.hesspec.structure.ClassicalMds;
import org.hesspec.structure.GramSpectra;
import org.hesspec.structure.SubspaceOverlap;
import org.hesspec.structure.Tsne;
import org.hesspec.structure.WithinClassOperator;

/**
 * {@code analyses.class_structure}: the class structure of G in Papyan's convention (docs/mathematics.md,
 * "Class structure of G"; softmax cross-entropy only), computed in this process from the C^2 means
 * {@code d_{c,c'}} by weighted VJPs. Writes to {@code class_structure.csv} the exact spectra of the
 * declared levels G0 ({@code self_means}), G1 ({@code class_means}), G2 ({@code cross_class}), G_means
 * ({@code means}) from the Gram matrix of the means, and the top of G_within by Lanczos ({@code within}); to
 * {@code summary.csv} the shares of tr(G) they carry, the overlaps of the top C-1 eigenvectors of the
 * Hessian and of G with span{delta_c} and with the span of all C^2 means; to {@code embedding.csv} the
 * embedding of the means.
 */
final class ClassStructureAnalysis implements Analysis {

  private static final String NAME = "class_structure";

  /** Hutch++ samples for tr(G) in the shares when the experiment declares no trace analysis. */
  private static final int SHARE_TRACE_SAMPLES = 30;

  private final AnalysesConfig.ClassStructure config;
  private final int traceSamples;

  /** @param trace the experiment's trace analysis, whose sample count tr(G) in the shares uses */
  ClassStructureAnalysis(AnalysesConfig.ClassStructure config, Optional<AnalysesConfig.Trace> trace) {
    this.config = config;
    this.traceSamples = trace.map(AnalysesConfig.Trace::samples).orElse(SHARE_TRACE_SAMPLES);
  }

  @Override
  public void onSplit(Target t, Rows out) {
    if (t.point().config().loss() == Loss.CROSS_ENTROPY) {
      Unit u = t.unit(CurvatureOperator.GAUSS_NEWTON.yamlName());
      out.addAll(t.cached(u, NAME, () -> compute(t, u)));
    }
  }

  private Rows compute(Target t, Unit u) {
    Point p = t.point();
    CurvatureGraph g = t.graph();
    Dataset ds = t.data();
    int c = g.numClasses();
    p.log().accept("class structure " + u.split() + ": " + c * c + " means d_{c,c'} by weighted VJPs");
    int[] all = new int[ds.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    long budget = Runtime.getRuntime().maxMemory() / 4;
    Rows r = new Rows();
    try (ClassMeans means = ClassMeans.compute(g, ds, all, p.config().batchSize(), budget, p.spillDir(),
        (done, total) -> p.progress().progress(new Progress("class means", 0, 1, done, total, Duration.ZERO, Duration.ZERO)))) {
      double[][] k = means.gram();
      GramSpectra.Result spectra = GramSpectra.of(k, means.pi());
      List<Level> levels = config.levels();
      if (levels.contains(Level.SELF_MEANS)) {
        levels(r, u, "self_means", spectra.selfMeans());
      }
      if (levels.contains(Level.CLASS_MEANS)) {
        levels(r, u, "class_means", spectra.classMeans());
      }
      if (levels.contains(Level.CROSS_CLASS)) {
        levels(r, u, "cross_class", spectra.crossClass());
      }
      if (levels.contains(Level.MEANS)) {
        levels(r, u, "means", spectra.means());
      }
      LinearOperator gOperator = g.operator(CurvatureOperator.GAUSS_NEWTON, t.batches());
      if (levels.contains(Level.WITHIN)) {
        // G_within = G - G_means: its top eigenvalues by Lanczos.
        int kw = Math.min(Math.min(2 * c, 20), u.dimension());
        TopEigenConfig cfg = TopEigenConfig.of(kw, p.seed(u.split() + "/within")).withBasisPrecision(p.precision());
        EigenPairs within = TopEigen.compute(new WithinClassOperator(gOperator, means),
            cfg.withTolerance(p.tolerance()).withKeepVectors(false),
            RunOptions.sequential().withListener(p.progress()));
        levels(r, u, "within", within.eigenvalues());
      }
      Unit gUnit = u.as(CurvatureOperator.GAUSS_NEWTON.yamlName());
      shares(r, p, gUnit, spectra, gOperator);
      overlaps(r, p, u.as(CurvatureOperator.HESSIAN.yamlName()), means, k, g.operator(CurvatureOperator.HESSIAN, t.batches()));
      overlaps(r, p, gUnit, means, k, gOperator);
      embedding(r, p, gUnit, k, c);
    }
    return r;
  }

  /**
   * {@code means_share = tr(G_means)/tr(G)}, {@code self_share = tr(G0)/tr(G)}, {@code class_share =
   * tr(G1)/tr(G)}, {@code cross_share = tr(G2)/tr(G)}: the level traces are exact (Gram matrices), tr(G) is a
   * Hutch++ estimate (Meyer et al. 2021) whose standard error is reported next to it.
   */
  private void shares(Rows r, Point p, Unit g, GramSpectra.Result spectra, LinearOperator gOperator) {
    TraceEstimate t = HutchPlusPlus.estimate(w -> gOperator, TraceConfig.of(Math.max(4, traceSamples), p.seed(g.split() + "/G_trace")),
        RunOptions.sequential().withListener(p.progress()));
    g.summary(r, "G_trace_hutchpp", t.estimate());
    g.summary(r, "G_trace_hutchpp_std_error", t.standardError());
    g.summary(r, "means_trace", spectra.traceMeans());
    g.summary(r, "means_share", spectra.traceMeans() / t.estimate());
    g.summary(r, "self_share", spectra.traceSelf() / t.estimate());
    g.summary(r, "class_share", spectra.traceClass() / t.estimate());
    g.summary(r, "cross_share", spectra.traceCross() / t.estimate());
  }

  /**
   * {@code class_subspace_overlap} and {@code means_subspace_overlap} of {@code operator} (the unit {@code o}):
   * {@code ||U^T Q||_F^2 / k} with U its top k = C-1 eigenvectors and Q an orthonormal basis of span{delta_c}
   * (resp. of all C^2 means). The eigenvectors are held only here.
   */
  private static void overlaps(Rows r, Point p, Unit o, ClassMeans means, double[][] k, LinearOperator operator) {
    int c = means.numClasses();
    int kk = Math.min(c - 1, o.dimension() - 1);
    if (kk < 1) {
      return;
    }
    TopEigenConfig cfg = TopEigenConfig.of(kk, p.seed(o.split() + "/" + o.operator() + "/overlap")).withBasisPrecision(p.precision());
    EigenPairs top = TopEigen.compute(operator, cfg.withTolerance(p.tolerance()).withKeepVectors(true),
        RunOptions.sequential().withListener(p.progress()));
    double[][] ud = new double[top.count()][];
    double[][] uDelta = new double[top.count()][c];
    for (int i = 0; i < top.count(); i++) {
      ud[i] = means.innerProducts(top.vectors()[i]);
      for (int a = 0; a < c; a++) {
        double s = 0;
        for (int a2 = 0; a2 < c; a2++) {
          if (a2 != a) {
            s += ud[i][a * c + a2];
          }
        }
        uDelta[i][a] = s / (c - 1);
      }
    }
    // Gram eigenvalues below this fraction of the largest are rounding of the products, not directions.
    double floor = p.precision() == Precision.FLOAT64 ? 1e-10 : 1e-5;
    o.summary(r, "class_subspace_overlap", SubspaceOverlap.of(uDelta, GramSpectra.classMeanGram(k, c), floor));
    o.summary(r, "means_subspace_overlap", SubspaceOverlap.of(ud, k, floor));
    o.summary(r, "overlap_eigenvectors", top.count());
  }

  /** The rows of the embeddings of the C class means and the C^2 means ({@link ClassMeansEmbedding}). */
  private static void embedding(Rows r, Point p, Unit g, double[][] k, int c) {
    int n = c + c * c;
    ClassMeansEmbedding e = ClassMeansEmbedding.of(k, c, p.seed(g.split() + "/tsne"));
    ClassicalMds.Embedding mds = e.mds();
    Tsne.Embedding tsne = e.tsne();
    Tsne.Options options = e.tsneOptions();
    for (String method : List.of("mds", "tsne")) {
      double[][] xy = method.equals("mds") ? mds.coordinates() : tsne.coordinates();
      for (int i = 0; i < n; i++) {
        boolean classMean = i < c;
        r.of(Tables.EMBEDDING).add(new EmbeddingRow(g.sweep(), g.split(), method, classMean ? "class_mean" : "cross_mean",
            classMean ? i : (i - c) / c, classMean ? EmbeddingRow.NONE : (i - c) % c, xy[i][0], xy[i][1]));
      }
    }
    g.summary(r, "embedding_variance_share", mds.varianceShare());
    g.summary(r, "tsne_perplexity", tsne.perplexity());
    g.summary(r, "tsne_iterations", options.iterations());
    g.summary(r, "tsne_kl", tsne.divergence());
  }

  private static void levels(Rows r, Unit u, String level, double[] eigenvalues) {
    for (int i = 0; i < eigenvalues.length; i++) {
      r.of(Tables.CLASS_STRUCTURE).add(new ClassStructureRow(u.sweep(), u.split(), level, i + 1, eigenvalues[i]));
    }
  }
}
