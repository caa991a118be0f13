package org.hesspec.experiments.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.report.Tables;
import org.hesspec.report.ClassStructureRow;
import org.hesspec.report.Curve;
import org.hesspec.report.DensityFigures;
import org.hesspec.report.DensityRow;
import org.hesspec.report.EigenvalueFigures;
import org.hesspec.report.EigenvalueRow;
import org.hesspec.report.EmbeddingFigures;
import org.hesspec.report.EmbeddingRow;
import org.hesspec.report.Facet;
import org.hesspec.report.Figure;
import org.hesspec.report.FisherOverlayFigure;
import org.hesspec.report.FigureStyle;
import org.hesspec.report.FigureText;
import org.hesspec.report.FigureWriter;
import org.hesspec.report.PowerLaw;
import org.hesspec.report.RankedValues;
import org.hesspec.report.RenderedFigure;
import org.hesspec.report.RitzRow;
import org.hesspec.report.YScale;

/**
 * The figures of a run, drawn from its finished tables: the paper's plots on the user's model.
 * Each caption carries the parameters (M, K, kernel width, n, p) it was measured with.
 */
final class RunFigures {
  private final Rows all;
  private final FigureContext config;
  private final Path folder;
  private final FigureStyle style;
  private final List<RenderedFigure> rendered = new ArrayList<>();

  private RunFigures(Rows all, FigureContext config, Path folder, FigureStyle style) {
    this.all = all;
    this.config = config;
    this.folder = folder;
    this.style = style;
  }

  /** Draws every figure the rows allow into {@code folder} (PNG, SVG, PDF and the caption's .txt), default style. */
  static List<RenderedFigure> draw(Rows all, FigureContext config, List<String> sweepValues, int numClasses, Path folder) {
    return draw(all, config, sweepValues, numClasses, folder, FigureStyle.DEFAULT);
  }

  /** As {@link #draw(Rows, FigureContext, List, int, Path)}, in {@code style} ({@link FigureStyle#PAPER}: for a paper). */
  static List<RenderedFigure> draw(Rows all, FigureContext config, List<String> sweepValues, int numClasses, Path folder,
      FigureStyle style) {
    RunFigures f = new RunFigures(all, config, folder, style);
    f.drawAll(sweepValues, numClasses);
    return f.rendered;
  }

  private void drawAll(List<String> sweeps, int numClasses) {
    Set<String> splits = new LinkedHashSet<>();
    Set<String> operators = new LinkedHashSet<>();
    for (DensityRow d : all.of(Tables.DENSITY)) {
      splits.add(d.split());
      operators.add(d.operator());
    }
    // Runs without a density (top eigenvalues and class structure only) still get their other figures.
    for (org.hesspec.report.SummaryRow r : all.of(Tables.SUMMARY)) {
      splits.add(r.split());
    }
    for (String sweep : sweeps) {
      String tag = sweeps.size() > 1 ? "sweep-" + sweep : "";
      for (String split : splits) {
        Widths linear = widths(curves(sweep, split, operators, "linear", ""), sweep, split);
        if (!linear.curves().isEmpty()) {
          add(DensityFigures.density(text(FigureText.fileName("density", split, tag, "logy"),
              "Spectral density, " + split + " split" + sweepTitle(sweep), sweep, split, linear), linear.curves(), YScale.LOG));
          add(DensityFigures.density(text(FigureText.fileName("density", split, tag, "lineary"),
              "Spectral density (linear axes), " + split + " split" + sweepTitle(sweep), sweep, split, linear), linear.curves(),
              YScale.LINEAR));
        }
        List<Curve> logCurves = new ArrayList<>(curves(sweep, split, operators, "log", " (λ > 0)"));
        for (Curve c : curves(sweep, split, operators, "log_negative", " (λ < 0)")) {
          logCurves.add(c.asDashed());
        }
        Widths logs = widths(logCurves, sweep, split);
        if (!logs.curves().isEmpty()) {
          add(DensityFigures.logMagnitudeDensity(text(FigureText.fileName("logdensity", split, tag),
              "Density of log10|λ|, " + split + " split" + sweepTitle(sweep), sweep, split, logs), logs.curves(), YScale.LOG));
        }
        topEigen(sweep, split, tag, numClasses);
        fisherOverlay(sweep, split, tag);
        tail(sweep, split, tag);
        for (String op : operators) {
          tailCcdf(sweep, split, op, tag);
        }
        embedding(sweep, split, tag, numClasses);
      }
      if (splits.contains("train") && splits.contains("test")) {
        for (String op : operators) {
          List<Curve> c = new ArrayList<>(curves(sweep, "train", Set.of(op), "linear", " train"));
          for (Curve t : curves(sweep, "test", Set.of(op), "linear", " test")) {
            c.add(t.asDashed());
          }
          if (c.size() == 2) {
            Widths w = widths(c, List.of(new DerivedSummary.Key(sweep, "train", op), new DerivedSummary.Key(sweep, "test", op)));
            add(DensityFigures.density(text(FigureText.fileName("train-vs-test", op, tag),
                "Train against test: " + op + sweepTitle(sweep), sweep, "train", w), w.curves(), YScale.LOG));
          }
        }
      }
    }
    if (sweeps.size() > 1) {
      for (String split : splits) {
        for (String op : operators) {
          List<Facet> facets = new ArrayList<>();
          for (String sweep : sweeps) {
            List<Curve> c = curves(sweep, split, Set.of(op), "linear", "");
            if (!c.isEmpty()) {
              facets.add(new Facet(panelTitle(sweep, split, op), c));
            }
          }
          if (facets.size() > 1) {
            // n, p and the kernel width differ between panels: each panel's title states its own.
            FigureText t = text(FigureText.fileName("density-by-sweep", split, op),
                op + " density for each " + sweepKey() + ", " + split + " split", "", split);
            add(DensityFigures.smallMultiples(new FigureText(t.name(), t.title(),
                t.caption() + "; n, p and kernel width of each panel in its title"), "eigenvalue λ", facets, YScale.LOG));
          }
        }
        sweepPlot(split, sweeps);
        regimePlot(split, sweeps);
      }
    }
  }

