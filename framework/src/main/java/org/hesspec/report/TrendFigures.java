package org.hesspec.report;

import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Quantities against a swept value or the epochs trained: one panel per quantity group, stacked over a
 * shared x axis, each with its own linear y axis named after what it shows (these quantities span less than a
 * decade, where a log axis would show no tick), lines with a marker at each measured point (so that two points
 * are not mistaken for a trend).
 */
public final class TrendFigures {

  private TrendFigures() {}

  /**
   * The stacked panels; each facet's title labels its y axis. 960 pixels wide, 190 per panel high.
   *
   * @param xLabel the shared x axis, e.g. {@code epochs trained}
   */
  public static Figure trends(FigureText text, String xLabel, List<Facet> facets) {
    if (facets.isEmpty()) {
      throw new IllegalArgumentException(text.name() + ": no panel to draw");
    }
    NumberAxis x = (NumberAxis) ChartParts.axis(xLabel, YScale.LINEAR);
    x.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(x);
    combined.setGap(10);
    ChartParts.Colors colors = new ChartParts.Colors();
    for (Facet facet : facets) {
      ValueAxis y = ChartParts.axis(facet.title(), YScale.LINEAR);
      ((NumberAxis) y).setAutoRangeIncludesZero(false);
      XYPlot panel = new XYPlot(null, null, y, null);
      ChartParts.style(panel);
      XYSeriesCollection data = new XYSeriesCollection();
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
      for (int s = 0; s < facet.curves().size(); s++) {
        Curve c = facet.curves().get(s);
        XYSeries series = new XYSeries(c.label(), false, true);
        for (int i = 0; i < c.x().length; i++) {
          if (c.y()[i] > 0 && Double.isFinite(c.y()[i])) {
            series.add(c.x()[i], c.y()[i]);
          }
        }
        data.addSeries(series);
        renderer.setSeriesPaint(s, colors.of(c.label()));
        renderer.setSeriesStroke(s, ChartParts.stroke(c.dashed()));
      }
      panel.setDataset(data);
      panel.setRenderer(renderer);
      combined.add(panel, 1);
    }
    JFreeChart chart = ChartParts.chart(text, combined, true);
    return new Figure(text, chart, 960, 120 + 190 * facets.size());
  }
}
