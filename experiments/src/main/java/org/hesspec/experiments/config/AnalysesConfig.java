package org.hesspec.experiments.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
   * The k largest eigenpairs by Lanczos.
   *
   * @param k number of eigenpairs [20]
   * @param iterations Lanczos steps, at least k; empty means auto (chosen by the estimator) [auto]
   * @param reorthogonalize full reorthogonalization [true]
   */
  public record TopEigen(int k, OptionalInt iterations, boolean reorthogonalize) {
    public TopEigen {
      Objects.requireNonNull(iterations, "iterations");
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("k", k);
      m.put("iterations", iterations.isPresent() ? (Object) iterations.getAsInt() : "auto");
      m.put("reorthogonalize", reorthogonalize);
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
