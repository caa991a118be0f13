package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * SVG and PDF output keep the chart's text as text (searchable, extractable), parse with standard
 * tools, and have the requested size.
 */
class VectorFigureTest {

  private static final String TITLE = "Spectral density of the Hessian";
  /** Greek letters, a subscript digit and a superscript minus: the labels the figures use. */
  private static final String X_LABEL = "eigenvalue λ";
  private static final String Y_LABEL = "log₁₀ density";
  private static final String SERIES = "G (train)";

  private static JFreeChart chart() {
    XYSeries s = new XYSeries(SERIES);
    for (int i = 0; i <= 50; i++) {
      double x = i / 10.0;
      s.add(x, Math.exp(-x * x));
    }
    JFreeChart chart = ChartFactory.createXYLineChart(TITLE, X_LABEL, Y_LABEL,
        new XYSeriesCollection(s), PlotOrientation.VERTICAL, true, false, false);
    Font font = new Font("DejaVu Sans", Font.PLAIN, 12);
    XYPlot plot = chart.getXYPlot();
    plot.getDomainAxis().setLabelFont(font);
    plot.getRangeAxis().setLabelFont(font);
    chart.getTitle().setFont(new Font("DejaVu Sans", Font.BOLD, 16));
    chart.getLegend().setItemFont(new Font("DejaVu Sans", Font.ITALIC, 11));
    return chart;
  }

  @Test
  void svgIsXmlWithTheLabelsAsTextElements() throws Exception {
    String svg = VectorFigure.svg(chart(), 640, 400, "fig_");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    Element root = doc.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
    assertEquals("640", root.getAttribute("width"));
    assertEquals("400", root.getAttribute("height"));
    assertEquals("0 0 640 400", root.getAttribute("viewBox"));
    NodeList texts = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < texts.getLength(); i++) {
      strings.add(texts.item(i).getTextContent());
    }
    for (String label : List.of(TITLE, X_LABEL, Y_LABEL, SERIES)) {
      assertTrue(strings.contains(label), "no <text> element '" + label + "' in " + strings);
    }
    // Every definition id carries the prefix, so figures inlined together cannot collide.
    NodeList all = doc.getElementsByTagNameNS("*", "*");
    int ids = 0;
    for (int i = 0; i < all.getLength(); i++) {
      String id = ((Element) all.item(i)).getAttribute("id");
      if (!id.isEmpty()) {
        ids++;
        assertTrue(id.startsWith("fig_"), "id without prefix: " + id);
      }
    }
    assertTrue(ids > 0, "JFreeChart clips its plot area, so there is at least one clip path id");
  }

  @Test
  void sameChartGivesSameSvg() {
    assertEquals(
        VectorFigure.svg(chart(), 300, 200, "a_"), VectorFigure.svg(chart(), 300, 200, "a_"));
  }

  @Test
  void pdfParsesWithItsLabelsAsTextInEmbeddedFonts() throws Exception {
    byte[] pdf = VectorFigure.pdf(chart(), 640, 400);
    assertEquals("%PDF-", new String(Arrays.copyOf(pdf, 5), StandardCharsets.US_ASCII));
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertEquals(1, doc.getNumberOfPages());
      PDPage page = doc.getPage(0);
      assertEquals(640f, page.getMediaBox().getWidth());
      assertEquals(400f, page.getMediaBox().getHeight());
      // The text extractor breaks the rotated y-axis label into short lines; compare without
      // white space (the order of the characters is still checked).
      String text = squeeze(new PDFTextStripper().getText(doc));
      for (String label : List.of(TITLE, X_LABEL, Y_LABEL, SERIES)) {
        assertTrue(text.contains(squeeze(label)), "PDF text lacks '" + label + "':\n" + text);
      }
      // Text in the page's form: fonts are embedded DejaVu subsets (text, not outlines).
      List<String> fonts = fontNames(page.getResources());
      assertFalse(fonts.isEmpty(), "no fonts: text was drawn as outlines");
      assertTrue(fonts.stream().allMatch(n -> n.matches("[A-Z]{6}\\+DejaVuSans.*")),
          "fonts: " + fonts);
    }
  }

  private static String squeeze(String s) {
    return s.replaceAll("\\s+", "");
  }

  private static List<String> fontNames(PDResources resources) throws Exception {
    List<String> names = new ArrayList<>();
    for (COSName f : resources.getFontNames()) {
      names.add(resources.getFont(f).getName());
    }
    for (COSName x : resources.getXObjectNames()) {
      PDXObject xo = resources.getXObject(x);
      if (xo instanceof PDFormXObject form && form.getResources() != null) {
        names.addAll(fontNames(form.getResources()));
      }
    }
    return names;
  }

  @Test
  void everyReportFigureGivesAPdfOfItsSizeWithItsAxisLabel() throws Exception {
    System.setProperty("java.awt.headless", "true");
    for (Figure f : FigureGallery.all()) {
      try (PDDocument doc = Loader.loadPDF(FigureWriter.pdf(f))) {
        assertEquals(f.width(), doc.getPage(0).getMediaBox().getWidth(), 0.0, f.text().name());
        assertEquals(f.height(), doc.getPage(0).getMediaBox().getHeight(), 0.0, f.text().name());
        String text = squeeze(new PDFTextStripper().getText(doc));
        if (!(f.chart().getPlot() instanceof XYPlot xy)) {
          // the embedding's two panels side by side: each panel's axis says which method it is
          assertTrue(text.contains(squeeze("classical MDS")), f.text().name() + ": no panel label in " + text);
          continue;
        }
        String axis = xAxisLabel(xy);
        assertTrue(text.contains(squeeze(axis)),
            f.text().name() + ": '" + axis + "' not in " + text);
      }
    }
  }

  /** The x-axis label; small multiples share the y axis and give each panel its own x axis. */
  private static String xAxisLabel(XYPlot plot) {
    if (plot.getDomainAxis() != null) {
      return plot.getDomainAxis().getLabel();
    }
    return ((CombinedRangeXYPlot) plot).getSubplots().get(0).getDomainAxis().getLabel();
  }

  @Test
  void writeReplacesTheFiles(@TempDir Path dir) throws Exception {
    Path svg = dir.resolve("f.svg");
    Path pdf = dir.resolve("f.pdf");
    Files.writeString(svg, "old");
    VectorFigure.writeSvg(chart(), 300, 200, "f_", svg);
    VectorFigure.writePdf(chart(), 300, 200, pdf);
    assertTrue(Files.readString(svg).startsWith("<?xml"));
    assertTrue(Files.size(pdf) > 1000);
    try (var listing = Files.list(dir)) {
      assertEquals(2, listing.count(), "no temporary files left behind");
    }
  }

  /** The parsed fonts are shared between documents: PDFs made at once must each be whole. */
  @Test
  void pdfsFromSeveralThreadsAreEachComplete() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> pdfs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        pdfs.add(pool.submit(() -> VectorFigure.pdf(chart(), 400, 300)));
      }
      for (Future<byte[]> f : pdfs) {
        try (PDDocument doc = Loader.loadPDF(f.get())) {
          String text = squeeze(new PDFTextStripper().getText(doc));
          assertTrue(text.contains(squeeze(X_LABEL)) && text.contains(squeeze(Y_LABEL)), text);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> VectorFigure.svg(chart(), 0, 10, "a"));
    assertThrows(IllegalArgumentException.class, () -> VectorFigure.svg(chart(), 10, 10, "1 x"));
    assertThrows(IllegalArgumentException.class, () -> VectorFigure.pdf(chart(), 10, -1));
  }
}