  private void topEigen(String sweep, String split, String tag, int numClasses) {
    for (String op : List.of("hessian", "G")) {
      DerivedSummary.Key key = new DerivedSummary.Key(sweep, split, op);
      double[] top = DerivedSummary.topEigenvalues(all, key, null);
      if (top.length == 0) {
        continue;
      }
      List<RankedValues> overlays = new ArrayList<>();
      double[] g1 = level(sweep, split, "class_means");
      double[] g2 = level(sweep, split, "cross_class");
      if (g1.length > 0) {
        overlays.add(new RankedValues("G1: class means δ_c (the C outliers)", g1));
      }
      if (g2.length > 0) {
        // G2's eigenvalues are compared with those that follow G1's: the next C(C-1) "mini-outliers".
        overlays.add(new RankedValues("G2: cross-class means (the C(C-1) mini-outliers)", g2, g1.length + 1));
      }
      int outliers = (int) DerivedSummary.quantity(all, key, "outlier_count");
      double edge = DerivedSummary.quantity(all, key, "bulk_edge");
      add(EigenvalueFigures.topEigenvalues(text(FigureText.fileName("top-eigenvalues", split, op, tag),
          "Top eigenvalues of " + op + " against the eigenvalues of G1 and G2, " + split + " split" + sweepTitle(sweep), sweep, split),
          new RankedValues(op, top), converged(key, top.length), Math.max(0, outliers), overlays, edge));
    }
  }

  /**
   * G against the operators made from per-example gradients (empirical Fisher, gradient covariance,
   * Monte-Carlo Fisher): their top eigenvalues on one plot, when at least two of them were measured.
   */
  private void fisherOverlay(String sweep, String split, String tag) {
    List<RankedValues> spectra = new ArrayList<>();
    for (CurvatureOperator op : List.of(CurvatureOperator.GAUSS_NEWTON, CurvatureOperator.EMPIRICAL_FISHER,
        CurvatureOperator.GRADIENT_COVARIANCE, CurvatureOperator.FISHER_MC)) {
      double[] top = DerivedSummary.topEigenvalues(all, new DerivedSummary.Key(sweep, split, op.yamlName()), null);
      if (top.length > 0) {
        spectra.add(new RankedValues(op.yamlName(), top));
      }
    }
    if (spectra.size() >= 2) {
      add(FisherOverlayFigure.of(text(FigureText.fileName("fisher-top", split, tag),
          "Top eigenvalues of G and the second moments of gradients, " + split + " split" + sweepTitle(sweep), sweep, split), spectra));
    }
  }

