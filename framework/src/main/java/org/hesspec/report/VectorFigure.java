package org.hesspec.report;

import de.rototor.pdfbox.graphics2d.IPdfBoxGraphics2DFontTextDrawer;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawer;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGIDGenerator;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Vector output of a JFreeChart: a standalone SVG document (Apache Batik's {@code
 * SVGGraphics2D}) and a one-page PDF (Apache PDFBox through the {@code pdfbox-graphics2d}
 * bridge). In both, text stays text, so labels can be searched, selected and extracted: SVG
 * {@code <text>} elements, and in PDF the TrueType fonts the chart uses embedded as subsets with
 * a Unicode map (Greek letters and sub/superscript digits included). A font whose file cannot be
 * found on the machine is drawn as outlines instead, which still looks the same.
 *
 * <p>One user unit is one pixel of the PNG in SVG and one point (1/72 in) in PDF, so a chart
 * drawn at {@code width x height} gives a PDF page of {@code width/72 x height/72} inches. The
 * same chart gives byte-identical SVG each time.
 */
public final class VectorFigure {

  static {
    // Runs on servers and in CI without X; harmless where a display exists.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // JFreeChart's workaround for rotated text (old JDK bugs) draws vertical axis labels as glyph
    // outlines, which would make them paths instead of text in both formats.
    TextUtils.setUseDrawRotatedStringWorkaround(false);
  }

  private static final String SVG_NS = "http://www.w3.org/2000/svg";

  private VectorFigure() {}

  /**
   * The chart as a standalone SVG document, {@code width x height} user units.
   *
   * @param idPrefix prefix of the ids of clip paths and other definitions, so that several SVGs
   *     can be inlined in one HTML page without their ids colliding; letters, digits, {@code _}
   */
  public static String svg(JFreeChart chart, int width, int height, String idPrefix) {
    return svg(chart, width, height, idPrefix, false);
  }

