package org.hesspec.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes a {@link Figure} as {@code <name>.png}, {@code <name>.svg} and {@code <name>.pdf} into a
 * folder (normally the run's {@code figures/}); the vector files come from {@link VectorFigure}.
 * Every file is replaced atomically. Rendering needs no display: the JVM is switched to headless
 * mode before any AWT class loads here.
 */
public final class FigureWriter {

  static {
    // Runs on servers and in CI without X; harmless where a display exists.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private FigureWriter() {}

  /** Writes the three files and returns where they are. */
  public static RenderedFigure write(Figure figure, Path folder) {
    String name = figure.text().name();
    Path png = folder.resolve(name + ".png");
    Path svg = folder.resolve(name + ".svg");
    Path pdf = folder.resolve(name + ".pdf");
    AtomicFiles.writeBytes(png, png(figure));
    AtomicFiles.writeString(svg, svg(figure));
    AtomicFiles.writeBytes(pdf, pdf(figure));
    return new RenderedFigure(
        name, figure.text().title(), figure.text().caption(), png, svg, pdf);
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
    // A prefix from the name: the same figure gives the same file, and ids differ across figures.
    String prefix = figure.text().name().replaceAll("[^A-Za-z0-9]", "_") + "_";
    if (!Character.isLetter(prefix.charAt(0))) {
      prefix = "f" + prefix;
    }
    return VectorFigure.svg(figure.chart(), figure.width(), figure.height(), prefix);
  }

  /** The figure as a one-page vector PDF, one point per pixel of the PNG; text stays text. */
  public static byte[] pdf(Figure figure) {
    return VectorFigure.pdf(figure.chart(), figure.width(), figure.height());
  }
}
