package org.hesspec.report;

import java.util.Objects;
import org.jfree.chart.JFreeChart;

/**
 * A finished chart with its text and pixel size, ready for {@link FigureWriter}.
 *
 * @param text name, title and caption
 * @param chart the JFreeChart, title and caption already on it
 * @param width width in pixels (PNG) and user units (SVG)
 * @param height height likewise
 */
public record Figure(FigureText text, JFreeChart chart, int width, int height) {

  public Figure {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(chart, "chart");
    if (width < 100 || height < 100) {
      throw new IllegalArgumentException("figure too small: " + width + "x" + height);
    }
  }
}
