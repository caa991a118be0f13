package org.hesspec.experiments.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Dataset;
import org.hesspec.data.Seeds;
import org.hesspec.data.Split;
import org.hesspec.distributed.DistributedCurvature;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ParameterGroup;
import org.hesspec.model.FeatureTensor;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.Precision;
import org.hesspec.report.ClassStructureRow;
import org.hesspec.report.DensityRow;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.EmbeddingRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.SummaryRow;
import org.hesspec.report.TraceRow;
import org.hesspec.spectral.DenseSpectrum;
import org.hesspec.spectral.DensityConfig;
import org.hesspec.spectral.DensityEstimate;
import org.hesspec.spectral.EigenPairs;
import org.hesspec.spectral.HutchPlusPlus;
import org.hesspec.spectral.Hutchinson;
import org.hesspec.spectral.LogDensityConfig;
import org.hesspec.spectral.LogDensityEstimate;
import org.hesspec.spectral.LogSpectralDensity;
import org.hesspec.spectral.ProgressListener;
import org.hesspec.spectral.QuadratureRule;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.SpectralDensity;
import org.hesspec.spectral.TopEigen;
import org.hesspec.spectral.TopEigenConfig;
import org.hesspec.spectral.TraceConfig;
import org.hesspec.spectral.TraceEstimate;
import org.hesspec.structure.ClassMeans;
import org.hesspec.structure.ClassMeansEmbedding;
import org.hesspec.structure.ClassicalMds;
import org.hesspec.structure.Deflation;
import org.hesspec.structure.GramSpectra;
import org.hesspec.structure.Margins;
import org.hesspec.structure.NeuralCollapse;
import org.hesspec.structure.SubspaceOverlap;
import org.hesspec.structure.Tsne;
import org.hesspec.structure.WithinClassOperator;

/**
 * The analyses of one sweep point: for each parameter group, split and operator, the density,
 * top eigenvalues, trace and exact spectrum the experiment asks for, and the class structure of
 * G. Each is one unit of work, cached in the run folder ({@link UnitCache}) so a resumed run
 * redoes none that finished. Every random choice derives its seed from the experiment's seed and
 * the unit's name.
 */
final class PointAnalysis {

  private final ExperimentConfig config;
  private final ModelDefinition model;
  private final ExperimentData data;
  private final UnitCache cache;
  private final String pointKey;
  private final Consumer<String> log;
  private final ProgressListener progress;
  private final Path spillDir;

  PointAnalysis(ExperimentConfig config, ModelDefinition model, ExperimentData data, UnitCache cache, String pointKey,
      Consumer<String> log, ProgressListener progress, Path spillDir) {
    this.config = config;
    this.model = model;
    this.data = data;
    this.cache = cache;
    this.pointKey = pointKey;
    this.log = log;
    this.progress = progress;
    this.spillDir = spillDir;
  }

