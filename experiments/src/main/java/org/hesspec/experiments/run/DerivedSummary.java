package org.hesspec.experiments.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.report.Tables;
import org.hesspec.report.ClassStructureRow;
import org.hesspec.report.DensityRow;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.SummaryRow;
import org.hesspec.structure.BulkEdge;
import org.hesspec.structure.OutlierDetection;
import org.hesspec.structure.OutlierSummary;
import org.hesspec.structure.PowerLawTail;
import org.hesspec.structure.SpectralDistance;

/**
 * Quantities derived from the finished tables of one run (a pure function of the rows, so a
 * resumed run derives the same numbers): per operator the bulk edge and the bulk mass split, the
 * outlier and mini-outlier counts (rule of {@link OutlierDetection}) and the eigengap count ({@link
 * OutlierSummary}), the power-law exponent of the bulk's upper tail ({@link
 * PowerLawTail}), the distance between the bulk of the Hessian and the density of H, the eigengaps at C
 * and C-1, and how close the top C-1 eigenvalues sit to those of G1 (Papyan's class means).
 */
public final class DerivedSummary {
  private DerivedSummary() {}

  /** The operator column of the Hessian with its top C eigenpairs deflated (written by the class-structure analysis). */
  public static final String DEFLATED_HESSIAN = "hessian_deflated";

  /** A (sweep, split, operator) triple. */
  record Key(String sweep, String split, String operator) {
    /** The operator column read back: a {@link CurvatureOperator}'s name or {@link #DEFLATED_HESSIAN}, then its parameter group's {@code [name]}. */
    Column column() {
      int b = operator.indexOf('[');
      return b < 0 ? new Column(operator, "") : new Column(operator.substring(0, b), operator.substring(b));
    }

    /** The key of {@code other} on the same sweep point, split and parameter group. */
    Key with(CurvatureOperator other) {
      return new Key(sweep, split, other.yamlName() + column().group());
    }
  }

  /** An operator column: its name and its parameter-group suffix ({@code ""} for the whole model). */
  record Column(String name, String group) {
    /** The operator, or empty for a column that is none (the deflated Hessian). */
    java.util.Optional<CurvatureOperator> operator() {
      return CurvatureOperator.named(name);
    }

    boolean is(CurvatureOperator o) {
      return name.equals(o.yamlName());
    }

    /** The Hessian or G: the operators whose outliers the class means explain. */
    boolean hessianOrG() {
      return is(CurvatureOperator.HESSIAN) || is(CurvatureOperator.GAUSS_NEWTON);
    }

    boolean deflatedHessian() {
      return name.equals(DEFLATED_HESSIAN);
    }
  }

  static List<SummaryRow> derive(Rows all, int numClasses) {
    return derive(all, numClasses, message -> {});
  }

