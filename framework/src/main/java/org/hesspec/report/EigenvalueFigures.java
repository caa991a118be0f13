package org.hesspec.report;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Figures of individual eigenvalues: the top eigenvalues by rank with the outliers marked and the
 * class-structure (Gram) eigenvalues overlaid, the log-log tail of the bulk with a power-law fit,
 * and the sweep plot of outliers and bulk edge against the number of examples per class. All
 * eigenvalue axes are logarithmic; values that are not positive cannot be placed on them and are
 * left out, which the caption then says.
 */
public final class EigenvalueFigures {

  private EigenvalueFigures() {}

  private static final Shape DOT = new Ellipse2D.Double(-4.5, -4.5, 9, 9);
  private static final Shape SMALL_DOT = new Ellipse2D.Double(-3, -3, 6, 6);
  private static final Shape[] OVERLAY_SHAPES = {
    ShapeUtils.createDiagonalCross(5, 0.9f),
    ShapeUtils.createDiamond(6),
    ShapeUtils.createUpTriangle(6),
    ShapeUtils.createDownTriangle(6)
  };

  /**
   * Eigenvalue against rank (1 = largest) on a log axis. The first {@code outliers} values of
   * {@code spectrum} are drawn as filled red dots, the rest as hollow grey ones; each overlay (for
   * example the eigenvalues of the class-means and cross-class Gram matrices) gets its own marker,
   * so one sees whether the outliers sit where the Gram eigenvalues sit. A dashed line marks the
   * bulk edge unless it is NaN. 960 x 620 pixels.
   */
  public static Figure topEigenvalues(
      FigureText text,
      RankedValues spectrum,
      int outliers,
      List<RankedValues> overlays,
      double bulkEdge) {
    return topEigenvalues(text, spectrum, null, outliers, overlays, bulkEdge);
  }