  /** Runs (or reads back) every unit of this point, in a fixed order. */
  Rows run() {
    Rows all = new Rows();
    List<ParameterGroup> groups = config.model().parameters();
    Loss loss = config.loss();
    for (ParameterGroup group : groups) {
      ParameterLayout selection = model.layout().select(group.include());
      String suffix = groups.size() == 1 ? "" : "[" + group.name() + "]";
      Lazy<CurvatureGraph> graph = new Lazy<>(() -> new CurvatureGraph(model, loss, selection,
          SessionSettings.defaults().withProductCacheBytes((long) config.productCacheMb() << 20)));
      try {
        for (Split split : config.splits()) {
          String splitName = split.yamlName();
          Dataset ds = data.split(splitName);
          // the noise fisher_mc samples its labels with: one seed per point and split, the same for every product
          Lazy<BatchedData> batches = new Lazy<>(() -> BatchedData.of(ds, config.batchSize(), model.precision(),
              seed(splitName + "/fisher_mc")));
          Lazy<DistributedCurvature> cluster = new Lazy<>(() -> ClusterOperators.open(config, config.cluster().orElseThrow(), model, loss,
              selection, batches.get(), log));
          try {
            for (CurvatureOperator op : config.operators()) {
              String opName = op.yamlName() + suffix;
              Unit u = new Unit(splitName, opName, ds.size(), Math.toIntExact(selection.dimension()));
              java.util.function.Supplier<LinearOperator> operator = () -> config.cluster().isPresent()
                  ? cluster.get().operator(op) : graph.get().operator(op, batches.get());
              AnalysesConfig a = config.analyses();
              a.density().ifPresent(d -> all.addAll(cache.computeIfAbsent(key(u, "density"), () -> density(u, d, operator.get(), key(u, "density")))));
              a.topEigen().ifPresent(t -> all.addAll(cache.computeIfAbsent(key(u, "top"), () -> top(u, t, operator.get(), key(u, "top")))));
              a.trace().ifPresent(t -> all.addAll(cache.computeIfAbsent(key(u, "trace"), () -> trace(u, t, operator.get()))));
              a.exact().ifPresent(e -> {
                if (selection.dimension() <= e.maxParameters()) {
                  all.addAll(cache.computeIfAbsent(key(u, "exact"), () -> exact(u, operator.get())));
                }
              });
            }
            if (config.cluster().isEmpty()) {
              Unit u = new Unit(splitName, "model" + suffix, ds.size(), Math.toIntExact(selection.dimension()));
              all.addAll(cache.computeIfAbsent(key(u, "regime"), () -> regime(u, graph.get(), ds, batches.get())));
            }
            if (config.analyses().classStructure().isPresent() && loss == Loss.CROSS_ENTROPY) {
              Unit u = new Unit(splitName, CurvatureOperator.GAUSS_NEWTON.yamlName() + suffix, ds.size(), Math.toIntExact(selection.dimension()));
              all.addAll(cache.computeIfAbsent(key(u, "class_structure"), () -> classStructure(u, graph.get(), ds, batches.get(),
                  config.analyses().classStructure().orElseThrow())));
              if (config.analyses().density().isPresent() && config.operators().contains(CurvatureOperator.HESSIAN)) {
                Unit d = new Unit(splitName, DerivedSummary.DEFLATED_HESSIAN + suffix, ds.size(), Math.toIntExact(selection.dimension()));
                all.addAll(cache.computeIfAbsent(key(d, "density"), () -> deflated(d, config.analyses().density().orElseThrow(),
                    graph.get().operator(CurvatureOperator.HESSIAN, batches.get()), graph.get().numClasses(), key(d, "density"))));
              }
            }
          } finally {
            try {
              cluster.close();
            } finally {
              batches.close();
            }
          }
        }
      } finally {
        graph.close();
      }
    }
    return all;
  }

  /** One analysis target: a split and an operator of this point. */
  record Unit(String split, String operator, int examples, int dimension) {}

