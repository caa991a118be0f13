package org.hesspec.report;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The top eigenvalues of G, the empirical Fisher and the gradient covariance (or any operators
 * measured on the same split) by rank on one log axis, each with its own marker and a thin line
 * joining its ranks: whether G, the second moment of gradients at labels sampled from the model,
 * looks like the second moment {@code 1/n sum_i g_i g_i^T} at the true labels, and how far the
 * covariance {@code F - gbar gbar^T} is from both (docs/mathematics.md). 960 x 620 pixels.
 */
public final class FisherOverlayFigure {

  private FisherOverlayFigure() {}

  private static final Shape[] SHAPES = {
    new Ellipse2D.Double(-4.5, -4.5, 9, 9),
    new Rectangle2D.Double(-4, -4, 8, 8),
    ShapeUtils.createUpTriangle(5),
    ShapeUtils.createDiamond(5),
    ShapeUtils.createDownTriangle(5)
  };

  /**
   * One series per entry of {@code spectra} (label, values largest first, from rank 1); values that
   * are not positive cannot be placed on the log axis and are left out, which the caption says.
   *
   * @throws IllegalArgumentException when {@code spectra} is empty
   */
  public static Figure of(FigureText text, List<RankedValues> spectra) {
    if (spectra.isEmpty()) {
      throw new IllegalArgumentException("no spectra to overlay");
    }
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    int dropped = 0;
    int maxRank = 1;
    for (int s = 0; s < spectra.size(); s++) {
      RankedValues r = spectra.get(s);
      XYSeries series = new XYSeries(r.label(), false, true);
      double[] v = r.values();
      for (int i = 0; i < v.length; i++) {
        if (v[i] > 0 && Double.isFinite(v[i])) {
          series.add(i + r.firstRank(), v[i]);
        } else {
          dropped++;
        }
      }
      maxRank = Math.max(maxRank, v.length + r.firstRank() - 1);
      data.addSeries(series);
      renderer.setSeriesPaint(s, ChartParts.color(s));
      renderer.setSeriesShape(s, SHAPES[s % SHAPES.length]);
      renderer.setSeriesShapesFilled(s, s == 0);
      renderer.setSeriesStroke(s, new java.awt.BasicStroke(1f));
    }
    renderer.setDefaultLegendTextFont(ChartParts.LABEL_FONT);
    XYPlot plot = EigenvalueFigures.rankPlot(maxRank);
    plot.setDataset(data);
    plot.setRenderer(renderer);
    FigureText shown = dropped == 0 ? text
        : text.withNote(dropped + " non-positive value" + (dropped == 1 ? "" : "s") + " not shown on the log axis");
    return new Figure(shown, ChartParts.chart(shown, plot, true), 960, 620);
  }
}