  /** The positive eigenvalues of one class-structure level, largest first. */
  private double[] level(String sweep, String split, String level) {
    return all.of(Tables.CLASS_STRUCTURE).stream().filter(c -> c.sweep().equals(sweep) && c.split().equals(split) && c.level().equals(level))
        .sorted(Comparator.comparingInt(ClassStructureRow::rank)).mapToDouble(ClassStructureRow::eigenvalue)
        .filter(x -> x > 0).toArray();
  }


  /**
   * Whether each of the first n Lanczos pairs reached the tolerance (residual at most the run's
   * {@code top_eigen_residual_bound}), or null when the values are not Lanczos pairs.
   */
  private boolean[] converged(DerivedSummary.Key key, int n) {
    double bound = DerivedSummary.quantity(all, key, "top_eigen_residual_bound");
    double[] residuals = all.of(Tables.EIGENVALUES).stream()
        .filter(e -> e.method().equals("lanczos") && new DerivedSummary.Key(e.sweep(), e.split(), e.operator()).equals(key))
        .sorted(Comparator.comparingInt(EigenvalueRow::rank)).mapToDouble(EigenvalueRow::residual).limit(n).toArray();
    if (Double.isNaN(bound) || residuals.length != n) {
      return null;
    }
    boolean[] converged = new boolean[n];
    for (int i = 0; i < n; i++) {
      converged[i] = residuals[i] <= bound;
    }
    return converged;
  }

  private void tail(String sweep, String split, String tag) {
    DerivedSummary.Key key = new DerivedSummary.Key(sweep, split, "hessian");
    double alpha = DerivedSummary.quantity(all, key, "tail_exponent");
    double xmin = DerivedSummary.quantity(all, key, "tail_xmin");
    double edge = DerivedSummary.quantity(all, key, "bulk_edge");
    if (Double.isNaN(alpha)) {
      return;
    }
    List<DensityRow> d = rows(sweep, split, "hessian", "linear");
    double[] x = d.stream().filter(r -> r.x() >= xmin && r.x() <= edge && r.density() > 0).mapToDouble(DensityRow::x).toArray();
    double[] y = d.stream().filter(r -> r.x() >= xmin && r.x() <= edge && r.density() > 0).mapToDouble(DensityRow::density).toArray();
    if (x.length < 2) {
      return;
    }
    // The fitted law for the density: rho(x) ~ x^(-alpha), anchored at the density's value at xmin.
    double prefactor = y[0] * Math.pow(x[0], alpha);
    add(EigenvalueFigures.tailDensity(text(FigureText.fileName("tail", split, "hessian", tag),
        String.format("Upper tail of the Hessian's bulk: power law, α = %.2f", alpha), sweep, split),
        new Curve("hessian density", x, y), new PowerLaw(alpha, prefactor, x[0], x[x.length - 1])));
  }

  /**
   * The fitted power-law tail made visible: the complementary CDF of the Ritz mass of the bulk, the sample the
   * fit used ({@link DerivedSummary}: the nodes in (0, bulk edge] of all Lanczos runs, weights averaged over the
   * runs), on log-log axes, with the fitted law over λ ≥ xmin ({@code tail_exponent}, {@code tail_xmin}).
   */
  private void tailCcdf(String sweep, String split, String op, String tag) {
    DerivedSummary.Key key = new DerivedSummary.Key(sweep, split, op);
    double alpha = DerivedSummary.quantity(all, key, "tail_exponent");
    double xmin = DerivedSummary.quantity(all, key, "tail_xmin");
    double edge = DerivedSummary.quantity(all, key, "bulk_edge");
    if (!(alpha > 1) || !(xmin > 0) || Double.isNaN(edge)) {
      return;
    }
    List<RitzRow> rows = all.of(Tables.RITZ).stream().filter(r -> new DerivedSummary.Key(r.sweep(), r.split(), r.operator()).equals(key))
        .toList();
    int runs = (int) rows.stream().mapToInt(RitzRow::run).distinct().count();
    List<RitzRow> bulk = rows.stream().filter(r -> r.node() > 0 && r.node() <= edge && r.weight() > 0).toList();
    if (bulk.size() < 2) {
      return;
    }
    FigureText base = text(FigureText.fileName("tail-ccdf", split, op, tag),
        "Upper tail of the " + op + " bulk: complementary CDF and power-law fit, " + split + " split" + sweepTitle(sweep),
        sweep, split, DerivedSummary.quantity(all, key, "kernel_width"));
    Map<String, Object> fit = new LinkedHashMap<>();
    fit.put("α", alpha);
    double se = DerivedSummary.quantity(all, key, "tail_exponent_std_error");
    if (!Double.isNaN(se)) {
      fit.put("std. error", se);
    }
    fit.put("xmin", xmin);
    double ks = DerivedSummary.quantity(all, key, "tail_ks_distance");
    if (!Double.isNaN(ks)) {
      fit.put("KS distance", ks);
    }
    fit.put("bulk edge", edge);
    String more = FigureText.of(base.name(), base.title(), fit).caption();
    add(EigenvalueFigures.tailCcdf(new FigureText(base.name(), base.title(), more + ", " + base.caption()),
        bulk.stream().mapToDouble(RitzRow::node).toArray(), bulk.stream().mapToDouble(r -> r.weight() / runs).toArray(),
        alpha, xmin));
  }

