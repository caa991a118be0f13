package org.hesspec.report;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.AbstractXYItemRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleInsets;

/**
 * Turns a finished figure into its {@link FigureStyle#PAPER} form: the chart is redrawn at its
 * size in points (one user unit of the SVG and PDF = 1 pt, so a font of 9 units prints at 9 pt),
 * the title and caption are taken out of the image (the figure's {@link FigureText} keeps them for
 * the {@code .txt} file and the report), fonts are set to {@link #LABEL_PT} and {@link #TICK_PT},
 * and strokes and markers shrink with the figure.
 */
final class PaperStyle {

  /** One column of a two-column paper (e.g. IEEE, ACM, ICML): 3.25 in. */
  static final double ONE_COLUMN_IN = 3.25;
  /** The full text width of a two-column paper: 6.75 in. */
  static final double TWO_COLUMN_IN = 6.75;
  /** Shortest figure, so that a plot without title keeps room for its axes and legend. */
  static final double MIN_HEIGHT_IN = 2.2;
  static final float LABEL_PT = 9f;
  static final float TICK_PT = 8f;
  static final double DPI = 300;
  /** Lines and markers are drawn this much thinner and smaller than on screen. */
  static final float LINE_SCALE = 0.55f;

  private PaperStyle() {}

  /** Whether the figure is panels side by side (two-column width) rather than a single plot. */
  static boolean twoColumn(Figure f) {
    Plot plot = f.chart().getPlot();
    return plot instanceof CombinedRangeXYPlot || (plot instanceof PaperText t && t.sideBySide());
  }

  /**
   * Width and height in points: the column width; the screen figure's aspect ratio for the plot, at
   * least 2.2 in, plus the rows the legend needs at 8 pt (on screen a legend takes one row of a 960
   * pixel figure; in 3.25 in its entries wrap onto rows of their own, which would squash the plot).
   */
  static int[] sizePt(Figure f) {
    int w = (int) Math.round((twoColumn(f) ? TWO_COLUMN_IN : ONE_COLUMN_IN) * 72);
    double plot = Math.max(w * (double) f.height() / f.width(), MIN_HEIGHT_IN * 72);
    int h = (int) Math.ceil(plot + Math.max(0, legendRows(f.chart(), w) - 1) * TICK_PT * 1.45);
    return new int[] {w, h};
  }

  /** Rows the chart's legends take at {@link #TICK_PT} in a figure {@code width} points wide (entries wrap). */
  static int legendRows(JFreeChart chart, int width) {
    java.awt.image.BufferedImage scratch = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g2 = scratch.createGraphics();
    java.awt.FontMetrics fm = g2.getFontMetrics(font(TICK_PT));
    int rows = 0;
    for (Object o : chart.getSubtitles()) {
      if (!(o instanceof LegendTitle legend)) {
        continue;
      }
      double used = 0;
      int r = 0;
      for (org.jfree.chart.LegendItemSource source : legend.getSources()) {
        LegendItemCollection items = source.getLegendItems();
        for (int i = 0; i < items.getItemCount(); i++) {
          double item = fm.stringWidth(items.get(i).getLabel()) + 3 * TICK_PT; // marker, padding
          if (r == 0 || used + item > width - 8) {
            r++;
            used = 0;
          }
          used += item;
        }
      }
      rows += r;
    }
    g2.dispose();
    return rows;
  }

  /** The paper form of {@code f}; restyles {@code f}'s chart in place (figures are drawn once). */
  static Figure apply(Figure f) {
    JFreeChart chart = f.chart();
    chart.setTitle((TextTitle) null);
    chart.setPadding(new RectangleInsets(2, 2, 2, 4));
    Font label = font(LABEL_PT);
    Font tick = font(TICK_PT);
    for (Iterator<?> it = new ArrayList<>(chart.getSubtitles()).iterator(); it.hasNext(); ) {
      Title t = (Title) it.next();
      if (t instanceof LegendTitle legend) {
        legend.setItemFont(tick);
        legend.setMargin(new RectangleInsets(3, 0, 0, 0));
        legend.setItemLabelPadding(new RectangleInsets(1, 1, 1, 1));
      } else {
        chart.removeSubtitle(t); // the caption: it goes to NAME.txt and the report
      }
    }
    Plot plot = chart.getPlot();
    List<XYPlot> plots = new ArrayList<>();
    if (plot instanceof CombinedDomainXYPlot c) {
      axis(c.getDomainAxis(), label, tick);
      restyleLegendItems(c.getFixedLegendItems(), tick);
      plots.addAll(c.getSubplots());
    } else if (plot instanceof CombinedRangeXYPlot c) {
      axis(c.getRangeAxis(), label, tick);
      restyleLegendItems(c.getFixedLegendItems(), tick);
      c.setGap(6);
      plots.addAll(c.getSubplots());
    } else if (plot instanceof XYPlot p) {
      plots.add(p);
    }
    if (plot instanceof PaperText t) {
      t.setTextSize(LABEL_PT, TICK_PT);
      plots.addAll(t.panels());
    }
    for (XYPlot p : plots) {
      xyPlot(p, label, tick);
    }
    int[] size = sizePt(f);
    return new Figure(f.text(), chart, size[0], size[1]);
  }