  /**
   * As {@link #topEigenvalues(FigureText, RankedValues, int, List, double)}, with the pairs whose
   * residual did not reach the tolerance ({@code converged[i]} false) drawn apart: hollow squares
   * in orange under their own legend entry, so an unconverged Ritz value is never read as an
   * eigenvalue.
   *
   * @param converged one flag per value of {@code spectrum}, or null when all are converged
   */
  public static Figure topEigenvalues(
      FigureText text,
      RankedValues spectrum,
      boolean[] converged,
      int outliers,
      List<RankedValues> overlays,
      double bulkEdge) {
    int k = spectrum.values().length;
    if (outliers < 0 || outliers > k) {
      throw new IllegalArgumentException("outliers must be in [0, " + k + "], got " + outliers);
    }
    if (converged != null && converged.length != k) {
      throw new IllegalArgumentException(
          "converged must have one flag per value (" + k + "), got " + converged.length);
    }
    double[] values = spectrum.values();
    XYSeries out = new XYSeries(spectrum.label() + ": outliers", false, true);
    XYSeries bulk = new XYSeries(spectrum.label() + ": bulk", false, true);
    XYSeries open = new XYSeries(spectrum.label() + ": not converged (residual above tolerance)", false, true);
    int dropped = 0;
    int maxRank = k;
    for (int i = 0; i < k; i++) {
      if (!(values[i] > 0) || !Double.isFinite(values[i])) {
        dropped++;
      } else if (converged != null && !converged[i]) {
        open.add(i + 1, values[i]);
      } else {
        (i < outliers ? out : bulk).add(i + 1, values[i]);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(out);
    data.addSeries(bulk);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    renderer.setSeriesPaint(0, ChartParts.color(3));
    renderer.setSeriesShape(0, DOT);
    renderer.setSeriesShapesFilled(0, true);
    renderer.setSeriesPaint(1, Color.GRAY);
    renderer.setSeriesShape(1, DOT);
    renderer.setSeriesShapesFilled(1, false);
    int first = 2;
    if (open.getItemCount() > 0) {
      data.addSeries(open);
      renderer.setSeriesPaint(2, ChartParts.color(1));
      renderer.setSeriesShape(2, new java.awt.geom.Rectangle2D.Double(-4.5, -4.5, 9, 9));
      renderer.setSeriesShapesFilled(2, false);
      first = 3;
    }
    for (int o = 0; o < overlays.size(); o++) {
      RankedValues overlay = overlays.get(o);
      XYSeries series = new XYSeries(overlay.label(), false, true);
      double[] v = overlay.values();
      maxRank = Math.max(maxRank, v.length + overlay.firstRank() - 1);
      for (int i = 0; i < v.length; i++) {
        if (v[i] > 0 && Double.isFinite(v[i])) {
          series.add(i + overlay.firstRank(), v[i]);
        } else {
          dropped++;
        }
      }
      data.addSeries(series);
      int s = first + o;
      renderer.setSeriesPaint(s, ChartParts.color(o == 0 ? 0 : 3 + o));
      renderer.setSeriesShape(s, OVERLAY_SHAPES[o % OVERLAY_SHAPES.length]);
      renderer.setSeriesShapesFilled(s, false);
      renderer.setUseOutlinePaint(false);
    }
    renderer.setDrawOutlines(true);
    renderer.setDefaultStroke(new java.awt.BasicStroke(1.5f));
    renderer.setAutoPopulateSeriesStroke(false);
    renderer.setDefaultLegendTextFont(ChartParts.LABEL_FONT);

    XYPlot plot = rankPlot(maxRank);
    plot.setDataset(data);
    plot.setRenderer(renderer);
    if (Double.isFinite(bulkEdge) && bulkEdge > 0) {
      plot.addRangeMarker(marker(bulkEdge, "bulk edge"));
    }
    FigureText shown = notePositiveOnly(text, dropped);
    return new Figure(shown, ChartParts.chart(shown, plot, true), 960, 620);
  }

  /**
   * The complementary distribution function of the positive eigenvalues, the fraction of
   * eigenvalues {@code >= λ}, on log-log axes, with a power law line (NaN-free {@code fit}, or
   * null for none). A power-law tail is a straight line here. 960 x 620 pixels.
   */
  public static Figure tailCcdf(FigureText text, double[] eigenvalues, PowerLaw fit) {
    double[] positive = Arrays.stream(eigenvalues).filter(v -> v > 0 && v < Double.POSITIVE_INFINITY)
        .sorted().toArray();
    int n = eigenvalues.length;
    double[] y = new double[positive.length];
    for (int i = 0; i < positive.length; i++) {
      // Among all n eigenvalues, those >= positive[i] are the positive ones from i on.
      y[i] = (double) (positive.length - i) / n;
    }
    Curve ccdf = new Curve("eigenvalues (fraction ≥ λ)", positive, y);
    return logLog(text, "fraction of eigenvalues ≥ λ", ccdf, fit, n - positive.length, null);
  }

  /**
   * The weighted empirical complementary distribution function {@code S(x) = sum_{x_j >= x} w_j /
   * sum_j w_j} at each distinct positive, finite x, ascending: {@code {x, S}}. With equal weights
   * it is the fraction of the sample at or above x; with the Gauss quadrature weights of Lanczos
   * runs it is the spectral mass at or above x.
   */
  public static double[][] ccdf(double[] x, double[] w) {
    if (x.length != w.length) {
      throw new IllegalArgumentException(x.length + " values but " + w.length + " weights");
    }
    Integer[] order = new Integer[x.length];
    double total = 0;
    int kept = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > 0 && Double.isFinite(x[i]) && w[i] >= 0 && Double.isFinite(w[i])) {
        order[kept++] = i;
        total += w[i];
      }
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("no positive value with positive weight");
    }
    Integer[] idx = Arrays.copyOf(order, kept);
    Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
    double[] xs = new double[kept];
    double[] ss = new double[kept];
    int n = 0;
    double above = total; // weight at or above the current x
    for (int k = 0; k < kept; k++) {
      double v = x[idx[k]];
      if (n == 0 || v != xs[n - 1]) {
        xs[n] = v;
        ss[n] = Math.max(0, above) / total;
        n++;
      }
      above -= w[idx[k]];
    }
    return new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ss, n)};
  }

  /**
   * The tail fit made visible (Clauset, Shalizi and Newman 2009, fig. 1): the weighted empirical
   * complementary CDF {@link #ccdf} of the sample on log-log axes, and over {@code x >= xmin} the
   * fitted power law's, {@code S(xmin) (x / xmin)^(1 - alpha)}, which is a straight line of slope
   * {@code 1 - alpha} here when the tail is a power law of density exponent {@code alpha}.
   * 960 x 620 pixels.
   *
   * @param x the sample the fit was made on (e.g. Ritz nodes of the bulk)
   * @param w their weights
   * @param alpha the fitted density exponent, {@code p(x) ~ x^-alpha}, above 1
   * @param xmin where the fitted tail starts
   */
  public static Figure tailCcdf(FigureText text, double[] x, double[] w, double alpha, double xmin) {
    if (!(alpha > 1) || !(xmin > 0)) {
      throw new IllegalArgumentException(text.name() + ": a power-law tail needs alpha > 1 and xmin > 0, got " + alpha + ", "
          + xmin);
    }
    double[][] s = ccdf(x, w);
    double[] xs = s[0];
    double sAtMin = Double.NaN;
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] >= xmin) {
        sAtMin = s[1][i];
        break;
      }
    }
    double xMax = xs[xs.length - 1];
    PowerLaw fit = !(sAtMin > 0) || !(xMax > xmin) ? null
        : new PowerLaw(alpha - 1, sAtMin * Math.pow(xmin, alpha - 1), xmin, xMax);
    Curve data = new Curve("spectral mass ≥ λ", xs, s[1]);
    String fitLabel = String.format(java.util.Locale.ROOT, "power-law fit: α = %.2f, λ ≥ %s", alpha,
        LogTicks.label(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", xmin))));
    return logLog(text, "fraction of mass ≥ λ", data, fit, 0, fitLabel);
  }

  /**
   * A density (x = eigenvalue) on log-log axes, positive part only, with a power-law line over the
   * fitted range (or null for none). 960 x 620 pixels.
   */
  public static Figure tailDensity(FigureText text, Curve density, PowerLaw fit) {
    return logLog(text, DensityFigures.DENSITY, density, fit, 0, null);
  }

  /**
   * Outlier eigenvalues and the bulk edge against the sweep value (e.g. examples per class), both
   * axes logarithmic: the paper's observation is that outliers grow with the number of examples
   * while the bulk does not. {@code outliers[s]} holds the outliers at {@code sweepValues[s]},
   * largest first (rows may differ in length). 960 x 620 pixels.
   *
   * @param xLabel e.g. {@code "examples per class"}
   */
  public static Figure sweep(
      FigureText text,
      String xLabel,
      double[] sweepValues,
      double[][] outliers,
      double[] bulkEdge) {
    if (outliers.length != sweepValues.length || bulkEdge.length != sweepValues.length) {
      throw new IllegalArgumentException("one row of outliers and one bulk edge per sweep value");
    }
    int ranks = Arrays.stream(outliers).mapToInt(r -> r.length).max().orElse(0);
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    int dropped = 0;
    for (int r = 0; r < ranks; r++) {
      XYSeries series = new XYSeries("λ" + (r + 1), false, true);
      for (int s = 0; s < sweepValues.length; s++) {
        if (r < outliers[s].length) {
          if (outliers[s][r] > 0 && sweepValues[s] > 0) {
            series.add(sweepValues[s], outliers[s][r]);
          } else {
            dropped++;
          }
        }
      }
      data.addSeries(series);
      renderer.setSeriesPaint(r, ChartParts.color(3));
      renderer.setSeriesShape(r, SMALL_DOT);
      renderer.setSeriesStroke(r, new java.awt.BasicStroke(1.2f));
    }
    XYSeries edge = new XYSeries("bulk edge", false, true);
    for (int s = 0; s < sweepValues.length; s++) {
      if (bulkEdge[s] > 0 && sweepValues[s] > 0) {
        edge.add(sweepValues[s], bulkEdge[s]);
      } else if (!Double.isNaN(bulkEdge[s])) {
        dropped++;
      }
    }
    data.addSeries(edge);
    renderer.setSeriesPaint(ranks, Color.BLACK);
    renderer.setSeriesStroke(ranks, ChartParts.stroke(true));
    renderer.setSeriesShape(ranks, ShapeUtils.createDiamond(5));
    renderer.setDefaultLegendTextFont(ChartParts.LABEL_FONT);

    XYPlot plot =
        ChartParts.plot(
            ChartParts.axis(xLabel, YScale.LOG),
            ChartParts.axis(DensityFigures.EIGENVALUE, YScale.LOG));
    plot.setDataset(data);
    plot.setRenderer(renderer);
    // One legend entry for all outlier ranks instead of one per rank.
    LegendItemCollection legend = new LegendItemCollection();
    if (ranks > 0) {
      LegendItem first = renderer.getLegendItem(0, 0);
      legend.add(
          new LegendItem("outliers λ1…λ" + ranks, null, null, null, SMALL_DOT,
              first.getFillPaint(), first.getLineStroke(), first.getLinePaint()));
      ((LegendItem) legend.get(0)).setLabelFont(ChartParts.LABEL_FONT);
    }
    legend.add(renderer.getLegendItem(0, ranks));
    plot.setFixedLegendItems(legend);
    FigureText shown = notePositiveOnly(text, dropped);
    return new Figure(shown, ChartParts.chart(shown, plot, true), 960, 620);
  }

  private static Figure logLog(
      FigureText text, String yLabel, Curve data, PowerLaw fit, int droppedBefore, String fitLabel) {
    XYSeries series = new XYSeries(data.label(), false, true);
    int dropped = droppedBefore;
    for (int i = 0; i < data.size(); i++) {
      double x = data.xAt(i);
      double y = data.yAt(i);
      if (x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y)) {
        series.add(x, y);
      }
    }
    if (series.getItemCount() < 2) {
      throw new IllegalArgumentException(text.name() + ": fewer than two positive points");
    }
    XYSeriesCollection dataset = new XYSeriesCollection(series);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setDrawSeriesLineAsPath(true);
    renderer.setSeriesPaint(0, ChartParts.color(0));
    renderer.setSeriesStroke(0, ChartParts.stroke(false));
    if (fit != null) {
      XYSeries line =
          new XYSeries(fitLabel != null ? fitLabel
              : String.format(java.util.Locale.ROOT, "power law ∝ λ^−%.2f", fit.exponent()),
              false, true);
      for (int i = 0; i <= 60; i++) {
        double x = fit.xMin() * Math.pow(fit.xMax() / fit.xMin(), i / 60.0);
        line.add(x, fit.at(x));
      }
      dataset.addSeries(line);
      renderer.setSeriesPaint(1, ChartParts.color(3));
      renderer.setSeriesStroke(1, ChartParts.stroke(true));
    }
    renderer.setDefaultLegendTextFont(ChartParts.LABEL_FONT);
    renderer.setLegendLine(new java.awt.geom.Line2D.Double(-12, 0, 12, 0));
    ValueAxis x = ChartParts.axis(DensityFigures.EIGENVALUE, YScale.LOG);
    ValueAxis y = ChartParts.axis(yLabel, YScale.LOG);
    XYPlot plot = ChartParts.plot(x, y);
    plot.setDataset(dataset);
    plot.setRenderer(renderer);
    FigureText shown = notePositiveOnly(text, dropped);
    return new Figure(shown, ChartParts.chart(shown, plot, true), 960, 620);
  }

  private static ValueMarker marker(double value, String label) {
    ValueMarker marker = new ValueMarker(value, Color.DARK_GRAY, ChartParts.stroke(true));
    marker.setLabel(label);
    marker.setLabelFont(ChartParts.SMALL_FONT);
    marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    return marker;
  }

  private static FigureText notePositiveOnly(FigureText text, int dropped) {
    return dropped == 0
        ? text
        : text.withNote(dropped + " non-positive value" + (dropped == 1 ? "" : "s")
            + " not shown on the log axis");
  }

  /** An empty plot with the rank on x (integer ticks, 1 = largest) and the eigenvalue on a log y axis. */
  static XYPlot rankPlot(int maxRank) {
    NumberAxis rank = (NumberAxis) ChartParts.axis("rank (1 = largest)", YScale.LINEAR);
    rank.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    rank.setRange(0.5, maxRank + 0.5);
    return ChartParts.plot(rank, ChartParts.axis(DensityFigures.EIGENVALUE, YScale.LOG));
  }
}
