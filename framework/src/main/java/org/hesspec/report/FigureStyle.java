package org.hesspec.report;

import java.util.Locale;

/**
 * How figures are drawn. {@link #DEFAULT}: for the screen and report.html, title and caption in the
 * image, pixel sizes (960 x 620 for a single panel). {@link #PAPER}: for a paper, sized in inches
 * for a column of a two-column layout (single panels 3.25 in wide, side-by-side panels 6.75 in),
 * 9 pt axis labels and 8 pt tick labels, legends and panel titles, thinner lines, no title or
 * caption in the image (they go to {@code NAME.txt} beside it and into the report), PNG at
 * 300 dpi next to the vector SVG and PDF.
 */
public enum FigureStyle {
  DEFAULT,
  PAPER;

  /** The style named {@code default} or {@code paper} (any case). */
  public static FigureStyle parse(String name) {
    for (FigureStyle s : values()) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("figure style '" + name + "': expected default or paper");
  }

  /** The name as the command line and docs spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
