package org.hesspec.report;

import java.awt.Color;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.util.List;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The 2-D scatter of an embedding of gradient means (the talk's t-SNE of the class means
 * {@code δ_c} and the cross-class means {@code δ_{c,c'}}): each point coloured by its class,
 * each set with its own marker, and the points' names written next to them.
 */
public final class EmbeddingFigures {

  private EmbeddingFigures() {}

  private static final Shape[] SHAPES = {
    new Ellipse2D.Double(-7, -7, 14, 14),
    ShapeUtils.createUpTriangle(4.5f),
    ShapeUtils.createDiamond(4.5f),
    new java.awt.Rectangle(-4, -4, 8, 8)
  };

  /**
   * The scatter. Classes beyond ten reuse the ten colours. 900 x 760 pixels.
   *
   * @param sets the point sets, e.g. class means then cross-class means
   * @param classNames the legend name of each class (group), e.g. {@code T-shirt}; groups beyond
   *     the list are called {@code class k}
   */
  public static Figure embedding(FigureText text, List<Points> sets, List<String> classNames) {
    if (sets.isEmpty()) {
      throw new IllegalArgumentException(text.name() + ": no points to plot");
    }
    XYSeriesCollection data = new XYSeriesCollection();
    int classes = 0;
    for (Points p : sets) {
      XYSeries series = new XYSeries(p.label(), false, true);
      for (int i = 0; i < p.size(); i++) {
        series.add(p.x()[i], p.y()[i]);
      }
      data.addSeries(series);
      for (int g : p.group()) {
        classes = Math.max(classes, g + 1);
      }
    }
    ClassColoured renderer = new ClassColoured(sets);
    for (int s = 0; s < sets.size(); s++) {
      renderer.setSeriesShape(s, SHAPES[s % SHAPES.length]);
    }
    renderer.setDefaultItemLabelGenerator(
        (dataset, series, item) -> {
          String[] names = sets.get(series).names();
          return names == null ? null : names[item];
        });
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(ChartParts.SMALL_FONT);
    renderer.setDefaultItemLabelPaint(Color.DARK_GRAY);
    renderer.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
    renderer.setDefaultNegativeItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
    renderer.setItemLabelAnchorOffset(4);

    XYPlot plot =
        ChartParts.plot(
            ChartParts.axis("embedding coordinate 1", YScale.LINEAR),
            ChartParts.axis("embedding coordinate 2", YScale.LINEAR));
    plot.setDataset(data);
    plot.setRenderer(renderer);
    // Room for the labels of points at the edges.
    plot.getDomainAxis().setUpperMargin(0.08);
    plot.getDomainAxis().setLowerMargin(0.08);
    plot.getRangeAxis().setUpperMargin(0.1);
    plot.getRangeAxis().setLowerMargin(0.08);

    LegendItemCollection legend = new LegendItemCollection();
    for (int s = 0; s < sets.size(); s++) {
      legend.add(item(sets.get(s).label(), SHAPES[s % SHAPES.length], Color.GRAY));
    }
    for (int c = 0; c < classes; c++) {
      String name = c < classNames.size() ? classNames.get(c) : "class " + c;
      legend.add(item(name, new java.awt.Rectangle(-5, -5, 10, 10), ChartParts.color(c)));
    }
    plot.setFixedLegendItems(legend);
    return new Figure(text, ChartParts.chart(text, plot, true), 900, 760);
  }

  private static LegendItem item(String label, Shape shape, Paint paint) {
    LegendItem item = new LegendItem(label, null, null, null, shape, paint);
    item.setLabelFont(ChartParts.LABEL_FONT);
    return item;
  }

  /** Colours each point by its class rather than by its series. */
  private static final class ClassColoured extends XYLineAndShapeRenderer {
    private static final long serialVersionUID = 1L;
    private final int[][] groups;

    ClassColoured(List<Points> sets) {
      super(false, true);
      this.groups = sets.stream().map(Points::group).toArray(int[][]::new);
      setUseFillPaint(false);
      setDrawOutlines(true);
      setUseOutlinePaint(true);
    }

    @Override
    public Paint getItemPaint(int series, int item) {
      return ChartParts.color(groups[series][item]);
    }

    @Override
    public Paint getItemOutlinePaint(int series, int item) {
      return Color.DARK_GRAY;
    }
  }
}