  /** Puts the point's n (examples) and p (parameters), as {@code summary.csv} holds them, where it does. */
  private void putSize(Map<String, Object> into, DerivedSummary.Key key) {
    double n = DerivedSummary.quantity(all, key, "examples");
    double p = DerivedSummary.quantity(all, key, "parameters");
    if (!Double.isNaN(n)) {
      into.put("n", (long) n);
    }
    if (!Double.isNaN(p)) {
      into.put("p", (long) p);
    }
  }

  /** A panel's title: the sweep value, then its own n (examples), p (parameters) and kernel width. */
  private String panelTitle(String sweep, String split, String op) {
    DerivedSummary.Key key = new DerivedSummary.Key(sweep, split, op);
    Map<String, Object> own = new LinkedHashMap<>();
    putSize(own, key);
    double kw = DerivedSummary.quantity(all, key, "kernel_width");
    if (!Double.isNaN(kw)) {
      own.put("kernel width", kw);
    }
    String line = FigureText.of("panel", "panel", own).caption();
    return sweepKey() + " = " + sweep + (line.isEmpty() ? "" : "\n" + line);
  }

  /**
   * Curves of one overlay and their kernel widths: when the curves were smoothed with different widths, each
   * label states its own ({@code G (kernel width 0.01)}) and {@code width} is NaN; when they share one, that width
   * is {@code width}, for the caption.
   */
  record Widths(List<Curve> curves, double width, boolean perCurve) {}

  /** {@link Widths} of curves whose labels start with their operator ({@code hessian}, {@code G (λ > 0)}). */
  private Widths widths(List<Curve> curves, String sweep, String split) {
    List<DerivedSummary.Key> keys = new ArrayList<>();
    for (Curve c : curves) {
      keys.add(new DerivedSummary.Key(sweep, split, c.label().split(" ")[0]));
    }
    return widths(curves, keys);
  }

  private Widths widths(List<Curve> curves, List<DerivedSummary.Key> keys) {
    double[] w = keys.stream().mapToDouble(k -> DerivedSummary.quantity(all, k, "kernel_width")).toArray();
    boolean same = true;
    for (double v : w) {
      same &= Double.compare(v, w[0]) == 0;
    }
    if (curves.isEmpty() || same) {
      return new Widths(curves, curves.isEmpty() ? Double.NaN : w[0], false);
    }
    List<Curve> out = new ArrayList<>();
    for (int i = 0; i < curves.size(); i++) {
      Curve c = curves.get(i);
      String width = "kernel width " + FigureText.formatValue(w[i]);
      // inside the label's parenthesis, so the curve keeps its operator's colour (ChartParts.Colors)
      String label = c.label().endsWith(")") ? c.label().substring(0, c.label().length() - 1) + ", " + width + ")"
          : c.label() + " (" + width + ")";
      out.add(new Curve(label, c.x(), c.y(), c.dashed()));
    }
    return new Widths(out, Double.NaN, true);
  }

