package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper style: sizes in inches (PDF media box, SVG width, PNG pixels at 300 dpi), 8-9 pt fonts, no
 * title or caption in the image but in NAME.txt; and the changes the default style shares: a density
 * below the log floor is a gap in the line, not a flat line, and sweep panels carry their own subtitles.
 */
class PaperStyleTest {

  @TempDir Path dir;

  private static final FigureText TEXT = FigureText.of("density_check", "Spectral density, train split",
      Map.of("M", 128, "K", 10, "kernel width", 0.0123));

  private static Figure single() {
    return DensityFigures.density(TEXT, List.of(DemoData.density("Hessian", FigureGallery.TRAIN, 0.03, 300)),
        YScale.LOG);
  }

  @Test
  void aSinglePanelIsOneColumnWideWithSmallFontsAndNoTextInTheImage() throws IOException {
    Figure figure = single();
    FigureWriter.write(figure, dir, FigureStyle.PAPER);
    // 3.25 in: 234 pt in the PDF and the SVG (user unit = 1 pt), 975 pixels at 300 dpi.
    double[] pdf = mediaBoxInches(dir.resolve("density_check.pdf"));
    assertEquals(3.25, pdf[0], 1e-9);
    assertTrue(pdf[1] >= 2.2 && pdf[1] <= 3.5, "height " + pdf[1] + " in");
    String svg = Files.readString(dir.resolve("density_check.svg"), StandardCharsets.UTF_8);
    assertEquals("3.25in", rootAttribute(svg, "width"));
    assertEquals(pdf[1], Double.parseDouble(rootAttribute(svg, "height").replace("in", "")), 1e-3);
    BufferedImage png = ImageIO.read(dir.resolve("density_check.png").toFile());
    assertEquals(975, png.getWidth());
    assertEquals(Math.round(pdf[1] * 300), png.getHeight(), 1.0);
    // Every piece of text is 8 or 9 pt.
    List<Double> sizes = fontSizes(svg);
    assertFalse(sizes.isEmpty(), "no font size in the SVG");
    for (double s : sizes) {
      assertTrue(s >= 8 && s <= 9, "font size " + s + " in " + sizes);
    }
    // No title, no caption in the image; both in density_check.txt.
    assertFalse(svg.contains("Spectral density"), "title drawn in the image");
    assertFalse(svg.contains("kernel width = "), "caption drawn in the image");
    assertTrue(figure.text().caption().startsWith(TEXT.caption()), figure.text().caption());
    assertEquals("Spectral density, train split.\n" + figure.text().caption() + "\n",
        Files.readString(dir.resolve("density_check.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void sideBySidePanelsAreTwoColumnsWide() throws IOException {
    Figure f = DensityFigures.smallMultiples(FigureText.of("by_sweep", "Hessian by sweep", Map.of()), "eigenvalue λ",
        List.of(new Facet("per_class = 10\nn = 100, p = 5000", List.of(DemoData.density("Hessian", FigureGallery.TRAIN,
                0.03, 300))),
            new Facet("per_class = 51\nn = 510, p = 5000", List.of(DemoData.density("Hessian", FigureGallery.TEST,
                0.03, 300)))),
        YScale.LOG);
    FigureWriter.write(f, dir, FigureStyle.PAPER);
    assertEquals(6.75, mediaBoxInches(dir.resolve("by_sweep.pdf"))[0], 1e-9);
    String svg = Files.readString(dir.resolve("by_sweep.svg"), StandardCharsets.UTF_8);
    assertEquals("6.75in", rootAttribute(svg, "width"));
    // Each panel's subtitle: its sweep value, and its own n and p on a second line.
    for (String line : List.of("per_class = 10", "n = 100, p = 5000", "per_class = 51", "n = 510, p = 5000")) {
      assertTrue(svg.contains(">" + line + "<"), line);
    }
    for (double s : fontSizes(svg)) {
      assertTrue(s >= 8 && s <= 9, "font size " + s);
    }
  }

  @Test
  void theEmbeddingIsTwoColumnsWideWithSmallFonts() throws IOException {
    FigureWriter.write(FigureGallery.embeddingFigure(), dir, FigureStyle.PAPER);
    String name = FigureGallery.embeddingFigure().text().name();
    assertEquals(6.75, mediaBoxInches(dir.resolve(name + ".pdf"))[0], 1e-9);
    for (double s : fontSizes(Files.readString(dir.resolve(name + ".svg"), StandardCharsets.UTF_8))) {
      assertTrue(s >= 8 && s <= 9, "font size " + s);
    }
  }

  @Test
  void theDefaultStyleKeepsTitleAndCaptionAndAlsoWritesTheTxt() throws IOException {
    FigureWriter.write(single(), dir);
    String svg = Files.readString(dir.resolve("density_check.svg"), StandardCharsets.UTF_8);
    assertTrue(svg.contains("Spectral density, train split"));
    assertEquals("960", rootAttribute(svg, "width"));
    assertTrue(Files.readString(dir.resolve("density_check.txt")).startsWith("Spectral density, train split.\n"));
  }

  @Test
  void aDensityBelowTheLogFloorIsAGapNotAFlatLine() {
    // Peak 1 at x = 0; at x = 1 and 2 the density is 1e-12 and 1e-15, below the floor of 10 decades under
    // the peak (1e-10); x = 3 is above it again. The series has NaN there (a break in the path), the other
    // points exactly as given.
    double[] x = {-1, 0, 1, 2, 3};
    double[] y = {1e-3, 1, 1e-12, 1e-15, 1e-5};
    Figure f = DensityFigures.density(TEXT, List.of(new Curve("Hessian", x, y)), YScale.LOG);
    XYDataset data = ((XYPlot) f.chart().getPlot()).getDataset();
    assertEquals(5, data.getItemCount(0));
    assertEquals(1e-3, data.getYValue(0, 0));
    assertEquals(1.0, data.getYValue(0, 1));
    assertTrue(Double.isNaN(data.getYValue(0, 2)), "below the floor: " + data.getYValue(0, 2));
    assertTrue(Double.isNaN(data.getYValue(0, 3)), "below the floor: " + data.getYValue(0, 3));
    assertEquals(1e-5, data.getYValue(0, 4));
    assertTrue(f.text().caption().contains("the line breaks"), f.text().caption());
    // A linear density axis has no floor: every point is drawn.
    XYDataset linear = ((XYPlot) DensityFigures.density(TEXT, List.of(new Curve("Hessian", x, y)), YScale.LINEAR)
        .chart().getPlot()).getDataset();
    assertEquals(1e-15, linear.getYValue(0, 3));
  }

  private static double[] mediaBoxInches(Path pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      assertEquals(1, doc.getNumberOfPages());
      PDRectangle box = doc.getPage(0).getMediaBox();
      return new double[] {box.getWidth() / 72.0, box.getHeight() / 72.0};
    }
  }

  private static String rootAttribute(String svg, String name) {
    Matcher m = Pattern.compile("<svg[^>]*\\s" + name + "=\"([^\"]+)\"").matcher(svg);
    assertTrue(m.find(), "no " + name + " on <svg>");
    return m.group(1);
  }

  /**
   * Every font size the SVG's drawing sets (Batik gives each group of text its own); the root element's is
   * left out: it is the initial state of Batik's canvas (Java's 12 px default font), which no text keeps.
   */
  static List<Double> fontSizes(String svg) {
    String body = svg.substring(svg.indexOf('>', svg.indexOf("<svg")) + 1);
    List<Double> sizes = new ArrayList<>();
    Matcher m = Pattern.compile("font-size(?:=\"|:\\s*)([0-9.]+)").matcher(body);
    while (m.find()) {
      sizes.add(Double.parseDouble(m.group(1)));
    }
    return sizes;
  }
}
