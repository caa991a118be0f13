package org.hesspec.experiments.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.hesspec.experiments.config.AnalysesConfig.ClassStructure;
import org.hesspec.experiments.config.AnalysesConfig.Density;
import org.hesspec.experiments.config.AnalysesConfig.Exact;
import org.hesspec.experiments.config.AnalysesConfig.Level;
import org.hesspec.experiments.config.AnalysesConfig.Scale;
import org.hesspec.experiments.config.AnalysesConfig.TopEigen;
import org.hesspec.experiments.config.AnalysesConfig.Trace;
import org.hesspec.experiments.config.AnalysesConfig.TraceMethod;
import org.hesspec.spectral.TopEigenConfig.Which;
import org.hesspec.curvature.Loss;
import org.hesspec.spectral.TopEigenConfig;

/** Binds the {@code analyses} mapping. */
final class AnalysesBinder {

  /**
   * Largest {@code exact.max_parameters}: a dense float64 matrix of that size already takes
   * 20 GB, and its eigendecomposition hours.
   */
  static final int MAX_EXACT_PARAMETERS = 50_000;

  private final Convert convert;

  AnalysesBinder(Convert convert) {
    this.convert = convert;
  }

  /** The density alone, with its defaults: what a file without {@code analyses} gets. */
  static AnalysesConfig defaults() {
    return new AnalysesConfig(Optional.of(defaultDensity()), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  static Density defaultDensity() {
    return new Density(128, 10, 1024, OptionalDouble.empty(), List.of(Scale.LINEAR, Scale.LOG), false);
  }

  AnalysesConfig bind(MapReader r, Loss loss) {
    Optional<Density> density = r.child("density").map(this::density);
    Optional<TopEigen> topEigen = r.child("top_eigen").map(this::topEigen);
    Optional<Trace> trace = r.child("trace").map(this::trace);
    Optional<Exact> exact = r.child("exact").map(this::exact);
    Optional<ClassStructure> classStructure = r.child("class_structure").map(this::classStructure);
    if (classStructure.isPresent() && loss != Loss.CROSS_ENTROPY) {
      r.errors().add(r.map().entry("class_structure").get().keyOrigin(), r.path("class_structure"),
          "class_structure needs loss: cross_entropy (the decomposition of G uses the softmax)");
    }
    if (r.map().entries().isEmpty()) {
      r.errors().add(r.map().origin(), "analyses",
          "lists no analysis; give at least one of density, top_eigen, trace, exact, class_structure");
    }
    r.finish();
    return new AnalysesConfig(density, topEigen, trace, exact, classStructure);
  }

  private Density density(MapReader d) {
    int before = d.errors().size();
    int iterations = d.integer("iterations", 128, 2);
    int runs = d.integer("runs", 10, 1);
    int grid = d.integer("grid", 1024, 2);
    OptionalDouble width = OptionalDouble.empty();
    Optional<YamlValue> w = d.get("kernel_width");
    if (w.isPresent() && !(w.get() instanceof YamlScalar s && s.kind() == YamlScalar.Kind.STRING
        && s.text().equals("auto"))) {
      if (w.get() instanceof YamlScalar s && s.kind() == YamlScalar.Kind.STRING) {
        d.errors().add(w.get().origin(), d.path("kernel_width"), "expected auto or a positive number, found "
            + w.get().describe());
      } else {
        width = convert.number(w.get(), d.path("kernel_width"), 0, true, 2)
            .map(OptionalDouble::of).orElse(OptionalDouble.empty());
      }
    }
    List<Scale> scales = d.enumList("scales", Scale.class, List.of(Scale.LINEAR, Scale.LOG));
    boolean reorth = d.bool("reorthogonalize", false);
    d.finish();
    Density density = new Density(iterations, runs, grid, width, scales, reorth);
    frameworkAccepts(d, before, () -> density.toFramework(0));
    return density;
  }

  private TopEigen topEigen(MapReader t) {
    int before = t.errors().size();
    int k = t.integer("k", 20, 1);
    Which which = t.enumValue("which", Which.class, Which::yamlName, Which.LARGEST);
    int wanted = which == Which.BOTH_ENDS ? 2 * k : k;
    OptionalInt iterations = OptionalInt.empty();
    Optional<YamlValue> it = t.get("iterations");
    if (it.isPresent() && !isAuto(it.get())) {
      Optional<Integer> m = convert.integer(it.get(), t.path("iterations"), 1);
      if (m.isPresent() && m.get() < wanted + 1) {
        t.errors().add(it.get().origin(), t.path("iterations"),
            "the Lanczos basis must hold the " + wanted + " wanted pairs and one more vector: need at least "
                + (wanted + 1) + ", found " + m.get());
      }
      iterations = m.map(OptionalInt::of).orElse(OptionalInt.empty());
    }
    int basis = iterations.orElse(TopEigenConfig.defaultBasisSize(wanted));
    OptionalDouble tolerance = OptionalDouble.empty();
    Optional<YamlValue> tol = t.get("tolerance");
    if (tol.isPresent() && !isAuto(tol.get())) {
      Optional<Double> x = convert.number(tol.get(), t.path("tolerance"), 0, true, 1);
      if (x.isPresent() && x.get() >= 1) {
        t.errors().add(tol.get().origin(), t.path("tolerance"),
            "must be less than 1 (a residual relative to the largest |eigenvalue|), found " + x.get());
        x = Optional.empty();
      }
      tolerance = x.map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }
    OptionalInt maxProducts = OptionalInt.empty();
    Optional<YamlValue> mp = t.get("max_products");
    if (mp.isPresent() && !isAuto(mp.get())) {
      Optional<Integer> n = convert.integer(mp.get(), t.path("max_products"), 1);
      if (n.isPresent() && n.get() < basis) {
        t.errors().add(mp.get().origin(), t.path("max_products"),
            "must be at least the basis size " + basis + " (one restart cycle), found " + n.get());
      }
      maxProducts = n.map(OptionalInt::of).orElse(OptionalInt.empty());
    }
    // Thick restart needs an orthogonal basis: full reorthogonalisation is not optional.
    Optional<YamlValue> reorth = t.get("reorthogonalize");
    if (reorth.isPresent()) {
      Optional<Boolean> b = convert.bool(reorth.get(), t.path("reorthogonalize"));
      if (b.isPresent() && !b.get()) {
        t.errors().add(reorth.get().origin(), t.path("reorthogonalize"),
            "top_eigen always reorthogonalises fully (the restarted basis must stay orthogonal); remove the key");
      }
    }
    t.finish();
    TopEigen top = new TopEigen(k, which, iterations, tolerance, maxProducts);
    // p is known only with the model (k is capped at p there); float64's default tolerance stands for either
    frameworkAccepts(t, before, () -> top.toFramework(Integer.MAX_VALUE, 0, org.hesspec.model.Precision.FLOAT64));
    return top;
  }

  /**
   * Builds the framework's configuration record of an analysis, so that validate rejects what the
   * run would; its message becomes an error of the analysis when the keys themselves gave none.
   */
  private static void frameworkAccepts(MapReader r, int errorsBefore, Runnable build) {
    if (r.errors().size() > errorsBefore) {
      return;
    }
    try {
      build.run();
    } catch (IllegalArgumentException e) {
      r.errors().add(r.map().origin(), r.path(), e.getMessage());
    }
  }

  private static boolean isAuto(YamlValue v) {
    return v instanceof YamlScalar s && s.kind() == YamlScalar.Kind.STRING && s.text().equals("auto");
  }

  private Trace trace(MapReader t) {
    TraceMethod method = t.enumValue("method", TraceMethod.class, TraceMethod.HUTCHPP);
    int samples = t.integer("samples", 100, 1);
    // the framework's own configuration decides what it accepts, so validate rejects what a run would
    try {
      new Trace(method, samples).toFramework(0);
    } catch (IllegalArgumentException e) {
      t.errors().add(t.map().get("samples").map(YamlValue::origin).orElse(t.map().origin()), t.path("samples"),
          method.yamlName() + ": " + e.getMessage());
    }
    t.finish();
    return new Trace(method, samples);
  }

  private Exact exact(MapReader e) {
    int max = e.integer("max_parameters", 4000, 1);
    if (max > MAX_EXACT_PARAMETERS) {
      e.errors().add(e.map().get("max_parameters").get().origin(), e.path("max_parameters"),
          "must be at most " + MAX_EXACT_PARAMETERS + " (a dense float64 matrix of that size already needs 20 GB), found "
              + max);
    }
    e.finish();
    return new Exact(max);
  }

  private ClassStructure classStructure(MapReader c) {
    List<Level> levels = c.enumList("levels", Level.class, List.of(Level.values()));
    c.finish();
    return new ClassStructure(levels);
  }
}
