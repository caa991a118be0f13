package org.hesspec.experiments.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.GaussNewtonOperator;
import org.hesspec.curvature.HessianOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.ResidualHessianOperator;
import org.hesspec.curvature.SessionSettings;
import org.hesspec.data.Dataset;
import org.hesspec.data.Seeds;
import org.hesspec.distributed.DistributedCurvature;
import org.hesspec.experiments.config.AnalysesConfig;
import org.hesspec.experiments.config.ExperimentConfig;
import org.hesspec.experiments.config.ParameterGroup;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.Precision;
import org.hesspec.report.ClassStructureRow;
import org.hesspec.report.DensityRow;
import org.hesspec.report.EigenvalueRow;
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
import org.hesspec.spectral.Reorthogonalization;
import org.hesspec.spectral.RunOptions;
import org.hesspec.spectral.SpectralDensity;
import org.hesspec.spectral.SpectrumBounds;
import org.hesspec.spectral.StartVector;
import org.hesspec.spectral.TopEigen;
import org.hesspec.spectral.TopEigenConfig;
import org.hesspec.spectral.TraceConfig;
import org.hesspec.spectral.TraceEstimate;
import org.hesspec.structure.ClassMeans;
import org.hesspec.structure.ClassicalMds;
import org.hesspec.structure.Deflation;
import org.hesspec.structure.GramSpectra;
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
    Loss loss = config.loss() == ExperimentConfig.Loss.MSE ? Loss.MSE : Loss.CROSS_ENTROPY;
    for (ParameterGroup group : groups) {
      ParameterLayout selection = model.layout().select(group.include());
      String suffix = groups.size() == 1 ? "" : "[" + group.name() + "]";
      Lazy<CurvatureGraph> graph = new Lazy<>(() -> new CurvatureGraph(model, loss, selection,
          SessionSettings.defaults().withProductCacheBytes((long) config.productCacheMb() << 20)));
      try {
        for (ExperimentConfig.Split split : config.splits()) {
          String splitName = split.yamlName();
          Dataset ds = data.split(splitName);
          Lazy<BatchedData> batches = new Lazy<>(() -> BatchedData.of(ds, config.batchSize(), model.precision()));
          Lazy<DistributedCurvature> cluster = new Lazy<>(() -> ClusterOperators.open(config, config.cluster().orElseThrow(), model, loss,
              selection, batches.get(), log));
          try {
            for (ExperimentConfig.Operator op : config.operators()) {
              String opName = op.yamlName() + suffix;
              Unit u = new Unit(splitName, opName, ds.size(), Math.toIntExact(selection.dimension()));
              java.util.function.Supplier<LinearOperator> operator = () -> config.cluster().isPresent()
                  ? ClusterOperators.operator(op, cluster.get()) : operator(op, graph.get(), batches.get());
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
            if (config.analyses().classStructure().isPresent() && loss == Loss.CROSS_ENTROPY) {
              Unit u = new Unit(splitName, "G" + suffix, ds.size(), Math.toIntExact(selection.dimension()));
              all.addAll(cache.computeIfAbsent(key(u, "class_structure"), () -> classStructure(u, graph.get(), ds, batches.get())));
              if (config.analyses().density().isPresent() && config.operators().contains(ExperimentConfig.Operator.HESSIAN)) {
                Unit d = new Unit(splitName, "hessian_deflated" + suffix, ds.size(), Math.toIntExact(selection.dimension()));
                all.addAll(cache.computeIfAbsent(key(d, "density"), () -> deflated(d, config.analyses().density().orElseThrow(),
                    new HessianOperator(graph.get(), batches.get()), graph.get().numClasses(), key(d, "density"))));
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

  private static LinearOperator operator(ExperimentConfig.Operator op, CurvatureGraph g, BatchedData d) {
    return switch (op) {
      case HESSIAN -> new HessianOperator(g, d);
      case G -> new GaussNewtonOperator(g, d);
      case H -> new ResidualHessianOperator(g, d);
    };
  }

  private Rows density(Unit u, AnalysesConfig.Density d, LinearOperator a, String key) {
    log.accept("density " + u.split() + " " + u.operator() + ": M=" + d.iterations() + " K=" + d.runs() + " p=" + u.dimension());
    DensityConfig cfg = new DensityConfig(d.iterations(), d.runs(), d.grid(), d.kernelWidth().orElse(Double.NaN),
        d.reorthogonalize() ? Reorthogonalization.FULL : Reorthogonalization.NONE, StartVector.GAUSSIAN,
        seed(u.split() + "/" + u.operator() + "/density"), SpectrumBounds.DEFAULT_STEPS, DensityConfig.DEFAULT_MARGIN);
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
    double negative = 0;
    for (QuadratureRule q : est.quadrature()) {
      for (int j = 0; j < q.nodes().length; j++) {
        r.ritz.add(new RitzRow(sweep(), u.split(), u.operator(), q.run(), q.nodes()[j], q.weights()[j]));
        if (q.nodes()[j] < 0) {
          negative += q.weights()[j] / est.quadrature().size();
        }
      }
    }
    summary(r, u, "negative_mass", negative);
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
    Rows r = density(u, d, Deflation.of(hessian, top.vectors(), top.eigenvalues()), key);
    summary(r, u, "deflated_eigenpairs", top.count());
    return r;
  }

  private Rows top(Unit u, AnalysesConfig.TopEigen t, LinearOperator a, String key) {
    int k = Math.min(t.k(), u.dimension());
    TopEigenConfig cfg = new TopEigenConfig(k, t.basisSize(), t.which().framework(), StartVector.GAUSSIAN,
        seed(u.split() + "/" + u.operator() + "/top"), t.tolerance().orElse(tolerance()), t.productBudget(),
        TopEigenConfig.ResidualMethod.PRODUCT, false, model.precision());
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
          : t.which() == AnalysesConfig.TopEigenWhich.MAGNITUDE ? "lanczos_magnitude" : "lanczos";
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
          + "); raise max_products or iterations, or loosen tolerance");
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
    TraceConfig cfg = TraceConfig.of(t.samples(), seed(u.split() + "/" + u.operator() + "/trace"));
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
    double scale = 0;
    for (double x : ev) {
      scale = Math.max(scale, Math.abs(x));
    }
    // An eigenvalue counts as negative only below the rounding floor of the products: in float32
    // the zero eigenvalues of a PSD operator (G) come out as small negatives of order 1e-7..1e-6
    // relative to the largest, so the float64 floor would count them (a third of G "negative").
    double zeroFloor = model.precision() == Precision.FLOAT64 ? 1e-10 : 1e-5;
    int negative = 0;
    for (int i = 0; i < ev.length; i++) {
      double e = ev[ev.length - 1 - i];
      r.eigenvalues.add(new EigenvalueRow(sweep(), u.split(), u.operator(), "exact", i + 1, e, Double.NaN));
      negative += e < -zeroFloor * scale ? 1 : 0;
    }
    summary(r, u, "exact_top_eigenvalue", ev[ev.length - 1]);
    summary(r, u, "exact_negative_fraction", (double) negative / ev.length);
    summary(r, u, "exact_trace", s.trace());
    return r;
  }

  private Rows classStructure(Unit u, CurvatureGraph g, Dataset ds, BatchedData batches) {
    int c = g.numClasses();
    log.accept("class structure " + u.split() + ": " + c * c + " cross-class means by weighted VJPs");
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
      levels(r, u, "class_means", spectra.classMeans());
      levels(r, u, "cross_class", spectra.crossClass());
      levels(r, u, "means", spectra.means());
      // G_within = G - G_means: its top eigenvalues by Lanczos.
      int kw = Math.min(Math.min(2 * c, 20), u.dimension());
      TopEigenConfig cfg = TopEigenConfig.of(kw, seed(u.split() + "/within")).withBasisPrecision(model.precision());
      EigenPairs within = TopEigen.compute(new WithinClassOperator(new GaussNewtonOperator(g, batches), means),
          cfg.withTolerance(tolerance()).withKeepVectors(false),
          RunOptions.sequential().withListener(progress));
      levels(r, u, "within", within.eigenvalues());
      // Embedding of the class means and cross-class means (classical MDS of their Gram matrices).
      embedding(r, u, k, c);
    }
    return r;
  }

  /**
   * Classical MDS of the C^2 cross-class means (from their Gram matrix K); the class means
   * delta_c = mean_c' delta_{c,c'} are placed at the mean of their cross-class means' coordinates,
   * which is exactly their own projection (MDS coordinates are a linear projection), so both sets
   * share one coordinate system.
   */
  private void embedding(Rows r, Unit u, double[][] k, int c) {
    ClassicalMds.Embedding cross = ClassicalMds.fromGram(k, 2);
    for (int a = 0; a < c; a++) {
      double x = 0;
      double y = 0;
      for (int a2 = 0; a2 < c; a2++) {
        x += cross.coordinates()[a * c + a2][0] / c;
        y += cross.coordinates()[a * c + a2][1] / c;
      }
      r.summary.add(new SummaryRow(sweep(), u.split(), "class_mean_" + a, "mds_x", x));
      r.summary.add(new SummaryRow(sweep(), u.split(), "class_mean_" + a, "mds_y", y));
    }
    for (int x = 0; x < c * c; x++) {
      String name = "cross_mean_" + x / c + "_" + x % c;
      r.summary.add(new SummaryRow(sweep(), u.split(), name, "mds_x", cross.coordinates()[x][0]));
      r.summary.add(new SummaryRow(sweep(), u.split(), name, "mds_y", cross.coordinates()[x][1]));
    }
    r.summary.add(new SummaryRow(sweep(), u.split(), "G", "embedding_variance_share", cross.varianceShare()));
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
