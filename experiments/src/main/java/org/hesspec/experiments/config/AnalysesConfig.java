package org.hesspec.experiments.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hesspec.spectral.TopEigenConfig.Which;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What to compute for each split and operator; an absent analysis is not run. Without an
 * {@code analyses} key only the density runs, with its defaults.
 */
public record AnalysesConfig(
    Optional<Density> density,
    Optional<TopEigen> topEigen,
    Optional<Trace> trace,
    Optional<Exact> exact,
    Optional<ClassStructure> classStructure) {

  public AnalysesConfig {
    Objects.requireNonNull(density, "density");
    Objects.requireNonNull(topEigen, "topEigen");
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(exact, "exact");
    Objects.requireNonNull(classStructure, "classStructure");
  }

  /**
   * Spectral density by stochastic Lanczos quadrature.
   *
   * @param iterations Lanczos steps M per run [128]
   * @param runs independent runs K [10]
   * @param grid points of the density grid [1024]
   * @param kernelWidth Gaussian kernel width sigma on the [-1, 1]-mapped spectrum; empty means
   *     auto (chosen from the grid and M by the estimator) [auto]
   * @param scales linear and/or log (density of log|lambda|) [linear, log]
   * @param reorthogonalize full reorthogonalization, O(M p) memory [false]
   */
  public record Density(
      int iterations, int runs, int grid, OptionalDouble kernelWidth, List<Scale> scales, boolean reorthogonalize) {
    public Density {
      Objects.requireNonNull(kernelWidth, "kernelWidth");
      scales = List.copyOf(scales);
    }

    /**
     * The framework's configuration of this density (Gaussian start vectors, the default bounds
     * steps and margin), the one record the run uses and {@code validate} builds.
     *
     * @throws IllegalArgumentException where the framework rejects the values
     */
    public org.hesspec.spectral.DensityConfig toFramework(long seed) {
      return new org.hesspec.spectral.DensityConfig(iterations, runs, grid, kernelWidth.orElse(Double.NaN),
          reorthogonalize ? org.hesspec.spectral.Reorthogonalization.FULL : org.hesspec.spectral.Reorthogonalization.NONE,
          org.hesspec.spectral.StartVector.GAUSSIAN, seed, org.hesspec.spectral.SpectrumBounds.DEFAULT_STEPS,
          org.hesspec.spectral.DensityConfig.DEFAULT_MARGIN);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("iterations", iterations);
      m.put("runs", runs);
      m.put("grid", grid);
      m.put("kernel_width", kernelWidth.isPresent() ? (Object) kernelWidth.getAsDouble() : "auto");
      m.put("scales", scales.stream().map(YamlEnum::yamlName).toList());
      m.put("reorthogonalize", reorthogonalize);
      return m;
    }
  }

  /** Axis of a density plot. */
  public enum Scale implements YamlEnum {
    LINEAR, LOG;
  }

  /**
   * Extreme eigenpairs by thick-restart Lanczos, converged to a tolerance.
   *
   * @param k number of eigenpairs, at each end for both_ends [20]
   * @param which largest | smallest | both_ends | magnitude [largest]
   * @param iterations the Lanczos basis size M (vectors kept at once), at least w + 1 for w wanted
   *     pairs (k, or 2k for both_ends); empty means auto, max(2w + 1, w + 20) [auto]
   * @param tolerance convergence: residual at most this times the largest |eigenvalue|, in (0, 1);
   *     empty means auto, 1e-8 for float64 models and 1e-4 for float32 [auto]
   * @param maxProducts the most operator products, at least M; empty means auto, 20 M [auto]
   */
  public record TopEigen(
      int k, Which which, OptionalInt iterations, OptionalDouble tolerance, OptionalInt maxProducts) {
    public TopEigen {
      Objects.requireNonNull(which, "which");
      Objects.requireNonNull(iterations, "iterations");
      Objects.requireNonNull(tolerance, "tolerance");
      Objects.requireNonNull(maxProducts, "maxProducts");
    }

    /** The number of wanted pairs: k, or 2k at both ends. */
    public int wanted() {
      return which == Which.BOTH_ENDS ? 2 * k : k;
    }

    /** The basis size M the run uses: the given one or {@code max(2w + 1, w + 20)}. */
    public int basisSize() {
      return iterations.orElse(org.hesspec.spectral.TopEigenConfig.defaultBasisSize(wanted()));
    }

    /** The product budget the run uses: the given one or {@code 20 M}. */
    public int productBudget() {
      return maxProducts.orElse(org.hesspec.spectral.TopEigenConfig.defaultMaxProducts(basisSize()));
    }

    /**
     * The framework's configuration for an operator of dimension p (k at most p; Gaussian start,
     * residuals by products, no Ritz vectors kept; the default tolerance of {@code precision}),
     * the one record the run uses and {@code validate} builds.
     *
     * @throws IllegalArgumentException where the framework rejects the values
     */
    public org.hesspec.spectral.TopEigenConfig toFramework(int p, long seed, org.hesspec.model.Precision precision) {
      return new org.hesspec.spectral.TopEigenConfig(Math.min(k, p), basisSize(), which,
          org.hesspec.spectral.StartVector.GAUSSIAN, seed,
          tolerance.orElse(org.hesspec.spectral.TopEigenConfig.defaultTolerance(precision)), productBudget(),
          org.hesspec.spectral.TopEigenConfig.ResidualMethod.PRODUCT, false, precision);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("k", k);
      m.put("which", which.yamlName());
      m.put("iterations", iterations.isPresent() ? (Object) iterations.getAsInt() : "auto");
      m.put("tolerance", tolerance.isPresent() ? (Object) tolerance.getAsDouble() : "auto");
      m.put("max_products", maxProducts.isPresent() ? (Object) maxProducts.getAsInt() : "auto");
      return m;
    }
  }

  /**
   * Stochastic trace estimate.
   *
   * @param method hutchinson | hutchpp [hutchpp]
   * @param samples matrix-vector products spent, at least 3 for hutchpp [100]
   */
  public record Trace(TraceMethod method, int samples) {
    public Trace {
      Objects.requireNonNull(method, "method");
    }

    /**
     * The framework's configuration of this estimate (Rademacher probes), checked as the method's
     * estimator checks it: the record the run uses and {@code validate} builds.
     *
     * @throws IllegalArgumentException where the framework rejects the values
     */
    public org.hesspec.spectral.TraceConfig toFramework(long seed) {
      org.hesspec.spectral.TraceConfig cfg = org.hesspec.spectral.TraceConfig.of(samples, seed);
      if (method == TraceMethod.HUTCHPP) {
        org.hesspec.spectral.HutchPlusPlus.requireSamples(cfg);
      }
      return cfg;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", method.yamlName());
      m.put("samples", samples);
      return m;
    }
  }

  /** Trace estimators. */
  public enum TraceMethod implements YamlEnum {
    HUTCHINSON, HUTCHPP;
  }

  /**
   * Dense eigendecomposition, run only when the model has at most {@code maxParameters}
   * parameters (the runner skips it, saying so, for larger models).
   *
   * @param maxParameters largest p to decompose densely [4000]
   */
  public record Exact(int maxParameters) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("max_parameters", maxParameters);
      return m;
    }
  }

  /**
   * The class-structure decomposition of G (softmax cross-entropy only).
   *
   * @param levels which parts to compute [self_means, class_means, cross_class, means, within]; {@code within}
   *     costs a Lanczos run on G_within, the others are exact and cheap once the C^2 means exist
   */
  public record ClassStructure(List<Level> levels) {
    public ClassStructure {
      levels = List.copyOf(levels);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("levels", levels.stream().map(YamlEnum::yamlName).toList());
      return m;
    }
  }

  /** Parts of the class-structure hierarchy, as in {@code class_structure.csv}'s level column. */
  public enum Level implements YamlEnum {
    SELF_MEANS, CLASS_MEANS, CROSS_CLASS, MEANS, WITHIN;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    density.ifPresent(d -> m.put("density", d.toMap()));
    topEigen.ifPresent(t -> m.put("top_eigen", t.toMap()));
    trace.ifPresent(t -> m.put("trace", t.toMap()));
    exact.ifPresent(e -> m.put("exact", e.toMap()));
    classStructure.ifPresent(c -> m.put("class_structure", c.toMap()));
    return m;
  }
}