  /** As {@link #derive(Rows, int)}, reporting through {@code warn} what the estimates had to fall back on. */
  static List<SummaryRow> derive(Rows all, int numClasses, java.util.function.Consumer<String> warn) {
    List<SummaryRow> out = new ArrayList<>();
    Map<Key, List<RitzRow>> ritz = new LinkedHashMap<>();
    for (RitzRow r : all.of(Tables.RITZ)) {
      ritz.computeIfAbsent(new Key(r.sweep(), r.split(), r.operator()), k -> new ArrayList<>()).add(r);
    }
    Map<Key, Double> edges = new LinkedHashMap<>();
    for (Map.Entry<Key, List<RitzRow>> e : ritz.entrySet()) {
      Key key = e.getKey();
      List<RitzRow> rows = e.getValue();
      int runs = (int) rows.stream().mapToInt(RitzRow::run).distinct().count();
      double[] nodes = rows.stream().mapToDouble(RitzRow::node).toArray();
      double[] weights = rows.stream().mapToDouble(r -> r.weight() / runs).toArray();
      List<DensityRow> dens = all.of(Tables.DENSITY).stream()
          .filter(d -> d.scale().equals("linear") && new Key(d.sweep(), d.split(), d.operator()).equals(key)).toList();
      double p = quantity(all, key, "parameters");
      if (dens.isEmpty() || !(p > 0)) {
        continue;
      }
      double[] x = dens.stream().mapToDouble(DensityRow::x).toArray();
      double[] y = dens.stream().mapToDouble(DensityRow::density).toArray();
      double kernelWidth = quantity(all, key, "kernel_width");
      if (!(kernelWidth > 0)) {
        continue;
      }
      // Without a top-k measurement, the Ritz values of the first Lanczos run stand in (their
      // extreme values converge first; pooling runs would repeat each eigenvalue K times).
      double[] firstRun = rows.stream().filter(r -> r.run() == rows.get(0).run()).mapToDouble(RitzRow::node).toArray();
      OutlierSummary s = OutlierSummary.of(x, y, nodes, weights, kernelWidth, (int) p, topEigenvalues(all, key, firstRun), numClasses);
      BulkEdge.Estimate edge = s.edge();
      if (edge.resolvedAtoms()) {
        warn.accept("WARNING: the " + key.operator() + " density (" + key.split() + ", " + key.sweep()
            + ") resolves single eigenvalues (few distinct eigenvalues, or as many Lanczos steps as parameters): no part of it"
            + " carries " + edge.minBulkMass() + " of the mass, so the bulk edge is where the top components reach that mass together");
      }
      edges.put(key, edge.edge());
      s.quantities().forEach((q, v) -> out.add(row(key, q, v)));
      // Where the bulk lies against H: this operator's Ritz mass between H's top eigenvalue and its bulk edge.
      double hTop = quantity(all, key.with(CurvatureOperator.RESIDUAL_HESSIAN), "top_eigenvalue");
      if (key.column().hessianOrG() && hTop < edge.edge()) {
        out.add(row(key, "mass_between_H_top_and_bulk_edge", OutlierSummary.massBetween(nodes, weights, hTop, edge.edge())));
      }
      tail(out, key, nodes, weights, edge.edge(), p);
    }
    // Bulk of the Hessian against the density of H (same split and sweep): W1 of the Ritz measures below the bulk edge.
    for (Key key : ritz.keySet()) {
      if (!key.column().is(CurvatureOperator.HESSIAN)) {
        continue;
      }
      Key h = key.with(CurvatureOperator.RESIDUAL_HESSIAN);
      if (!ritz.containsKey(h) || !edges.containsKey(key)) {
        continue;
      }
      double edge = edges.get(key);
      double[][] a = below(ritz.get(key), edge);
      double[][] b = below(ritz.get(h), Double.POSITIVE_INFINITY);
      if (a[0].length > 0 && b[0].length > 0) {
        out.add(row(key, "bulk_w1_to_H", SpectralDistance.wasserstein1Points(a[0], a[1], b[0], b[1])));
      }
    }
    // The deflated Hessian (top C eigenpairs removed) against H: the whole measures.
    for (Key key : ritz.keySet()) {
      if (!key.column().deflatedHessian()) {
        continue;
      }
      Key h = key.with(CurvatureOperator.RESIDUAL_HESSIAN);
      if (ritz.containsKey(h)) {
        double[][] a = below(ritz.get(key), Double.POSITIVE_INFINITY);
        double[][] b = below(ritz.get(h), Double.POSITIVE_INFINITY);
        out.add(row(key, "w1_to_H", SpectralDistance.wasserstein1Points(a[0], a[1], b[0], b[1])));
      }
    }
    // The gap at C (and C-1, softmax) of every operator's top eigenvalues, and the top C-1 of Hess and G
    // against the eigenvalues of G1 (Papyan's class means).
    java.util.Set<Key> measured = new java.util.LinkedHashSet<>(ritz.keySet());
    all.of(Tables.EIGENVALUES).forEach(e -> measured.add(new Key(e.sweep(), e.split(), e.operator())));
    for (Key key : measured) {
      double[] top = topEigenvalues(all, key, null);
      int c = classes(all, key, numClasses);
      out.addAll(eigengaps(key, top, c));
      if (!key.column().hessianOrG()) {
        continue;
      }
      double[] g1 = all.of(Tables.CLASS_STRUCTURE).stream()
          .filter(r -> r.sweep().equals(key.sweep()) && r.split().equals(key.split()) && r.level().equals("class_means"))
          .sorted(Comparator.comparingInt(ClassStructureRow::rank)).mapToDouble(ClassStructureRow::eigenvalue).toArray();
      double d = topVersusClassMeans(top, g1, c);
      if (!Double.isNaN(d)) {
        out.add(row(key, "top_C_vs_class_means_max_rel_diff", d));
      }
    }
    return out;
  }

  /**
   * {@code eigengap_C = lambda_C / lambda_{C+1}} and {@code eigengap_C_minus_1 = lambda_{C-1} / lambda_C} of
   * the top eigenvalues {@code l} (descending, rank 1 first); each is absent when its eigenvalues were not
   * measured or the denominator is not positive.
   */
  static List<SummaryRow> eigengaps(Key key, double[] l, int c) {
    List<SummaryRow> out = new ArrayList<>();
    if (c >= 1 && l.length > c && l[c] > 0) {
      out.add(row(key, "eigengap_C", l[c - 1] / l[c]));
    }
    if (c >= 2 && l.length >= c && l[c - 1] > 0) {
      out.add(row(key, "eigengap_C_minus_1", l[c - 2] / l[c - 1]));
    }
    return out;
  }

  /**
   * {@code max_{k <= C-1} |lambda_k(op) - lambda_k(G1)| / lambda_k(op)} over the ranks both lists hold; NaN
   * when there is none.
   */
  static double topVersusClassMeans(double[] top, double[] g1, int c) {
    int m = Math.min(Math.min(top.length, g1.length), c - 1);
    if (m <= 0) {
      return Double.NaN;
    }
    double worst = 0;
    for (int i = 0; i < m; i++) {
      worst = Math.max(worst, Math.abs(top[i] - g1[i]) / Math.abs(top[i]));
    }
    return worst;
  }