  /**
   * As {@link #svg(JFreeChart, int, int, String)}; with {@code inPoints}, the user units are points
   * and the document's {@code width} and {@code height} say its printed size in inches
   * ({@code width/72 in}), as a paper figure needs.
   */
  public static String svg(JFreeChart chart, int width, int height, String idPrefix, boolean inPoints) {
    checkSize(width, height);
    if (!idPrefix.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("SVG id prefix must be an XML name: '" + idPrefix + "'");
    }
    Document doc = newDocument();
    SVGGeneratorContext ctx = SVGGeneratorContext.createDefault(doc);
    ctx.setComment(null); // Batik's default names itself; keep the file about the figure
    ctx.setEmbeddedFontsOn(false);
    ctx.setIDGenerator(new PrefixedIds(idPrefix));
    SVGGraphics2D g2 = new SVGGraphics2D(ctx, false); // false: text as <text>, not outlines
    g2.setSVGCanvasSize(new Dimension(width, height));
    // JFreeChart's axes save this hint and restore it afterwards; start from the default value.
    g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_DEFAULT);
    chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
    Element root = g2.getRoot();
    g2.dispose();
    root.setAttributeNS(null, "viewBox", "0 0 " + width + " " + height);
    if (inPoints) {
      root.setAttributeNS(null, "width", inches(width) + "in");
      root.setAttributeNS(null, "height", inches(height) + "in");
    }
    // Batik names its shared definitions "genericDefs" whatever the id generator says.
    NodeList defs = root.getElementsByTagNameNS(SVG_NS, "defs");
    for (int i = 0; i < defs.getLength(); i++) {
      Element d = (Element) defs.item(i);
      if (!d.getAttribute("id").startsWith(idPrefix)) {
        d.setAttributeNS(null, "id", idPrefix + d.getAttribute("id"));
      }
    }
    doc.replaceChild(root, doc.getDocumentElement());
    // The JDK's serialiser rather than Batik's: no DOCTYPE pointing at a DTD on the web.
    try {
      Transformer t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      t.setOutputProperty(OutputKeys.INDENT, "no");
      StringWriter out = new StringWriter();
      t.transform(new DOMSource(doc), new StreamResult(out));
      String xml = out.toString().replaceFirst("^<\\?xml[^>]*\\?>", "");
      return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml + "\n";
    } catch (TransformerException e) {
      throw new IllegalStateException("the JDK's XML serialiser failed on an SVG document", e);
    }
  }

  /**
   * The chart as a one-page vector PDF, {@code width x height} points. PDFs are made one at a
   * time (the parsed fonts are shared between documents and read again when a document saves
   * its font subsets).
   */
  public static byte[] pdf(JFreeChart chart, int width, int height) {
    checkSize(width, height);
    synchronized (FontFiles.class) {
      try (PDDocument doc = new PDDocument();
          EmbeddedFonts fonts = new EmbeddedFonts()) {
        PDPage page = new PDPage(new PDRectangle(width, height));
        doc.addPage(page);
        PdfBoxGraphics2D g2 = new PdfBoxGraphics2D(doc, width, height);
        g2.setFontTextDrawer(fonts);
        g2.setRenderingHint(
            RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_DEFAULT);
        chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
        g2.dispose();
        PDFormXObject form = g2.getXFormObject();
        try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
          content.drawForm(form);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException("writing PDF", e);
      }
    }
  }

  /** Writes {@link #svg} to {@code file}, replacing it atomically. */
  public static void writeSvg(JFreeChart chart, int width, int height, String idPrefix, Path file) {
    AtomicFiles.writeString(file, svg(chart, width, height, idPrefix));
  }

  /** Writes {@link #pdf} to {@code file}, replacing it atomically. */
  public static void writePdf(JFreeChart chart, int width, int height, Path file) {
    AtomicFiles.writeBytes(file, pdf(chart, width, height));
  }

  /** Points as inches, up to four decimals, no trailing zeros: 234 pt is {@code 3.25}. */
  static String inches(int points) {
    return java.math.BigDecimal.valueOf(points).divide(java.math.BigDecimal.valueOf(72), 4, java.math.RoundingMode.HALF_EVEN)
        .stripTrailingZeros().toPlainString();
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("figure size must be positive: " + width + "x" + height);
    }
  }

  private static Document newDocument() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      return factory.newDocumentBuilder().getDOMImplementation()
          .createDocument(SVG_NS, "svg", null);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser is not configured", e);
    }
  }

  /** Ids {@code <prefix><kind><n>}: deterministic, and unique across figures with their names. */
  private static final class PrefixedIds extends SVGIDGenerator {
    private final String prefix;

    PrefixedIds(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public String generateID(String kind) {
      return prefix + super.generateID(kind);
    }
  }

  /**
   * Maps each Java font to the TrueType file it comes from and embeds that font (as a subset)
   * the first time the chart draws text in it. Returning null for a font makes the bridge draw
   * that text as outlines.
   */
  private static final class EmbeddedFonts extends PdfBoxGraphics2DFontTextDrawer {
    private final Map<String, PDFont> loaded = new HashMap<>();

    @Override
    protected PDFont mapFont(Font font, IPdfBoxGraphics2DFontTextDrawer.IFontTextDrawerEnv env)
        throws IOException, FontFormatException {
      String name = font.getFontName(Locale.ROOT);
      PDFont pd = loaded.get(name);
      if (pd == null) {
        TrueTypeFont ttf = FontFiles.parsed(name);
        if (ttf == null) {
          return null;
        }
        // The parsed font is shared by every document (see pdf() for why that is safe).
        pd = PDType0Font.load(env.getDocument(), ttf, true);
        loaded.put(name, pd);
      }
      return pd;
    }
  }

  /**
   * The machine's TrueType font files by face name, indexed once; each font is parsed once, the
   * first time a figure uses it (parsing a font takes longer than drawing a figure).
   */
  private static final class FontFiles {
    static final Map<String, File> INDEX = scan();
    private static final Map<String, TrueTypeFont> PARSED = new HashMap<>();

    /** Called only inside pdf()'s lock on this class. */
    static TrueTypeFont parsed(String name) throws IOException {
      TrueTypeFont ttf = PARSED.get(name);
      if (ttf == null) {
        File file = INDEX.get(name);
        if (file == null) {
          return null;
        }
        ttf = new TTFParser().parse(new RandomAccessReadBufferedFile(file));
        PARSED.put(name, ttf);
      }
      return ttf;
    }

    private static Map<String, File> scan() {
      Map<String, File> index = new HashMap<>();
      List<Path> dirs = List.of(
          Path.of(System.getProperty("java.home"), "lib", "fonts"),
          Path.of("/usr/share/fonts"), Path.of("/usr/local/share/fonts"),
          Path.of(System.getProperty("user.home"), ".fonts"));
      for (Path dir : dirs) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(dir)) {
          files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ttf"))
              .forEach(p -> {
                try {
                  Font f = Font.createFont(Font.TRUETYPE_FONT, p.toFile());
                  index.putIfAbsent(f.getFontName(Locale.ROOT), p.toFile());
                } catch (FontFormatException | IOException e) {
                  // not a usable TrueType file: its text falls back to outlines
                }
              });
        } catch (IOException | UncheckedIOException e) {
          // an unreadable font folder: its fonts fall back to outlines
        }
      }
      return Map.copyOf(index);
    }
  }
}