  private static void xyPlot(XYPlot p, Font label, Font tick) {
    p.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
    for (int i = 0; i < p.getDomainAxisCount(); i++) {
      axis(p.getDomainAxis(i), label, tick);
    }
    for (int i = 0; i < p.getRangeAxisCount(); i++) {
      axis(p.getRangeAxis(i), label, tick);
    }
    for (int i = 0; i < p.getRendererCount(); i++) {
      XYItemRenderer r = p.getRenderer(i);
      if (r == null) {
        continue;
      }
      if (r instanceof org.jfree.chart.renderer.AbstractRenderer ar) {
        ar.setDefaultLegendTextFont(tick);
      }
      int series = p.getDataset(i) == null ? 0 : p.getDataset(i).getSeriesCount();
      for (int s = 0; s < series; s++) {
        Stroke st = r.getSeriesStroke(s);
        if (st != null) {
          r.setSeriesStroke(s, thinner(st));
        }
        Shape sh = r.getSeriesShape(s);
        if (sh != null) {
          r.setSeriesShape(s, smaller(sh));
        }
      }
      if (r instanceof AbstractXYItemRenderer a && a.getDefaultStroke() != null) {
        a.setDefaultStroke(thinner(a.getDefaultStroke()));
      }
      if (r instanceof XYLineAndShapeRenderer l && l.getLegendLine() != null) {
        l.setLegendLine(smaller(l.getLegendLine()));
      }
    }
    for (XYAnnotation a : p.getAnnotations()) {
      if (a instanceof XYTitleAnnotation t && t.getTitle() instanceof TextTitle title) {
        title.setFont(tick);
        title.setPadding(new RectangleInsets(1, 2, 1, 2));
      } else if (a instanceof XYTextAnnotation t) {
        t.setFont(tick);
      }
    }
    for (Layer layer : new Layer[] {Layer.FOREGROUND, Layer.BACKGROUND}) {
      markers(p.getRangeMarkers(layer), tick);
      markers(p.getDomainMarkers(layer), tick);
    }
    restyleLegendItems(p.getFixedLegendItems(), tick);
  }

  private static void axis(ValueAxis a, Font label, Font tick) {
    if (a == null) {
      return;
    }
    a.setLabelFont(label);
    a.setTickLabelFont(tick);
    a.setTickMarkOutsideLength(2f);
    a.setLabelInsets(new RectangleInsets(1, 1, 1, 1));
  }

  private static void markers(Collection<?> markers, Font tick) {
    if (markers == null) {
      return;
    }
    for (Object o : markers) {
      Marker m = (Marker) o;
      m.setLabelFont(tick);
      if (m.getStroke() != null) {
        m.setStroke(thinner(m.getStroke()));
      }
    }
  }

  private static void restyleLegendItems(LegendItemCollection items, Font tick) {
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.getItemCount(); i++) {
      LegendItem item = items.get(i);
      item.setLabelFont(tick);
      if (item.getShape() != null) {
        item.setShape(smaller(item.getShape()));
      }
      if (item.getLine() != null) {
        item.setLine(smaller(item.getLine()));
      }
      if (item.getLineStroke() != null) {
        item.setLineStroke(thinner(item.getLineStroke()));
      }
    }
  }

  static Font font(float pt) {
    return ChartParts.LABEL_FONT.deriveFont(Font.PLAIN, pt);
  }

  private static Stroke thinner(Stroke s) {
    if (!(s instanceof BasicStroke b)) {
      return s;
    }
    float[] dash = b.getDashArray();
    if (dash != null) {
      dash = dash.clone();
      for (int i = 0; i < dash.length; i++) {
        dash[i] *= LINE_SCALE;
      }
    }
    return new BasicStroke(b.getLineWidth() * LINE_SCALE, b.getEndCap(), b.getLineJoin(), b.getMiterLimit(), dash,
        b.getDashPhase() * LINE_SCALE);
  }

  private static Shape smaller(Shape s) {
    return AffineTransform.getScaleInstance(LINE_SCALE, LINE_SCALE).createTransformedShape(s);
  }

  /**
   * A plot with text of its own that the generic restyling cannot reach (e.g. the embedding's
   * side-by-side panels with their titles and class labels).
   */
  interface PaperText {
    /** Sets the plot's own titles to {@code labelPt} and its in-plot labels to {@code tickPt}. */
    void setTextSize(float labelPt, float tickPt);

    /** The XY panels inside, for the generic restyling of their axes and series. */
    List<XYPlot> panels();

    /** Whether the panels sit side by side (a two-column figure). */
    boolean sideBySide();
  }
}
