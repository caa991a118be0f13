package org.hesspec.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes a {@link Figure} as {@code <name>.png}, {@code <name>.svg}, {@code <name>.pdf} and its
 * title and caption as {@code <name>.txt} into a
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

  /** Writes the files in the {@link FigureStyle#DEFAULT} style and returns where they are. */
  public static RenderedFigure write(Figure figure, Path folder) {
    return write(figure, folder, FigureStyle.DEFAULT);
  }

  /**
   * Writes {@code NAME.png}, {@code NAME.svg}, {@code NAME.pdf} and {@code NAME.txt} (the title and
   * the caption, so that the caption travels with a figure that has none in the image) in
   * {@code style}, and returns where they are. {@link FigureStyle#PAPER} restyles the figure's
   * chart ({@link PaperStyle}): sizes in inches, 8-9 pt text, no title or caption in the image,
   * PNG at 300 dpi.
   */
  public static RenderedFigure write(Figure figure, Path folder, FigureStyle style) {
    String name = figure.text().name();
    Path png = folder.resolve(name + ".png");
    Path svg = folder.resolve(name + ".svg");
    Path pdf = folder.resolve(name + ".pdf");
    if (style == FigureStyle.PAPER) {
      Figure paper = PaperStyle.apply(figure);
      AtomicFiles.writeBytes(png, png(paper, PaperStyle.DPI));
      AtomicFiles.writeString(svg, VectorFigure.svg(paper.chart(), paper.width(), paper.height(), idPrefix(paper), true));
      AtomicFiles.writeBytes(pdf, pdf(paper));
    } else {
      AtomicFiles.writeBytes(png, png(figure));
      AtomicFiles.writeString(svg, svg(figure));
      AtomicFiles.writeBytes(pdf, pdf(figure));
    }
    AtomicFiles.writeString(folder.resolve(name + ".txt"), captionText(figure.text()));
    return new RenderedFigure(
        name, figure.text().title(), figure.text().caption(), png, svg, pdf);
  }

  /** The text of {@code NAME.txt}: the title as a sentence, then the caption, each on its line. */
  public static String captionText(FigureText text) {
    String title = text.title().strip();
    return title + (title.endsWith(".") ? "" : ".") + "\n" + (text.caption().isEmpty() ? "" : text.caption() + "\n");
  }

  /**
   * A figure drawn in points as a PNG at {@code dpi} dots per inch ({@code width / 72 * dpi}
   * pixels wide), with the resolution recorded in the file (pHYs) so that it prints at its size.
   */
  static byte[] png(Figure figure, double dpi) {
    double scale = dpi / 72;
    int w = (int) Math.round(figure.width() * scale);
    int h = (int) Math.round(figure.height() * scale);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g2 = image.createGraphics();
    g2.setColor(java.awt.Color.WHITE);
    g2.fillRect(0, 0, w, h);
    g2.scale(scale, scale);
    figure.chart().draw(g2, new java.awt.geom.Rectangle2D.Double(0, 0, figure.width(), figure.height()));
    g2.dispose();
    try {
      javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
      javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
      javax.imageio.metadata.IIOMetadata meta = writer.getDefaultImageMetadata(
          javax.imageio.ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB), param);
      double mmPerPixel = 25.4 / dpi;
      javax.imageio.metadata.IIOMetadataNode hps = new javax.imageio.metadata.IIOMetadataNode("HorizontalPixelSize");
      hps.setAttribute("value", Double.toString(mmPerPixel));
      javax.imageio.metadata.IIOMetadataNode vps = new javax.imageio.metadata.IIOMetadataNode("VerticalPixelSize");
      vps.setAttribute("value", Double.toString(mmPerPixel));
      javax.imageio.metadata.IIOMetadataNode dim = new javax.imageio.metadata.IIOMetadataNode("Dimension");
      dim.appendChild(hps);
      dim.appendChild(vps);
      javax.imageio.metadata.IIOMetadataNode root = new javax.imageio.metadata.IIOMetadataNode("javax_imageio_1.0");
      root.appendChild(dim);
      meta.mergeTree("javax_imageio_1.0", root);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new javax.imageio.IIOImage(image, null, meta), param);
      } finally {
        writer.dispose();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding " + figure.text().name() + " as PNG", e);
    }
  }

  private static String idPrefix(Figure figure) {
    String prefix = figure.text().name().replaceAll("[^A-Za-z0-9]", "_") + "_";
    return Character.isLetter(prefix.charAt(0)) ? prefix : "f" + prefix;
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
    return VectorFigure.svg(figure.chart(), figure.width(), figure.height(), idPrefix(figure));
  }

  /** The figure as a one-page vector PDF, one point per pixel of the PNG; text stays text. */
  public static byte[] pdf(Figure figure) {
    return VectorFigure.pdf(figure.chart(), figure.width(), figure.height());
  }
}