  private String key(Unit u, String analysis) {
    return (pointKey + "_" + u.split() + "_" + u.operator() + "_" + analysis).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private long seed(String purpose) {
    return Seeds.derive(config.seed(), pointKey + "/" + purpose);
  }

  private String sweep() {
    return config.sweepValue();
  }

  private Rows density(Unit u, AnalysesConfig.Density d, LinearOperator a, String key) {
    log.accept("density " + u.split() + " " + u.operator() + ": M=" + d.iterations() + " K=" + d.runs() + " p=" + u.dimension());
    DensityConfig cfg = d.toFramework(seed(u.split() + "/" + u.operator() + "/density"));
    RunOptions options = RunOptions.sequential().withListener(progress).withCheckpoints(cache.scratch(key), 4);
    DensityEstimate est = SpectralDensity.estimate(w -> a, cfg, options);
    if (d.iterations() > u.dimension()) {
      log.accept("WARNING: density " + u.split() + " " + u.operator() + ": iterations M = " + d.iterations() + " exceed p = "
          + u.dimension() + "; each Lanczos run stops after p steps, where its quadrature is exact (point masses)");
    }
    long brokeDown = est.quadrature().stream().filter(QuadratureRule::breakdown).count();
    if (brokeDown > 0) {
      log.accept("WARNING: density " + u.split() + " " + u.operator() + ": " + brokeDown + " of " + est.quadrature().size()
          + " Lanczos runs stopped before " + d.iterations() + " steps (breakdown: the start vector reaches at most that many"
          + " eigenvectors, p = " + u.dimension() + "); their quadrature rules are exact, the density is kept");
    }
    Rows r = new Rows();
    if (d.scales().contains(AnalysesConfig.Scale.LINEAR)) {
      for (int i = 0; i < est.x().length; i++) {
        r.density.add(new DensityRow(sweep(), u.split(), u.operator(), "linear", est.x()[i], est.density()[i]));
      }
    }
    if (d.scales().contains(AnalysesConfig.Scale.LOG)) {
      LogDensityEstimate log10 = LogSpectralDensity.fromDensity(est, new LogDensityConfig(d.grid(), LogDensityConfig.defaults().kernelWidth(), LogDensityConfig.defaults().floor()));
      for (int i = 0; i < log10.x().length; i++) {
        r.density.add(new DensityRow(sweep(), u.split(), u.operator(), "log", log10.x()[i], log10.positive()[i]));
      }
      for (int i = 0; i < log10.x().length; i++) {
        r.density.add(new DensityRow(sweep(), u.split(), u.operator(), "log_negative", log10.x()[i], log10.negative()[i]));
      }
      summary(r, u, "log_mass_positive", log10.massPositive());
      summary(r, u, "log_mass_negative", log10.massNegative());
      summary(r, u, "log_mass_zero", log10.massZero());
      summary(r, u, "log_floor", log10.floor());
    }
    for (QuadratureRule q : est.quadrature()) {
      for (int j = 0; j < q.nodes().length; j++) {
        r.ritz.add(new RitzRow(sweep(), u.split(), u.operator(), q.run(), q.nodes()[j], q.weights()[j]));
      }
    }
    summary(r, u, "negative_mass", est.negativeMass());
    summary(r, u, "spectrum_lower_bound", est.bounds().lower());
    summary(r, u, "spectrum_upper_bound", est.bounds().upper());
    summary(r, u, "kernel_width", est.kernelWidth());
    summary(r, u, "lanczos_steps", d.iterations());
    summary(r, u, "lanczos_runs", d.runs());
    summary(r, u, "parameters", u.dimension());
    summary(r, u, "examples", u.examples());
    return r;
  }

  /**
   * The bulk left when the top C eigenpairs of the Hessian are deflated, {@code Hess - sum_j
   * lambda_j q_j q_j^T}: if the outliers come from the class means, this is the bulk, which should
   * match the density of H.
   */
  private Rows deflated(Unit u, AnalysesConfig.Density d, LinearOperator hessian, int c, String key) {
    int k = Math.min(c, u.dimension() - 1);
    log.accept("deflating the top " + k + " eigenpairs of the Hessian (" + u.split() + ")");
    TopEigenConfig cfg = TopEigenConfig.of(k, seed(u.split() + "/" + u.operator() + "/deflation"))
        .withTolerance(tolerance()).withBasisPrecision(model.precision());
    EigenPairs top = TopEigen.compute(hessian, cfg, RunOptions.sequential().withListener(progress));
    // Ritz vectors of a float32 basis are orthonormal to float32 rounding only: made orthonormal in float64.
    Rows r = density(u, d, Deflation.of(hessian, Deflation.orthonormalized(top.vectors()), top.eigenvalues()), key);
    summary(r, u, "deflated_eigenpairs", top.count());
    return r;
  }

  private Rows top(Unit u, AnalysesConfig.TopEigen t, LinearOperator a, String key) {
    TopEigenConfig cfg = t.toFramework(u.dimension(), seed(u.split() + "/" + u.operator() + "/top"), model.precision());
    int k = cfg.k();
    log.accept("top " + k + " eigenvalues (" + t.which().yamlName() + ") " + u.split() + " " + u.operator()
        + ": basis " + cfg.basisSize() + ", tolerance " + cfg.tolerance() + ", at most " + cfg.maxProducts() + " products");
    // Ritz vectors are not needed here: keeping them would add a p-vector per pair to the basis.
    // The solver's state is saved once per restart cycle (the whole basis: a cycle's products cost
    // far more than writing it), so a killed run resumes the unit bit for bit.
    EigenPairs pairs = TopEigen.compute(a, cfg,
        RunOptions.sequential().withListener(progress).withCheckpoints(cache.scratch(key), cfg.basisSize()));
    Rows r = new Rows();
    for (int i = 0; i < pairs.count(); i++) {
      // lanczos is the largest end, as downstream code (outliers, figures) reads it
      String method = pairs.smallestEnd(i) ? "lanczos_smallest"
          : t.which() == TopEigenConfig.Which.LARGEST_MAGNITUDE ? "lanczos_magnitude" : "lanczos";
      r.eigenvalues.add(new EigenvalueRow(sweep(), u.split(), u.operator(), method, pairs.rank(i), pairs.eigenvalues()[i],
          pairs.residuals()[i]));
    }
    List<String> unconverged = new ArrayList<>();
    for (int i = 0; i < pairs.count(); i++) {
      if (!pairs.converged()[i]) {
        unconverged.add((pairs.smallestEnd(i) ? "smallest-end " : "") + pairs.rank(i));
      }
    }
    if (!unconverged.isEmpty()) {
      log.accept("WARNING: top_eigen " + u.split() + " " + u.operator() + ": " + unconverged.size() + " of " + pairs.count()
          + " pairs did not converge to residual <= " + cfg.tolerance() + " x the largest |eigenvalue| within "
          + pairs.products() + " products (ranks " + String.join(", ", unconverged)
          + "): " + pairs.unconvergedReason());
    }
    int largest = -1;
    for (int i = 0; i < pairs.count(); i++) {
      if (!pairs.smallestEnd(i) && (largest < 0 || pairs.eigenvalues()[i] > pairs.eigenvalues()[largest])) {
        largest = i;
      }
    }
    if (largest >= 0) {
      summary(r, u, "top_eigenvalue", pairs.eigenvalues()[largest]);
    }
    int smallest = -1;
    for (int i = 0; i < pairs.count(); i++) {
      if (pairs.smallestEnd(i) && (smallest < 0 || pairs.eigenvalues()[i] < pairs.eigenvalues()[smallest])) {
        smallest = i;
      }
    }
    if (smallest >= 0) {
      summary(r, u, "bottom_eigenvalue", pairs.eigenvalues()[smallest]);
    }
    summary(r, u, "top_eigen_converged", pairs.convergedCount());
    summary(r, u, "top_eigen_products", pairs.products());
    summary(r, u, "top_eigen_restarts", pairs.restarts());
    summary(r, u, "top_eigen_residual_bound", pairs.residualBound());
    return r;
  }

  /**
   * Default convergence tolerance of top eigenpairs, relative to the largest |eigenvalue|: 1e-8 for
   * float64, 1e-4 for float32 (see {@link TopEigenConfig#FLOAT32_TOLERANCE}: float32 products carry
   * rounding of 1e-6 to 1e-5 relative, and residuals cannot go below it).
   */
  private double tolerance() {
    return TopEigenConfig.defaultTolerance(model.precision());
  }

  private Rows trace(Unit u, AnalysesConfig.Trace t, LinearOperator a) {
    log.accept("trace " + u.split() + " " + u.operator() + " (" + t.method().yamlName() + ", " + t.samples() + " samples)");
    TraceConfig cfg = t.toFramework(seed(u.split() + "/" + u.operator() + "/trace"));
    RunOptions options = RunOptions.sequential().withListener(progress);
    TraceEstimate e = t.method() == AnalysesConfig.TraceMethod.HUTCHINSON
        ? Hutchinson.estimate(w -> a, cfg, options) : HutchPlusPlus.estimate(w -> a, cfg, options);
    Rows r = new Rows();
    r.trace.add(new TraceRow(sweep(), u.split(), u.operator(), t.method().yamlName(), e.estimate(), e.standardError(), e.samples()));
    summary(r, u, "trace", e.estimate());
    return r;
  }

  private Rows exact(Unit u, LinearOperator a) {
    log.accept("exact spectrum " + u.split() + " " + u.operator() + " (p=" + u.dimension() + " products)");
    // float32 products are symmetric only to float32 rounding; the dense matrix is symmetrised.
    double tol = model.precision() == Precision.FLOAT64 ? 1e-8 : 1e-3;
    DenseSpectrum s = DenseSpectrum.of(w -> a, false, tol, RunOptions.sequential().withListener(progress));
    double[] ev = s.eigenvalues();
    Rows r = new Rows();
    for (int i = 0; i < ev.length; i++) {
      r.eigenvalues.add(new EigenvalueRow(sweep(), u.split(), u.operator(), "exact", i + 1, ev[ev.length - 1 - i], Double.NaN));
    }
    summary(r, u, "exact_top_eigenvalue", ev[ev.length - 1]);
    summary(r, u, "exact_negative_fraction", s.negativeFraction(model.precision()));
    summary(r, u, "exact_trace", s.trace());
    return r;
  }

  /**
   * The class structure of G in Papyan's convention (docs/mathematics.md): the exact spectra of the
   * declared levels G0 (self_means), G1 (class_means), G2 (cross_class), G_means (means) from the Gram
   * matrix of the C^2 means, the top of G_within by Lanczos when {@code within} is declared, the shares of
   * tr(G) they carry, the overlap of the top C-1 eigenvectors of the Hessian and of G with span{delta_c} and
   * with the span of all C^2 means, and the embedding of the means.
   */
  private Rows classStructure(Unit u, CurvatureGraph g, Dataset ds, BatchedData batches, AnalysesConfig.ClassStructure declared) {
    int c = g.numClasses();
    log.accept("class structure " + u.split() + ": " + c * c + " means d_{c,c'} by weighted VJPs");
    int[] all = new int[ds.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    long budget = Runtime.getRuntime().maxMemory() / 4;
    Rows r = new Rows();
    try (ClassMeans means = ClassMeans.compute(g, ds, all, config.batchSize(), budget, spillDir,
        (done, total) -> progress.progress(new org.hesspec.spectral.Progress("class means", 0, 1, done, total, java.time.Duration.ZERO,
            java.time.Duration.ZERO)))) {
      double[][] k = means.gram();
      GramSpectra.Result spectra = GramSpectra.of(k, means.pi());
      List<AnalysesConfig.Level> levels = declared.levels();
      if (levels.contains(AnalysesConfig.Level.SELF_MEANS)) {
        levels(r, u, "self_means", spectra.selfMeans());
      }
      if (levels.contains(AnalysesConfig.Level.CLASS_MEANS)) {
        levels(r, u, "class_means", spectra.classMeans());
      }
      if (levels.contains(AnalysesConfig.Level.CROSS_CLASS)) {
        levels(r, u, "cross_class", spectra.crossClass());
      }
      if (levels.contains(AnalysesConfig.Level.MEANS)) {
        levels(r, u, "means", spectra.means());
      }
      LinearOperator gOperator = g.operator(CurvatureOperator.GAUSS_NEWTON, batches);
      if (levels.contains(AnalysesConfig.Level.WITHIN)) {
        // G_within = G - G_means: its top eigenvalues by Lanczos.
        int kw = Math.min(Math.min(2 * c, 20), u.dimension());
        TopEigenConfig cfg = TopEigenConfig.of(kw, seed(u.split() + "/within")).withBasisPrecision(model.precision());
        EigenPairs within = TopEigen.compute(new WithinClassOperator(gOperator, means),
            cfg.withTolerance(tolerance()).withKeepVectors(false),
            RunOptions.sequential().withListener(progress));
        levels(r, u, "within", within.eigenvalues());
      }
      shares(r, u, spectra, gOperator);
      overlaps(r, u, means, k, g.operator(CurvatureOperator.HESSIAN, batches), CurvatureOperator.HESSIAN.yamlName());
      overlaps(r, u, means, k, gOperator, CurvatureOperator.GAUSS_NEWTON.yamlName());
      embedding(r, u, k, c);
    }
    return r;
  }

  /**
   * {@code means_share = tr(G_means)/tr(G)}, {@code self_share = tr(G0)/tr(G)}, {@code class_share =
   * tr(G1)/tr(G)}, {@code cross_share = tr(G2)/tr(G)}: the level traces are exact (Gram matrices), tr(G) is a
   * Hutch++ estimate (Meyer et al. 2021) whose standard error is reported next to it.
   */
  private void shares(Rows r, Unit u, GramSpectra.Result spectra, LinearOperator gOperator) {
    int samples = config.analyses().trace().map(AnalysesConfig.Trace::samples).orElse(SHARE_TRACE_SAMPLES);
    TraceEstimate t = HutchPlusPlus.estimate(w -> gOperator, TraceConfig.of(Math.max(4, samples), seed(u.split() + "/G_trace")),
        RunOptions.sequential().withListener(progress));
    Unit g = new Unit(u.split(), CurvatureOperator.GAUSS_NEWTON.yamlName(), u.examples(), u.dimension());
    summary(r, g, "G_trace_hutchpp", t.estimate());
    summary(r, g, "G_trace_hutchpp_std_error", t.standardError());
    summary(r, g, "means_trace", spectra.traceMeans());
    summary(r, g, "means_share", spectra.traceMeans() / t.estimate());
    summary(r, g, "self_share", spectra.traceSelf() / t.estimate());
    summary(r, g, "class_share", spectra.traceClass() / t.estimate());
    summary(r, g, "cross_share", spectra.traceCross() / t.estimate());
  }

  /** Hutch++ samples for tr(G) in the shares when the experiment declares no trace analysis. */
  private static final int SHARE_TRACE_SAMPLES = 30;

  /**
   * {@code class_subspace_overlap} and {@code means_subspace_overlap} of {@code operator}: {@code ||U^T Q||_F^2 / k}
   * with U its top k = C-1 eigenvectors and Q an orthonormal basis of span{delta_c} (resp. of all C^2 means).
   * The eigenvectors are held only here.
   */
  private void overlaps(Rows r, Unit u, ClassMeans means, double[][] k, LinearOperator operator, String name) {
    int c = means.numClasses();
    int kk = Math.min(c - 1, u.dimension() - 1);
    if (kk < 1) {
      return;
    }
    TopEigenConfig cfg = TopEigenConfig.of(kk, seed(u.split() + "/" + name + "/overlap")).withBasisPrecision(model.precision());
    EigenPairs top = TopEigen.compute(operator, cfg.withTolerance(tolerance()).withKeepVectors(true),
        RunOptions.sequential().withListener(progress));
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
    double floor = model.precision() == Precision.FLOAT64 ? 1e-10 : 1e-5;
    Unit o = new Unit(u.split(), name, u.examples(), u.dimension());
    summary(r, o, "class_subspace_overlap", SubspaceOverlap.of(uDelta, GramSpectra.classMeanGram(k, c), floor));
    summary(r, o, "means_subspace_overlap", SubspaceOverlap.of(ud, k, floor));
    summary(r, o, "overlap_eigenvectors", top.count());
  }

  /**
   * The classification regime of a split at the analysed parameters: its loss, accuracy and logit margins,
   * and the neural-collapse statistic nc1 of the penultimate features (absent when the model has no such
   * tensor), and C ({@code classes}, which the derived quantities of each sweep point use). Quantities are
   * written with operator {@code model}.
   */
  private Rows regime(Unit u, CurvatureGraph g, Dataset ds, BatchedData batches) {
    Rows r = new Rows();
    Unit m = new Unit(u.split(), "model", u.examples(), u.dimension());
    summary(r, m, "classes", g.numClasses());
    summary(r, m, u.split() + "_loss", g.loss(batches));
    int[] labels = batches.labels();
    if (labels == null || g.loss() != Loss.CROSS_ENTROPY) {
      return r;
    }
    Margins margins = Margins.of(g.logits(batches), labels);
    summary(r, m, u.split() + "_accuracy", margins.accuracy());
    summary(r, m, "margin_q05", margins.marginQ05());
    summary(r, m, "margin_median", margins.marginMedian());
    java.util.Optional<String> features = config.model().features().or(() -> FeatureTensor.find(model));
    if (features.isEmpty()) {
      log.accept("nc1: the model's output is not a dense layer of a feature tensor; give model.features to name one");
      return r;
    }
    log.accept("nc1 " + u.split() + ": features '" + features.get() + "'" + (config.model().features().isPresent() ? "" : " (found: input of the last dense layer)"));
    summary(r, m, "nc1", NeuralCollapse.nc1(g.tensorPerExample(features.get(), batches), labels, g.numClasses()));
    return r;
  }

  /**
   * The rows of the embeddings of the C class means and the C^2 means ({@link ClassMeansEmbedding}).
   */
  private void embedding(Rows r, Unit u, double[][] k, int c) {
    int n = c + c * c;
    ClassMeansEmbedding e = ClassMeansEmbedding.of(k, c, seed(u.split() + "/tsne"));
    ClassicalMds.Embedding mds = e.mds();
    Tsne.Embedding tsne = e.tsne();
    Tsne.Options options = e.tsneOptions();
    for (String method : List.of("mds", "tsne")) {
      double[][] xy = method.equals("mds") ? mds.coordinates() : tsne.coordinates();
      for (int i = 0; i < n; i++) {
        boolean classMean = i < c;
        r.embedding.add(new EmbeddingRow(sweep(), u.split(), method, classMean ? "class_mean" : "cross_mean",
            classMean ? i : (i - c) / c, classMean ? EmbeddingRow.NONE : (i - c) % c, xy[i][0], xy[i][1]));
      }
    }
    Unit g = new Unit(u.split(), CurvatureOperator.GAUSS_NEWTON.yamlName(), u.examples(), u.dimension());
    summary(r, g, "embedding_variance_share", mds.varianceShare());
    summary(r, g, "tsne_perplexity", tsne.perplexity());
    summary(r, g, "tsne_iterations", options.iterations());
    summary(r, g, "tsne_kl", tsne.divergence());
  }

  private void levels(Rows r, Unit u, String level, double[] eigenvalues) {
    for (int i = 0; i < eigenvalues.length; i++) {
      r.classStructure.add(new ClassStructureRow(sweep(), u.split(), level, i + 1, eigenvalues[i]));
    }
  }

  private void summary(Rows r, Unit u, String quantity, double value) {
    r.summary.add(new SummaryRow(sweep(), u.split(), u.operator(), quantity, value));
  }

  /** A resource created on first use and closed once. */
  static final class Lazy<T extends AutoCloseable> implements AutoCloseable {
    private final java.util.function.Supplier<T> factory;
    private T value;

    Lazy(java.util.function.Supplier<T> factory) {
      this.factory = factory;
    }

    T get() {
      if (value == null) {
        value = factory.get();
      }
      return value;
    }

    @Override
    public void close() {
      if (value != null) {
        try {
          value.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        value = null;
      }
    }
  }

}
