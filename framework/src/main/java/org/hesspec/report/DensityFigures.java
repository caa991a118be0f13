package org.hesspec.report;

import java.awt.Color;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Spectral density figures: the density of eigenvalues on a linear eigenvalue axis (with a linear
 * or a logarithmic density axis), the density of {@code log10|λ|} for the positive and negative
 * parts, overlays of several densities (Hessian, G and H; train against test), and small multiples
 * with one panel per sweep value.
 *
 * <p>On a logarithmic density axis the interesting structure spans many decades, but a smoothed
 * density also has Gaussian tails that fall to 1e-300 and would squash it. The axis therefore
 * shows {@value #LOG_DECADES} decades below the highest peak; where the density is lower the line
 * breaks (a gap, not a flat line along the bottom edge), and the caption says so.
 */
public final class DensityFigures {

  /** Decades of density shown below the peak on a logarithmic density axis. */
  public static final int LOG_DECADES = 10;

  static final String EIGENVALUE = "eigenvalue λ";
  static final String LOG_MAGNITUDE = "log₁₀ |λ|";
  static final String DENSITY = "density";

  private DensityFigures() {}

  /**
   * The spectral density against the eigenvalue, one line per curve: a single density, or an
   * overlay (Hessian, G, H; train solid and test dashed). 960 x 620 pixels.
   */
  public static Figure density(FigureText text, List<Curve> curves, YScale densityScale) {
    return lines(text, EIGENVALUE, curves, densityScale);
  }

  /**
   * The density of {@code log10|λ|}, typically two curves, {@code λ > 0} and {@code λ < 0}, whose x
   * values are already {@code log10|λ|}. 960 x 620 pixels.
   */
  public static Figure logMagnitudeDensity(
      FigureText text, List<Curve> curves, YScale densityScale) {
    return lines(text, LOG_MAGNITUDE, curves, densityScale);
  }

  /**
   * A row of panels sharing both axes, one per sweep value (or per split, per layer); the legend
   * lists each curve label once. About 330 pixels per panel wide, 520 high.
   *
   * @param xLabel the shared x axis label, e.g. {@link #EIGENVALUE}-style {@code "eigenvalue λ"}
   */
  public static Figure smallMultiples(
      FigureText text, String xLabel, List<Facet> facets, YScale densityScale) {
    if (facets.isEmpty()) {
      throw new IllegalArgumentException("small multiples need at least one panel");
    }
    List<Curve> all = facets.stream().flatMap(f -> f.curves().stream()).toList();
    double floor = floor(all, densityScale);
    ValueAxis y = densityAxis(all, densityScale, floor);
    CombinedRangeXYPlot combined = new CombinedRangeXYPlot(y);
    combined.setGap(12);
    ChartParts.Colors colors = new ChartParts.Colors();
    Range xRange = xRange(all);
    LegendItemCollection legend = new LegendItemCollection();
    Set<String> seen = new HashSet<>();
    for (Facet facet : facets) {
      NumberAxis x = (NumberAxis) ChartParts.axis(xLabel, YScale.LINEAR);
      if (xRange != null) {
        x.setRange(xRange);
      }
      XYPlot panel = new XYPlot(null, x, null, null);
      ChartParts.style(panel);
      XYLineAndShapeRenderer renderer = addCurves(panel, facet.curves(), colors, floor);
      for (int s = 0; s < facet.curves().size(); s++) {
        if (seen.add(facet.curves().get(s).label())) {
          legend.add(renderer.getLegendItem(0, s));
        }
      }
      TextTitle title = new TextTitle(facet.title(), ChartParts.LABEL_FONT);
      title.setBackgroundPaint(new Color(255, 255, 255, 220));
      title.setFrame(new BlockBorder(Color.LIGHT_GRAY));
      title.setPadding(new RectangleInsets(2, 4, 2, 4));
      panel.addAnnotation(
          new XYTitleAnnotation(0.98, 0.98, title, RectangleAnchor.TOP_RIGHT));
      combined.add(panel, 1);
    }
    combined.setFixedLegendItems(legend);
    FigureText shown = clipNote(text, all, floor);
    JFreeChart chart = ChartParts.chart(shown, combined, true);
    return new Figure(shown, chart, 150 + 330 * facets.size(), 520);
  }

  private static Figure lines(
      FigureText text, String xLabel, List<Curve> curves, YScale densityScale) {
    if (curves.isEmpty()) {
      throw new IllegalArgumentException(text.name() + ": no curves to plot");
    }
    double floor = floor(curves, densityScale);
    XYPlot plot =
        ChartParts.plot(
            ChartParts.axis(xLabel, YScale.LINEAR), densityAxis(curves, densityScale, floor));
    addCurves(plot, curves, new ChartParts.Colors(), floor);
    FigureText shown = clipNote(text, curves, floor);
    JFreeChart chart = ChartParts.chart(shown, plot, true);
    return new Figure(shown, chart, 960, 620);
  }

  /** Adds the curves as one dataset with one series each; y below {@code floor} left out (a gap). */
  private static XYLineAndShapeRenderer addCurves(
      XYPlot plot, List<Curve> curves, ChartParts.Colors colors, double floor) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    // One path per curve instead of one line per segment: smaller SVGs, cleaner dashes.
    renderer.setDrawSeriesLineAsPath(true);
    Set<String> labels = new HashSet<>();
    for (int s = 0; s < curves.size(); s++) {
      Curve c = curves.get(s);
      if (!labels.add(c.label())) {
        throw new IllegalArgumentException("two curves in one plot are labelled '" + c.label() + "'");
      }
      XYSeries series = new XYSeries(c.label(), false, true);
      for (int i = 0; i < c.size(); i++) {
        double x = c.xAt(i);
        double y = c.yAt(i);
        if (!Double.isFinite(x)) {
          continue;
        }
        // Below the floor of a log axis (or not a number) the line breaks: a null y is a gap in
        // the drawn path, not a flat line along the axis that would look like measured density.
        boolean shown = Double.isFinite(y) && (Double.isNaN(floor) || y >= floor);
        series.add(x, shown ? (Number) y : null);
      }
      data.addSeries(series);
      renderer.setSeriesPaint(s, colors.of(c.label()));
      renderer.setSeriesStroke(s, ChartParts.stroke(c.dashed()));
    }
    renderer.setDefaultLegendTextFont(ChartParts.LABEL_FONT);
    renderer.setLegendLine(new java.awt.geom.Line2D.Double(-12, 0, 12, 0));
    plot.setDataset(data);
    plot.setRenderer(renderer);
    return renderer;
  }

  /** The lowest density shown on a log axis, NaN on a linear one. */
  private static double floor(List<Curve> curves, YScale scale) {
    if (scale != YScale.LOG) {
      return Double.NaN;
    }
    double max = ChartParts.maxY(curves);
    if (!(max > 0)) {
      throw new IllegalArgumentException("a log density axis needs a positive density");
    }
    return max * Math.pow(10, -LOG_DECADES);
  }

  private static ValueAxis densityAxis(List<Curve> curves, YScale scale, double floor) {
    ValueAxis y = ChartParts.axis(DENSITY, scale);
    if (scale == YScale.LOG) {
      y.setRange(floor, ChartParts.maxY(curves) * 3);
    } else {
      ((NumberAxis) y).setAutoRangeIncludesZero(true);
    }
    return y;
  }

  private static FigureText clipNote(FigureText text, List<Curve> curves, double floor) {
    if (Double.isNaN(floor)) {
      return text;
    }
    for (Curve c : curves) {
      for (int i = 0; i < c.size(); i++) {
        if (c.yAt(i) < floor) {
          return text.withNote(
              "density axis shows " + LOG_DECADES + " decades below the peak; the line breaks where"
                  + " the density is lower");
        }
      }
    }
    return text;
  }

  private static Range xRange(List<Curve> curves) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Curve c : curves) {
      for (int i = 0; i < c.size(); i++) {
        if (Double.isFinite(c.xAt(i))) {
          lo = Math.min(lo, c.xAt(i));
          hi = Math.max(hi, c.xAt(i));
        }
      }
    }
    return lo < hi ? new Range(lo, hi) : null;
  }
}
