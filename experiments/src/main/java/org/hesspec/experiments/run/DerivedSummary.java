package org.hesspec.experiments.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hesspec.report.ClassStructureRow;
import org.hesspec.report.DensityRow;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.RitzRow;
import org.hesspec.report.SummaryRow;
import org.hesspec.structure.BulkEdge;
import org.hesspec.structure.OutlierDetection;
import org.hesspec.structure.PowerLawTail;
import org.hesspec.structure.SpectralDistance;

/**
 * Quantities derived from the finished tables of one run (a pure function of the rows, so a
 * resumed run derives the same numbers): per operator the bulk edge, the outlier count (rule of
 * {@link OutlierDetection}), the power-law exponent of the bulk's upper tail ({@link
 * PowerLawTail}), the distance between the bulk of the Hessian and the density of H, and how close
 * the outliers sit to the eigenvalues of the class-means Gram matrix.
 */
final class DerivedSummary {
  private DerivedSummary() {}

  /** A (sweep, split, operator) triple. */
  record Key(String sweep, String split, String operator) {}

  static List<SummaryRow> derive(Rows all, int numClasses) {
    return derive(all, numClasses, message -> {});
  }

  /** As {@link #derive(Rows, int)}, reporting through {@code warn} what the estimates had to fall back on. */
  static List<SummaryRow> derive(Rows all, int numClasses, java.util.function.Consumer<String> warn) {
    List<SummaryRow> out = new ArrayList<>();
    Map<Key, List<RitzRow>> ritz = new LinkedHashMap<>();
    for (RitzRow r : all.ritz) {
      ritz.computeIfAbsent(new Key(r.sweep(), r.split(), r.operator()), k -> new ArrayList<>()).add(r);
    }
    Map<Key, Double> edges = new LinkedHashMap<>();
    for (Map.Entry<Key, List<RitzRow>> e : ritz.entrySet()) {
      Key key = e.getKey();
      List<RitzRow> rows = e.getValue();
      int runs = (int) rows.stream().mapToInt(RitzRow::run).distinct().count();
      double[] nodes = rows.stream().mapToDouble(RitzRow::node).toArray();
      double[] weights = rows.stream().mapToDouble(r -> r.weight() / runs).toArray();
      List<DensityRow> dens = all.density.stream()
          .filter(d -> d.scale().equals("linear") && new Key(d.sweep(), d.split(), d.operator()).equals(key)).toList();
      double p = quantity(all, key, "parameters");
      if (dens.isEmpty() || !(p > 0)) {
        continue;
      }
      double[] x = dens.stream().mapToDouble(DensityRow::x).toArray();
      double[] y = dens.stream().mapToDouble(DensityRow::density).toArray();
      double minMass = Math.min(0.5, 3.0 * numClasses / p);
      BulkEdge.Estimate edge = BulkEdge.estimate(x, y, nodes, weights, BulkEdge.DEFAULT_FRACTION, minMass);
      if (edge.resolvedAtoms()) {
        warn.accept("WARNING: the " + key.operator() + " density (" + key.split() + (key.sweep().isEmpty() ? "" : ", " + key.sweep())
            + ") resolves single eigenvalues (few distinct eigenvalues, or as many Lanczos steps as parameters): no part of it"
            + " carries " + minMass + " of the mass, so the bulk edge is where the top components reach that mass together");
      }
      edges.put(key, edge.edge());
      out.add(row(key, "bulk_edge", edge.edge()));
      // Without a top-k measurement, the Ritz values of the first Lanczos run stand in (their
      // extreme values converge first; pooling runs would repeat each eigenvalue K times).
      double[] firstRun = rows.stream().filter(r -> r.run() == rows.get(0).run()).mapToDouble(RitzRow::node).toArray();
      double[] top = topEigenvalues(all, key, firstRun);
      OutlierDetection.Result outliers = OutlierDetection.detect(top, edge.edge());
      out.add(row(key, "outlier_count", outliers.count()));
      for (int i = 0; i < outliers.count(); i++) {
        out.add(row(key, "outlier_" + (i + 1), outliers.outliers()[i]));
      }
      tail(out, key, nodes, weights, edge.edge(), p);
    }
    // Bulk of the Hessian against the density of H (same split and sweep): W1 of the Ritz measures below the bulk edge.
    for (Key key : ritz.keySet()) {
      if (!key.operator().startsWith("hessian") || key.operator().startsWith("hessian_deflated")) {
        continue;
      }
      Key h = new Key(key.sweep(), key.split(), key.operator().replaceFirst("^hessian", "H"));
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
      if (!key.operator().startsWith("hessian_deflated")) {
        continue;
      }
      Key h = new Key(key.sweep(), key.split(), key.operator().replaceFirst("^hessian_deflated", "H"));
      if (ritz.containsKey(h)) {
        double[][] a = below(ritz.get(key), Double.POSITIVE_INFINITY);
        double[][] b = below(ritz.get(h), Double.POSITIVE_INFINITY);
        out.add(row(key, "w1_to_H", SpectralDistance.wasserstein1Points(a[0], a[1], b[0], b[1])));
      }
    }
    // Outliers of Hess and G against the eigenvalues of G_means (class-structure Gram matrix).
    for (Key key : new ArrayList<>(ritz.keySet())) {
      if (!(key.operator().equals("hessian") || key.operator().equals("G"))) {
        continue;
      }
      double[] gram = all.classStructure.stream()
          .filter(c -> c.sweep().equals(key.sweep()) && c.split().equals(key.split()) && c.level().equals("class_means"))
          .sorted(Comparator.comparingInt(ClassStructureRow::rank)).mapToDouble(ClassStructureRow::eigenvalue).toArray();
      double[] top = topEigenvalues(all, key, null);
      int m = Math.min(Math.min(gram.length, top.length), numClasses);
      if (m == 0) {
        continue;
      }
      double worst = 0;
      for (int i = 0; i < m; i++) {
        worst = Math.max(worst, Math.abs(top[i] - gram[i]) / Math.abs(top[i]));
      }
      out.add(row(key, "class_means_gram_max_rel_diff_top" + m, worst));
    }
    return out;
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

  /** Top eigenvalues, descending: Lanczos top-k if measured, else the exact spectrum, else the Ritz nodes. */
  static double[] topEigenvalues(Rows all, Key key, double[] fallbackNodes) {
    for (String method : new String[] {"lanczos", "exact"}) {
      double[] v = all.eigenvalues.stream()
          .filter(e -> e.method().equals(method) && new Key(e.sweep(), e.split(), e.operator()).equals(key))
          .sorted(Comparator.comparingInt(EigenvalueRow::rank)).mapToDouble(EigenvalueRow::eigenvalue).limit(60).toArray();
      if (v.length > 0) {
        return v;
      }
    }
    if (fallbackNodes == null) {
      return new double[0];
    }
    return java.util.Arrays.stream(fallbackNodes).boxed().sorted(Comparator.reverseOrder()).distinct().limit(60)
        .mapToDouble(Double::doubleValue).toArray();
  }

  static double quantity(Rows all, Key key, String q) {
    return all.summary.stream().filter(s -> s.quantity().equals(q) && new Key(s.sweep(), s.split(), s.operator()).equals(key))
        .mapToDouble(SummaryRow::value).findFirst().orElse(Double.NaN);
  }

  private static SummaryRow row(Key k, String quantity, double value) {
    return new SummaryRow(k.sweep(), k.split(), k.operator(), quantity, value);
  }
}