  private static void tail(List<SummaryRow> out, Key key, double[] nodes, double[] weights, double edge, double p) {
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] > 0 && nodes[i] <= edge && weights[i] > 0) {
        kept.add(new double[] {nodes[i], weights[i]});
      }
    }
    if (kept.size() < 10) {
      return;
    }
    double[] x = kept.stream().mapToDouble(k -> k[0]).toArray();
    double[] w = kept.stream().mapToDouble(k -> k[1]).toArray();
    try {
      PowerLawTail.Options opts = PowerLawTail.Options.defaults().withMinTail(Math.min(50, Math.max(5, x.length / 4)));
      PowerLawTail.Fit fit = PowerLawTail.fit(x, w, p, opts);
      out.add(row(key, "tail_exponent", fit.alpha()));
      out.add(row(key, "tail_exponent_std_error", fit.standardError()));
      out.add(row(key, "tail_exponent_ci_low", fit.ciLow()));
      out.add(row(key, "tail_exponent_ci_high", fit.ciHigh()));
      out.add(row(key, "tail_xmin", fit.xmin()));
      out.add(row(key, "tail_ks_distance", fit.ksDistance()));
    } catch (IllegalArgumentException e) {
      // Too few distinct tail points for a fit: the quantity is absent rather than invented.
    }
  }

  private static double[][] below(List<RitzRow> rows, double edge) {
    int runs = (int) rows.stream().mapToInt(RitzRow::run).distinct().count();
    List<RitzRow> kept = rows.stream().filter(r -> r.node() <= edge).toList();
    return new double[][] {kept.stream().mapToDouble(RitzRow::node).toArray(), kept.stream().mapToDouble(r -> r.weight() / runs).toArray()};
  }

  /** Top eigenvalues, descending: the exact spectrum if measured (the ground truth), else Lanczos top-k, else the Ritz nodes. */
  static double[] topEigenvalues(Rows all, Key key, double[] fallbackNodes) {
    for (String method : new String[] {"exact", "lanczos"}) {
      double[] v = all.of(Tables.EIGENVALUES).stream()
          .filter(e -> e.method().equals(method) && new Key(e.sweep(), e.split(), e.operator()).equals(key))
          .sorted(Comparator.comparingInt(EigenvalueRow::rank)).mapToDouble(EigenvalueRow::eigenvalue).limit(60).toArray();
      if (v.length > 0) {
        return v;
      }
    }
    if (fallbackNodes == null) {
      return new double[0];
    }
    // One Lanczos run sees each distinct eigenvalue once; without reorthogonalisation it repeats converged ones
    // as copies that differ by rounding (1e-7 relative in float32). Copies within 1e-5 of the largest |node|
    // (the float32 rounding floor used for the exact spectrum) are one eigenvalue.
    double[] sorted = java.util.Arrays.stream(fallbackNodes).boxed().sorted(Comparator.reverseOrder()).mapToDouble(Double::doubleValue).toArray();
    double tol = 1e-5 * java.util.Arrays.stream(sorted).map(Math::abs).max().orElse(0);
    java.util.List<Double> kept = new ArrayList<>();
    for (double v : sorted) {
      if (kept.size() < 60 && (kept.isEmpty() || kept.get(kept.size() - 1) - v > tol)) {
        kept.add(v);
      }
    }
    return kept.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** C of the key's sweep point and split (the regime unit's {@code classes}), else {@code fallback}. */
  static int classes(Rows all, Key key, int fallback) {
    double c = quantity(all, new Key(key.sweep(), key.split(), "model"), "classes");
    return Double.isNaN(c) ? fallback : (int) c;
  }

  /**
   * The families of quantities {@link #derive} writes (prefixes of their names): the rows a re-derivation
   * replaces. Every quantity added to {@link #derive} must match one of them.
   */
  static final List<String> DERIVED = List.of("bulk_edge", "bulk_mass", "isolated_mass", "outlier_", "mini_outlier", "tail_",
      "bulk_w1_to_H", "w1_to_H", "eigengap", "top_C_vs_class_means", "class_means_gram_max_rel_diff", "separated_mass",
      "mass_between_H_top_and_bulk_edge");

  /** Whether {@code quantity} is one {@link #derive} computes (rather than one an analysis measured). */
  static boolean isDerived(String quantity) {
    return DERIVED.stream().anyMatch(quantity::startsWith);
  }

  static double quantity(Rows all, Key key, String q) {
    return all.of(Tables.SUMMARY).stream().filter(s -> s.quantity().equals(q) && new Key(s.sweep(), s.split(), s.operator()).equals(key))
        .mapToDouble(SummaryRow::value).findFirst().orElse(Double.NaN);
  }

  private static SummaryRow row(Key k, String quantity, double value) {
    return new SummaryRow(k.sweep(), k.split(), k.operator(), quantity, value);
  }
}
