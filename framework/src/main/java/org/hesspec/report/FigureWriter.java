package org.hesspec.report;

import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;

/**
 * Writes a {@link Figure} as {@code <name>.png} and {@code <name>.svg} into a folder (normally
 * the run's {@code figures/}). Both files are replaced atomically. Rendering needs no display:
 * the JVM is switched to headless mode before any AWT class loads here.
 */
public final class FigureWriter {

  static {
    // Runs on servers and in CI without X; harmless where a display exists.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // JFreeChart's workaround for rotated text (old JDK bugs) draws vertical axis labels as glyph
    // outlines, which in SVG are paths instead of searchable, selectable text.
    TextUtils.setUseDrawRotatedStringWorkaround(false);
  }

  private FigureWriter() {}

  /** Writes both files and returns where they are. */
  public static RenderedFigure write(Figure figure, Path folder) {
    String name = figure.text().name();
    Path png = folder.resolve(name + ".png");
    Path svg = folder.resolve(name + ".svg");
    AtomicFiles.writeBytes(png, png(figure));
    AtomicFiles.writeString(svg, svg(figure));
    return new RenderedFigure(
        name, figure.text().title(), figure.text().caption(), png, svg);
  }

  /** The figure as PNG bytes, {@code width x height} pixels. */
  public static byte[] png(Figure figure) {
    BufferedImage image =
        figure.chart().createBufferedImage(figure.width(), figure.height(),
            BufferedImage.TYPE_INT_RGB, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding " + figure.text().name() + " as PNG", e);
    }
    return out.toByteArray();
  }

  /** The figure as a standalone SVG document; text stays text, so labels are searchable. */
  public static String svg(Figure figure) {
    SVGGraphics2D g2 = new SVGGraphics2D(figure.width(), figure.height());
    // The default prefix is a timestamp; a fixed one makes the same figure give the same file.
    g2.setDefsKeyPrefix(figure.text().name().replaceAll("[^A-Za-z0-9]", "_") + "_");
    // JFreeChart's axes save this hint and restore it afterwards; SVGGraphics2D starts without
    // it and refuses to restore null, so give it the default value first.
    g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_DEFAULT);
    figure.chart().draw(g2, new Rectangle(0, 0, figure.width(), figure.height()));
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g2.getSVGElement() + "\n";
  }

}
