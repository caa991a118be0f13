package org.hesspec.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;

/**
 * The shared look of every figure: fonts, colours, axes, and the chart frame with title, legend
 * and caption. Kept in one place so that all figures of a report look alike and the same
 * operator has the same colour everywhere.
 */
final class ChartParts {

  static {
    // Before the first Font below: figures are drawn on servers without a display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private ChartParts() {}

  /** DejaVu Sans has the Greek letters (λ, σ) and ships with every Linux JDK image we use. */
  private static final String FAMILY = "DejaVu Sans";

  static final Font TITLE_FONT = new Font(FAMILY, Font.BOLD, 18);
  static final Font LABEL_FONT = new Font(FAMILY, Font.PLAIN, 14);
  static final Font TICK_FONT = new Font(FAMILY, Font.PLAIN, 12);
  static final Font SMALL_FONT = new Font(FAMILY, Font.PLAIN, 11);
  static final Font CAPTION_FONT = new Font(FAMILY, Font.ITALIC, 12);

  /** Tableau's ten categorical colours (matplotlib's default cycle). */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    new Color(0xbcbd22), new Color(0x17becf)
  };

  /** Operators keep their colour across figures: Hessian blue, G orange, H green. */
  private static final Map<String, Integer> FIXED =
      Map.of("hessian", 0, "g", 1, "h", 2);

  static final Color GRID = new Color(0xdddddd);

  /** The i-th palette colour, cycling. */
  static Color color(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /**
   * Colours for curve labels. The key of a label is the label up to a parenthesised suffix, so
   * {@code "G (train)"} and {@code "G (test)"} share G's colour and differ only by dash.
   * Operators have fixed colours; other keys take the next free colour in order of appearance.
   */
  static final class Colors {
    private final Map<String, Color> assigned = new HashMap<>();
    private int next = FIXED.size();

    Color of(String label) {
      String key = key(label);
      return assigned.computeIfAbsent(
          key,
          k -> {
            Integer fixed = FIXED.get(k.toLowerCase(java.util.Locale.ROOT));
            return color(fixed != null ? fixed : next++);
          });
    }

    private static String key(String label) {
      int paren = label.indexOf(" (");
      return (paren > 0 && label.endsWith(")") ? label.substring(0, paren) : label).strip();
    }
  }

  static Stroke stroke(boolean dashed) {
    return dashed
        ? new BasicStroke(
            1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 4f}, 0f)
        : new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  /** A linear or base-10 logarithmic axis with the report's fonts. */
  static ValueAxis axis(String label, YScale scale) {
    ValueAxis axis;
    if (scale == YScale.LOG) {
      LogAxis log = new ShortRangeLogAxis(label);
      log.setBase(10);
      // Whole decades as ticks, labelled 10^k with a superscript exponent.
      log.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      log.setSmallestValue(1e-300);
      log.setMinorTickMarksVisible(true);
      axis = log;
    } else {
      NumberAxis linear = new NumberAxis(label);
      linear.setAutoRangeIncludesZero(false);
      axis = linear;
    }
    axis.setLabelFont(LABEL_FONT);
    axis.setTickLabelFont(TICK_FONT);
    return axis;
  }

  /**
   * A base-10 log axis that labels intermediate ticks ({@link LogTicks}) when its range spans
   * fewer than two decades, where whole decades alone would leave one label or none (outliers
   * between 12 and 40 showed only "10^1"); over longer ranges JFreeChart's decade ticks are kept.
   */
  static final class ShortRangeLogAxis extends LogAxis {
    private static final long serialVersionUID = 1L;

    ShortRangeLogAxis(String label) {
      super(label);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
      double lo = getLowerBound();
      double hi = getUpperBound();
      if (!(lo > 0 && hi > lo && Double.isFinite(hi)) || !LogTicks.isShort(lo, hi)) {
        return super.refreshTicks(g2, state, dataArea, edge);
      }
      TextAnchor anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER
          : edge == RectangleEdge.BOTTOM ? TextAnchor.TOP_CENTER
          : edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT;
      List ticks = new ArrayList();
      for (double v : LogTicks.positions(lo, hi)) {
        ticks.add(new NumberTick(TickType.MAJOR, v, LogTicks.label(v), anchor, anchor, 0.0));
      }
      return ticks;
    }
  }

  /** A white plot with light grid lines on the two axes. */
  static XYPlot plot(ValueAxis x, ValueAxis y) {
    XYPlot plot = new XYPlot(null, x, y, null);
    style(plot);
    return plot;
  }

  static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlinesVisible(true);
    plot.setRangeGridlinesVisible(true);
    plot.setOutlinePaint(Color.GRAY);
    plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
  }

  /** Wraps a plot in a chart with the figure's title, a legend (if asked) and the caption. */
  static JFreeChart chart(FigureText text, Plot plot, boolean legend) {
    JFreeChart chart = new JFreeChart(text.title(), TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setRenderingHints(
        new RenderingHints(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON));
    chart.getRenderingHints()
        .put(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    chart.setPadding(new RectangleInsets(6, 8, 6, 12));
    if (legend) {
      LegendTitle legendTitle = new LegendTitle(plot);
      legendTitle.setItemFont(LABEL_FONT);
      legendTitle.setFrame(new BlockBorder(Color.LIGHT_GRAY));
      legendTitle.setBackgroundPaint(Color.WHITE);
      legendTitle.setPosition(RectangleEdge.BOTTOM);
      legendTitle.setMargin(new RectangleInsets(6, 0, 0, 0));
      chart.addLegend(legendTitle);
    }
    if (!text.caption().isEmpty()) {
      TextTitle caption = new TextTitle(text.caption(), CAPTION_FONT);
      caption.setPaint(Color.DARK_GRAY);
      caption.setPosition(RectangleEdge.BOTTOM);
      caption.setHorizontalAlignment(HorizontalAlignment.CENTER);
      caption.setMargin(new RectangleInsets(8, 0, 0, 0));
      chart.addSubtitle(caption);
    }
    return chart;
  }

  /** The largest finite y over curves, or NaN if there is none. */
  static double maxY(List<Curve> curves) {
    double max = Double.NaN;
    for (Curve c : curves) {
      for (int i = 0; i < c.size(); i++) {
        double y = c.yAt(i);
        if (Double.isFinite(y) && !(y <= max)) {
          max = y;
        }
      }
    }
    return max;
  }
}
