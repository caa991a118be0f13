package org.hesspec.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.PlotState;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The planar pictures of the gradient means ({@code embedding.csv}): one panel per embedding
 * method, side by side (classical MDS, then t-SNE), each showing the C class means {@code δ_c} and
 * the C² means {@code d_{c,c'}} as in Papyan's talk and in "Measurements of three-level hierarchical
 * structure in the outliers in the spectrum of deepnet Hessians" (ICML 2019).
 *
 * <p>Made to stay legible at C = 10 (110 points a panel): every point is coloured by its class c;
 * the class means are large circles with a black rim, each labelled with its class name on a white
 * box set outwards from the panel's centre; the self means {@code d_{c,c}} are squares and the
 * cross-class means {@code d_{c,c'}} (c' ≠ c) small dots, unlabelled (100 labels would hide the
 * points). Each panel keeps equal units on its two axes (distances are what an embedding shows), and
 * the legend sits below the panels, never over a point.
 */
public final class EmbeddingFigures {

  private EmbeddingFigures() {}

  /** Panels are drawn in this order; other methods follow in order of appearance. */
  private static final Map<String, String> METHOD_NAMES = new LinkedHashMap<>();

  static {
    METHOD_NAMES.put("mds", "classical MDS");
    METHOD_NAMES.put("tsne", "t-SNE");
  }

  static final String CLASS_MEAN = "class_mean";
  static final String CROSS_MEAN = "cross_mean";

  private static final Shape CLASS_SHAPE = new Ellipse2D.Double(-8, -8, 16, 16);
  private static final Shape SELF_SHAPE = new Rectangle2D.Double(-4.5, -4.5, 9, 9);
  private static final Shape CROSS_SHAPE = new Ellipse2D.Double(-3, -3, 6, 6);
  private static final int CROSS = 0;
  private static final int SELF = 1;
  private static final int CLASS = 2;
  private static final int PANEL_WIDTH = 680;

  /**
   * The figure: one panel per method in {@code rows} (all of one sweep and split). 1480 x 900
   * pixels for two panels.
   *
   * @param rows the embedded points, {@code kind} {@code class_mean} or {@code cross_mean}
   * @param classNames the name of each class, e.g. {@code T-shirt}; classes beyond the list are
   *     called by their index
   */
  public static Figure embedding(FigureText text, List<EmbeddingRow> rows, List<String> classNames) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(text.name() + ": no embedded points to plot");
    }
    Map<String, List<EmbeddingRow>> byMethod = new LinkedHashMap<>();
    int classes = 0;
    for (EmbeddingRow r : rows) {
      if (!r.kind().equals(CLASS_MEAN) && !r.kind().equals(CROSS_MEAN)) {
        throw new IllegalArgumentException(text.name() + ": embedding kind must be " + CLASS_MEAN + " or " + CROSS_MEAN
            + ", got '" + r.kind() + "'");
      }
      if (!Double.isFinite(r.x()) || !Double.isFinite(r.y())) {
        throw new IllegalArgumentException(text.name() + ": non-finite coordinates for " + r);
      }
      byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
      classes = Math.max(classes, Math.max(r.c(), r.c2()) + 1);
    }
    List<String> methods = new ArrayList<>(byMethod.keySet());
    List<String> known = new ArrayList<>(METHOD_NAMES.keySet());
    methods.sort(Comparator.comparingInt(m -> known.contains(m) ? known.indexOf(m) : known.size()));
    List<XYPlot> panels = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (String m : methods) {
      String name = METHOD_NAMES.getOrDefault(m, m);
      panels.add(panel(byMethod.get(m), name, classNames));
      titles.add(name);
    }
    SideBySide plot = new SideBySide(panels, titles, legend(classes, classNames));
    return new Figure(text, ChartParts.chart(text, plot, true), 120 + PANEL_WIDTH * panels.size(), 900);
  }

  private static String className(int c, List<String> classNames) {
    return c < classNames.size() ? classNames.get(c) : Integer.toString(c);
  }

  private static XYPlot panel(List<EmbeddingRow> rows, String method, List<String> classNames) {
    XYSeries[] series = {new XYSeries("cross", false, true), new XYSeries("self", false, true),
        new XYSeries("class", false, true)};
    List<List<Integer>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    double cx = 0;
    double cy = 0;
    int means = 0;
    for (EmbeddingRow r : rows) {
      int s = r.kind().equals(CLASS_MEAN) ? CLASS : r.c2() == r.c() ? SELF : CROSS;
      series[s].add(r.x(), r.y());
      groups.get(s).add(r.c());
      minX = Math.min(minX, r.x());
      maxX = Math.max(maxX, r.x());
      minY = Math.min(minY, r.y());
      maxY = Math.max(maxY, r.y());
      if (s == CLASS) {
        cx += r.x();
        cy += r.y();
        means++;
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    for (XYSeries s : series) {
      data.addSeries(s);
    }
    XYPlot plot = ChartParts.plot(ChartParts.axis(method + " 1", YScale.LINEAR), ChartParts.axis(method + " 2", YScale.LINEAR));
    plot.setDataset(data);
    plot.setRenderer(new ClassColoured(groups));
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // class means on top
    // Equal units on both axes (the panels are about square), with room for the labels at the edges.
    double span = Math.max(Math.max(maxX - minX, maxY - minY), 1e-300) * 1.3;
    plot.getDomainAxis().setRange((minX + maxX - span) / 2, (minX + maxX + span) / 2);
    plot.getRangeAxis().setRange((minY + maxY - span) / 2, (minY + maxY + span) / 2);
    if (means > 0) {
      cx /= means;
      cy /= means;
    } else {
      cx = (minX + maxX) / 2;
      cy = (minY + maxY) / 2;
    }
    plot.addAnnotation(new Labels(rows, classNames, cx, cy), false);
    return plot;
  }

  private static LegendItemCollection legend(int classes, List<String> classNames) {
    LegendItemCollection legend = new LegendItemCollection();
    legend.add(item("class means δ_c (labelled)", CLASS_SHAPE, Color.LIGHT_GRAY, Color.BLACK));
    legend.add(item("self means d_c,c", SELF_SHAPE, Color.LIGHT_GRAY, Color.DARK_GRAY));
    legend.add(item("cross-class means d_c,c' (c' ≠ c)", CROSS_SHAPE, Color.LIGHT_GRAY, Color.DARK_GRAY));
    if (classes <= 10) {
      for (int c = 0; c < classes; c++) {
        legend.add(item("c = " + className(c, classNames), new Rectangle2D.Double(-5, -5, 10, 10), ChartParts.color(c), null));
      }
    } else {
      legend.add(item("colour: class c (10 colours, repeating; class means are labelled)",
          new Rectangle2D.Double(-5, -5, 10, 10), ChartParts.color(0), null));
    }
    return legend;
  }

  private static LegendItem item(String label, Shape shape, Paint fill, Paint outline) {
    LegendItem item = new LegendItem(label, null, null, null, shape, fill);
    if (outline != null) {
      item = new LegendItem(label, null, null, null, true, shape, true, fill, true, outline, new BasicStroke(1.5f),
          false, new Rectangle2D.Double(), new BasicStroke(), Color.BLACK);
    }
    item.setLabelFont(ChartParts.LABEL_FONT);
    return item;
  }

  /** Colours each point by its class; shapes and rims by its kind. */
  private static final class ClassColoured extends XYLineAndShapeRenderer {
    private static final long serialVersionUID = 1L;
    private final int[][] groups;

    ClassColoured(List<List<Integer>> groups) {
      super(false, true);
      this.groups = groups.stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
      setUseFillPaint(false);
      setDrawOutlines(true);
      setUseOutlinePaint(true);
      setSeriesShape(CROSS, CROSS_SHAPE);
      setSeriesShape(SELF, SELF_SHAPE);
      setSeriesShape(CLASS, CLASS_SHAPE);
      setSeriesOutlineStroke(CROSS, new BasicStroke(0.6f));
      setSeriesOutlineStroke(SELF, new BasicStroke(1.0f));
      setSeriesOutlineStroke(CLASS, new BasicStroke(2.2f));
      setDefaultSeriesVisibleInLegend(false);
    }

    @Override
    public Paint getItemPaint(int series, int item) {
      return ChartParts.color(groups[series][item]);
    }

    @Override
    public Paint getItemOutlinePaint(int series, int item) {
      return series == CLASS ? Color.BLACK : ChartParts.color(groups[series][item]).darker();
    }
  }

  /**
   * The class names on white boxes next to their class means. Each label tries sixteen places
   * around its point (eight directions, two distances), starting on the side away from the panel's
   * centre where points are fewer, and takes the first that overlaps no label placed before it, no
   * class mean and the fewest other points, inside the panel (a greedy placement; with C = 10 it
   * finds a free place for every label).
   */
  private static final class Labels extends AbstractXYAnnotation {
    private static final long serialVersionUID = 1L;
    private Font font = ChartParts.LABEL_FONT.deriveFont(Font.BOLD);
    private static final Color BOX = new Color(255, 255, 255, 215);
    private static final double MARKER_RADIUS = 9;
    private final List<EmbeddingRow> rows;
    private final List<String> classNames;
    private final double cx;
    private final double cy;

    Labels(List<EmbeddingRow> rows, List<String> classNames, double cx, double cy) {
      this.rows = List.copyOf(rows);
      this.classNames = List.copyOf(classNames);
      this.cx = cx;
      this.cy = cy;
    }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
        int rendererIndex, PlotRenderingInfo info) {
      g2.setFont(font);
      List<Point2D> means = new ArrayList<>();
      List<Point2D> others = new ArrayList<>();
      for (EmbeddingRow r : rows) {
        Point2D p = new Point2D.Double(domainAxis.valueToJava2D(r.x(), dataArea, plot.getDomainAxisEdge()),
            rangeAxis.valueToJava2D(r.y(), dataArea, plot.getRangeAxisEdge()));
        (r.kind().equals(CLASS_MEAN) ? means : others).add(p);
      }
      double sx = domainAxis.valueToJava2D(cx, dataArea, plot.getDomainAxisEdge());
      double sy = rangeAxis.valueToJava2D(cy, dataArea, plot.getRangeAxisEdge());
      List<Rectangle2D> placed = new ArrayList<>();
      int m = 0;
      for (EmbeddingRow r : rows) {
        if (!r.kind().equals(CLASS_MEAN)) {
          continue;
        }
        Point2D p = means.get(m++);
        String text = className(r.c(), classNames);
        double outward = Math.atan2(p.getY() - sy, p.getX() - sx);
        if (Math.hypot(p.getY() - sy, p.getX() - sx) < 1) {
          outward = -Math.PI / 2; // at the centre: above
        }
        Rectangle2D best = null;
        float[] bestAt = null;
        TextAnchor bestAnchor = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 16 && bestScore > 0; k++) {
          int turn = (k % 8 + 1) / 2 * ((k % 8) % 2 == 1 ? 1 : -1); // 0, 1, -1, 2, -2, 3, -3, 4
          double angle = outward + turn * Math.PI / 4;
          double gap = k < 8 ? MARKER_RADIUS + 2 : MARKER_RADIUS + 16;
          double ux = Math.cos(angle);
          double uy = Math.sin(angle);
          float lx = (float) (p.getX() + gap * ux);
          float ly = (float) (p.getY() + gap * uy);
          TextAnchor anchor = anchor(ux, uy);
          Rectangle2D b = TextUtils.calculateRotatedStringBounds(text, g2, lx, ly, anchor, 0, anchor).getBounds2D();
          Rectangle2D box = new Rectangle2D.Double(b.getX() - 2, b.getY() - 1, b.getWidth() + 4, b.getHeight() + 2);
          double score = dataArea.contains(box) ? 0 : 1000;
          for (Rectangle2D q : placed) {
            if (q.intersects(box)) {
              score += 100;
            }
          }
          for (Point2D q : means) {
            if (q != p && box.intersects(q.getX() - MARKER_RADIUS, q.getY() - MARKER_RADIUS, 2 * MARKER_RADIUS, 2 * MARKER_RADIUS)) {
              score += 10;
            }
          }
          for (Point2D q : others) {
            if (box.intersects(q.getX() - 3, q.getY() - 3, 6, 6)) {
              score += 1;
            }
          }
          if (score < bestScore) {
            bestScore = score;
            best = box;
            bestAt = new float[] {lx, ly};
            bestAnchor = anchor;
          }
        }
        placed.add(best);
        g2.setPaint(BOX);
        g2.fill(best);
        g2.setPaint(Color.DARK_GRAY);
        g2.setStroke(new BasicStroke(0.6f));
        g2.draw(best);
        g2.setPaint(Color.BLACK);
        TextUtils.drawAlignedString(text, g2, bestAt[0], bestAt[1], bestAnchor);
      }
    }

    /** The text anchor that puts a label on the side (ux, uy) of its point (Java2D: y grows downwards). */
    private static TextAnchor anchor(double ux, double uy) {
      if (Math.abs(ux) > 0.92) {
        return ux > 0 ? TextAnchor.HALF_ASCENT_LEFT : TextAnchor.HALF_ASCENT_RIGHT;
      }
      if (Math.abs(uy) > 0.92) {
        return uy > 0 ? TextAnchor.TOP_CENTER : TextAnchor.BOTTOM_CENTER;
      }
      if (uy > 0) {
        return ux > 0 ? TextAnchor.TOP_LEFT : TextAnchor.TOP_RIGHT;
      }
      return ux > 0 ? TextAnchor.BOTTOM_LEFT : TextAnchor.BOTTOM_RIGHT;
    }
  }

  /** Panels next to each other, each with its own axes and a title above it; one shared legend. */
  private static final class SideBySide extends Plot implements PaperStyle.PaperText {
    private static final long serialVersionUID = 1L;
    private double gap = 28;
    private double titleHeight = 26;
    private Font titleFont = ChartParts.LABEL_FONT.deriveFont(Font.BOLD, 16f);
    private final List<XYPlot> panels;
    private final List<String> titles;
    private final LegendItemCollection legend;

    SideBySide(List<XYPlot> panels, List<String> titles, LegendItemCollection legend) {
      this.panels = List.copyOf(panels);
      this.titles = List.copyOf(titles);
      this.legend = legend;
      setOutlineVisible(false);
      setBackgroundPaint(null);
      for (XYPlot p : panels) {
        p.setParent(this);
      }
    }

    @Override
    public String getPlotType() {
      return "Side by side";
    }

    @Override
    public void setTextSize(float labelPt, float tickPt) {
      titleFont = titleFont.deriveFont(labelPt);
      titleHeight = labelPt * 1.6;
      gap = 12;
      for (int i = 0; i < legend.getItemCount(); i++) {
        legend.get(i).setLabelFont(legend.get(i).getLabelFont().deriveFont(tickPt));
      }
      for (XYPlot p : panels) {
        for (Object a : p.getAnnotations()) {
          if (a instanceof Labels l) {
            l.font = l.font.deriveFont(tickPt);
          }
        }
      }
    }

    @Override
    public List<XYPlot> panels() {
      return panels;
    }

    @Override
    public boolean sideBySide() {
      return panels.size() > 1;
    }

    @Override
    public LegendItemCollection getLegendItems() {
      return legend;
    }

    @Override
    public void draw(Graphics2D g2, Rectangle2D area, Point2D anchor, PlotState parentState, PlotRenderingInfo info) {
      if (info != null) {
        info.setPlotArea(area);
      }
      int n = panels.size();
      double width = (area.getWidth() - gap * (n - 1)) / n;
      for (int i = 0; i < n; i++) {
        double left = area.getX() + i * (width + gap);
        g2.setFont(titleFont);
        g2.setPaint(Color.BLACK);
        TextUtils.drawAlignedString(titles.get(i), g2, (float) (left + width / 2), (float) (area.getY() + titleHeight - titleHeight / 4),
            TextAnchor.BASELINE_CENTER);
        Rectangle2D sub = new Rectangle2D.Double(left, area.getY() + titleHeight, width, area.getHeight() - titleHeight);
        PlotRenderingInfo subInfo = null;
        if (info != null) {
          subInfo = new PlotRenderingInfo(info.getOwner());
          info.addSubplotInfo(subInfo);
        }
        panels.get(i).draw(g2, sub, null, parentState, subInfo);
      }
    }
  }
}