  /**
   * The class means and the C² means d_{c,c'} of G in the plane ({@code embedding.csv}): one panel
   * per method present (classical MDS, t-SNE). The caption adds what the picture depends on: the
   * share of variance the two MDS axes keep and the t-SNE perplexity, iterations and final KL
   * divergence (summary quantities {@code embedding_variance_share}, {@code tsne_perplexity},
   * {@code tsne_iterations}, {@code tsne_kl} of operator G, where the run wrote them); t-SNE's seed
   * derives from the run's seed, which the caption states.
   */
  private void embedding(String sweep, String split, String tag, int numClasses) {
    List<EmbeddingRow> rows = all.of(Tables.EMBEDDING).stream().filter(r -> r.sweep().equals(sweep) && r.split().equals(split)).toList();
    if (rows.isEmpty()) {
      return;
    }
    DerivedSummary.Key g = new DerivedSummary.Key(sweep, split, "G");
    Map<String, Object> extra = new LinkedHashMap<>();
    double share = DerivedSummary.quantity(all, g, "embedding_variance_share");
    if (!Double.isNaN(share)) {
      extra.put("MDS variance share", share);
    }
    boolean tsne = rows.stream().anyMatch(r -> r.method().equals("tsne"));
    if (tsne) {
      for (String[] q : new String[][] {{"tsne_perplexity", "t-SNE perplexity"}, {"tsne_iterations", "iterations"},
          {"tsne_kl", "KL"}}) {
        double v = DerivedSummary.quantity(all, g, q[0]);
        if (!Double.isNaN(v)) {
          extra.put(q[1], v);
        }
      }
    }
    String methods = rows.stream().anyMatch(r -> r.method().equals("mds")) ? (tsne ? "classical MDS and t-SNE" : "classical MDS")
        : "t-SNE";
    FigureText base = text(FigureText.fileName("class-means-embedding", split, tag),
        "Class means δ_c and means d_c,c' of G (" + methods + "), " + split + " split" + sweepTitle(sweep), sweep, split);
    String more = FigureText.of(base.name(), base.title(), extra).caption();
    FigureText text = new FigureText(base.name(), base.title(),
        base.caption().isEmpty() ? more : more.isEmpty() ? base.caption() : more + ", " + base.caption());
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < numClasses; c++) {
      classes.add(Integer.toString(c));
    }
    add(EmbeddingFigures.embedding(text, rows, classes));
  }

  private void sweepPlot(String split, List<String> sweeps) {
    double[] xs = new double[sweeps.size()];
    try {
      for (int i = 0; i < xs.length; i++) {
        xs[i] = Double.parseDouble(sweeps.get(i));
      }
    } catch (NumberFormatException e) {
      return; // a non-numeric sweep has no x axis
    }
    int maxOut = 0;
    double[][] outliers = new double[xs.length][];
    double[] edges = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      DerivedSummary.Key key = new DerivedSummary.Key(sweeps.get(i), split, "hessian");
      int k = (int) Math.max(0, DerivedSummary.quantity(all, key, "outlier_count"));
      outliers[i] = new double[k];
      for (int j = 0; j < k; j++) {
        outliers[i][j] = DerivedSummary.quantity(all, key, "outlier_" + (j + 1));
      }
      edges[i] = DerivedSummary.quantity(all, key, "bulk_edge");
      maxOut = Math.max(maxOut, k);
    }
    if (Double.isNaN(edges[0])) {
      return;
    }
    add(EigenvalueFigures.sweep(text(FigureText.fileName("outliers-vs-sweep", split),
        "Hessian outliers and bulk edge against " + sweepKey() + ", " + split + " split", "", split), sweepKey(), xs, outliers, edges));
  }

  /**
   * The regime and the class-structure verdict quantities against the sweep: nc1, the shares of tr(G) carried
   * by the means, the eigengap at C, the top C-1 eigenvalues against G1's and the subspace overlap. The x axis is
   * the swept value when it is a number, else the epochs the analysed model was trained for (a sweep over
   * model.checkpoint: the quantities along training).
   */
  private void regimePlot(String split, List<String> sweeps) {
    double[] xs = new double[sweeps.size()];
    boolean byEpoch = false;
    for (int i = 0; i < xs.length; i++) {
      try {
        xs[i] = Double.parseDouble(sweeps.get(i));
      } catch (NumberFormatException e) {
        byEpoch = true;
      }
    }
    if (byEpoch) {
      for (int i = 0; i < xs.length; i++) {
        xs[i] = DerivedSummary.quantity(all, new DerivedSummary.Key(sweeps.get(i), "train", "model"), "model_epoch");
      }
    }
    String[][] panels = {
        {"nc1", "model:nc1"},
        {"share of tr(G)", "G:means_share", "G:class_share", "G:cross_share"},
        {"λ_C / λ_C+1", "hessian:eigengap_C", "G:eigengap_C"},
        {"top C-1 vs G1", "hessian:top_C_vs_class_means_max_rel_diff", "G:top_C_vs_class_means_max_rel_diff"},
        {"overlap span δ", "hessian:class_subspace_overlap", "G:class_subspace_overlap"}};
    List<Facet> facets = new ArrayList<>();
    for (String[] panel : panels) {
      List<Curve> curves = new ArrayList<>();
      for (int j = 1; j < panel.length; j++) {
        String[] q = panel[j].split(":");
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
          double y = DerivedSummary.quantity(all, new DerivedSummary.Key(sweeps.get(i), split, q[0]), q[1]);
          if (Double.isFinite(xs[i]) && y > 0) {
            points.add(new double[] {xs[i], y});
          }
        }
        points.sort(Comparator.comparingDouble(p -> p[0]));
        if (points.size() >= 2) {
          curves.add(new Curve(q[0].equals("model") ? q[1] : q[0] + " " + q[1].replace('_', ' '),
              points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()));
        }
      }
      if (!curves.isEmpty()) {
        facets.add(new Facet(panel[0], curves));
      }
    }
    if (facets.isEmpty()) {
      return;
    }
    String xLabel = byEpoch ? "epochs trained" : sweepKey();
    add(org.hesspec.report.TrendFigures.trends(text(FigureText.fileName("regime-vs-sweep", split),
        "Regime and class structure against " + xLabel + ", " + split + " split", sweeps.get(0), split), xLabel, facets));
  }

  private List<Curve> curves(String sweep, String split, Set<String> operators, String scale, String labelSuffix) {
    List<Curve> out = new ArrayList<>();
    for (String op : operators) {
      List<DensityRow> d = rows(sweep, split, op, scale);
      if (!d.isEmpty()) {
        out.add(new Curve(op + labelSuffix, d.stream().mapToDouble(DensityRow::x).toArray(), d.stream().mapToDouble(DensityRow::density).toArray()));
      }
    }
    return out;
  }

  private List<DensityRow> rows(String sweep, String split, String op, String scale) {
    return all.of(Tables.DENSITY).stream().filter(d -> d.sweep().equals(sweep) && d.split().equals(split) && d.operator().equals(op)
        && d.scale().equals(scale)).toList();
  }

  /** The figure's text for an overlay: one kernel width in the caption, or a note that the legend gives each. */
  private FigureText text(String name, String title, String sweep, String split, Widths widths) {
    if (!widths.perCurve()) {
      return text(name, title, sweep, split, widths.width());
    }
    FigureText t = text(name, title, sweep, split, Double.NaN);
    return new FigureText(t.name(), t.title(), t.caption() + "; kernel widths differ: each curve's in the legend");
  }

  private FigureText text(String name, String title, String sweep, String split) {
    return text(name, title, sweep, split, DerivedSummary.quantity(all, new DerivedSummary.Key(sweep, split, "hessian"),
        "kernel_width"));
  }

  private FigureText text(String name, String title, String sweep, String split, double kw) {
    Map<String, Object> params = new LinkedHashMap<>();
    config.iterations().ifPresent(m -> params.put("M", m));
    config.runs().ifPresent(k -> params.put("K", k));
    DerivedSummary.Key key = new DerivedSummary.Key(sweep, split, "hessian");
    if (!Double.isNaN(kw)) {
      params.put("kernel width", kw);
    }
    putSize(params, key);
    params.put("seed", config.seed());
    params.put("precision", config.precision());
    return FigureText.of(name, title, params);
  }

  private String sweepTitle(String sweep) {
    return sweep.isEmpty() || sweep.equals(org.hesspec.report.Tables.NO_SWEEP) ? "" : ", " + sweepKey() + " = " + sweep;
  }

  private String sweepKey() {
    return config.sweepKey();
  }

  private void add(Figure f) {
    rendered.add(FigureWriter.write(f, folder, style));
  }


}
