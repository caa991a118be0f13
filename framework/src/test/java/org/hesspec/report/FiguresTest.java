package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class FiguresTest {

  static List<Figure> gallery;

  @BeforeAll
  static void render() {
    System.setProperty("java.awt.headless", "true");
    gallery = FigureGallery.all();
  }

  /** The axis labels that each demo figure must carry, by figure name. */
  private static final Map<String, List<String>> LABELS =
      Map.of(
          "density_train_hessian_linear", List.of("eigenvalue λ", "density"),
          "density_train_hessian_linear_lineary", List.of("eigenvalue λ", "density"),
          "density_train_hessian_log", List.of("log₁₀ |λ|", "density", "λ > 0", "λ < 0"),
          "density_train_overlay_hessian_G_H", List.of("eigenvalue λ", "Hessian", "G", "H"),
          "density_hessian_train_vs_test",
              List.of("eigenvalue λ", "Hessian (train)", "Hessian (test)"),
          "density_train_hessian_by_per_class",
              List.of("eigenvalue λ", "density", "10 per class", "506 per class"),
          "top_eigenvalues_train_hessian",
              List.of("rank (1 = largest)", "eigenvalue λ", "class means (Gram)", "bulk edge"),
          "tail_ccdf_train_hessian",
              List.of("eigenvalue λ", "fraction of eigenvalues ≥ λ", "power law"),
          "sweep_train_hessian_outliers",
              List.of("examples per class", "eigenvalue λ", "bulk edge", "outliers λ1…λ10"),
          "embedding_train_class_means",
              List.of("classical MDS 1", "t-SNE 2", "T-shirt", "self means d_c,c"));

  @Test
  void galleryCoversEveryKindOnce() {
    assertEquals(LABELS.keySet(),
        gallery.stream().map(f -> f.text().name()).collect(Collectors.toSet()));
  }

  @Test
  void everyFigureRendersToARealPng() throws Exception {
    for (Figure f : gallery) {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(FigureWriter.png(f)));
      String name = f.text().name();
      assertEquals(f.width(), image.getWidth(), name);
      assertEquals(f.height(), image.getHeight(), name);
      Set<Integer> colours = new HashSet<>();
      int inked = 0;
      for (int y = 0; y < image.getHeight(); y += 2) {
        for (int x = 0; x < image.getWidth(); x += 2) {
          int rgb = image.getRGB(x, y) & 0xffffff;
          colours.add(rgb);
          if (rgb != 0xffffff) {
            inked++;
          }
        }
      }
      assertTrue(colours.size() > 20, name + ": only " + colours.size() + " colours");
      // Text, axes and data cover a few percent of the pixels; a blank chart has only the frame.
      double share = inked / (image.getWidth() * image.getHeight() / 4.0);
      assertTrue(share > 0.02 && share < 0.6, name + ": ink share " + share);
      assertTrue(hasColour(image, ChartParts.color(0).getRGB())
              || hasColour(image, ChartParts.color(3).getRGB()),
          name + ": no data colour drawn");
    }
  }

  private static boolean hasColour(BufferedImage image, int rgb) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void everyFigureRendersToSvgWithItsLabelsAsText() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    for (Figure f : gallery) {
      String svg = FigureWriter.svg(f);
      Document doc =
          factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
      assertEquals("svg", doc.getDocumentElement().getLocalName() == null
          ? doc.getDocumentElement().getNodeName() : doc.getDocumentElement().getLocalName());
      String text = doc.getDocumentElement().getTextContent();
      assertTrue(text.contains(f.text().title()), f.text().name() + ": title missing");
      for (String label : LABELS.get(f.text().name())) {
        assertTrue(text.contains(label), f.text().name() + ": '" + label + "' missing");
      }
      assertTrue(text.contains("M = 128"), f.text().name() + ": caption missing");
    }
  }

  @Test
  void sameFigureGivesSameSvg() {
    Figure f = gallery.get(0);
    assertEquals(FigureWriter.svg(f), FigureWriter.svg(f));
  }

  @Test
  void writeProducesBothFiles(@TempDir Path dir) throws Exception {
    RenderedFigure r = FigureWriter.write(gallery.get(2), dir);
    assertEquals(dir.resolve("density_train_hessian_log.png"), r.png());
    assertTrue(Files.size(r.png()) > 1000 && Files.size(r.svg()) > 1000);
    assertEquals(gallery.get(2).text().caption(), r.caption());
  }

  @Test
  void logAxesSayWhatTheyLeaveOut() {
    FigureText text = new FigureText("top", "Top", "M = 1");
    Figure f =
        EigenvalueFigures.topEigenvalues(
            text, new RankedValues("Hessian", new double[] {5, 2, -1, 0}), 1, List.of(), Double.NaN);
    assertEquals("M = 1; 2 non-positive values not shown on the log axis", f.text().caption());
    Figure clipped =
        DensityFigures.density(text,
            List.of(new Curve("d", new double[] {0, 1, 2}, new double[] {1, 1e-20, 0})),
            YScale.LOG);
    assertTrue(clipped.text().caption().contains("10 decades below the peak"));
    Figure linear =
        DensityFigures.density(text,
            List.of(new Curve("d", new double[] {0, 1, 2}, new double[] {1, 1e-20, 0})),
            YScale.LINEAR);
    assertEquals("M = 1", linear.text().caption());
  }

  @Test
  void unconvergedEigenvaluesGetTheirOwnMarkerAndLegendEntry() {
    FigureText text = new FigureText("top", "Top", "");
    RankedValues top = new RankedValues("Hessian", new double[] {5, 3, 2, 1});
    String marked = FigureWriter.svg(EigenvalueFigures.topEigenvalues(
        text, top, new boolean[] {true, true, false, true}, 1, List.of(), Double.NaN));
    assertTrue(marked.contains("Hessian: not converged"));
    String all = FigureWriter.svg(EigenvalueFigures.topEigenvalues(
        text, top, new boolean[] {true, true, true, true}, 1, List.of(), Double.NaN));
    assertFalse(all.contains("not converged"));
    assertEquals(all, FigureWriter.svg(EigenvalueFigures.topEigenvalues(text, top, 1, List.of(), Double.NaN)));
    assertThrows(IllegalArgumentException.class, () -> EigenvalueFigures.topEigenvalues(
        text, top, new boolean[3], 1, List.of(), Double.NaN));
  }

  @Test
  void badInputsAreRefused() {
    FigureText text = new FigureText("x", "X", "");
    Curve c = new Curve("a", new double[] {0, 1}, new double[] {1, 2});
    assertThrows(IllegalArgumentException.class,
        () -> DensityFigures.density(text, List.of(c, c), YScale.LINEAR));
    assertThrows(IllegalArgumentException.class,
        () -> DensityFigures.density(text,
            List.of(new Curve("z", new double[] {0, 1}, new double[] {0, 0})), YScale.LOG));
    assertThrows(IllegalArgumentException.class, () -> new Curve("a", new double[2], new double[3]));
    assertThrows(IllegalArgumentException.class, () -> new FigureText("../x", "t", ""));
    assertThrows(IllegalArgumentException.class,
        () -> EigenvalueFigures.sweep(text, "n", new double[] {1, 2}, new double[1][], new double[2]));
  }

  @Test
  void captionsListParametersCompactly() {
    assertEquals("M = 128, K = 10, kernel width σ = 0.0123, n = 5060, seed = 7",
        FigureText.of("a", "A", FigureGallery.params()).caption());
    assertEquals("1.235e-5", FigureText.formatValue(1.23456e-5));
    assertEquals("n/a", FigureText.formatValue(Double.NaN));
    assertEquals("-2e7", FigureText.formatValue(-2.0e7));
    assertEquals("0.001", FigureText.formatValue(0.001));
    assertEquals("12", FigureText.formatValue(12.0));
    assertEquals("3.142", FigureText.formatValue(Math.PI));
  }

  @Test
  void fileNamesSayWhatTheFigureShows() {
    assertEquals("density_train_hessian_linear",
        FigureText.fileName("density", "train", "hessian", "linear"));
    assertEquals("density_G_per-class-51", FigureText.fileName("density", "", "G", "per class/51"));
    new FigureText(FigureText.fileName("top", "λ/x"), "t", ""); // still a valid name
  }

  @Test
  void powerLawFitRecoversAnExactLaw() {
    double[] x = {0.01, 0.1, 1, 10, 100};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 3 * Math.pow(x[i], -2.5);
    }
    PowerLaw fit = PowerLaw.fitLogLog(x, y, 0.05, 50);
    assertEquals(2.5, fit.exponent(), 1e-12);
    assertEquals(3, fit.prefactor(), 1e-12);
    assertEquals(0.1, fit.xMin());
    assertEquals(10, fit.xMax());
    assertThrows(IllegalArgumentException.class, () -> PowerLaw.fitLogLog(x, y, 0.5, 5));
  }
}
