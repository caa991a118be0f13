package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real headless browser (Chromium) at 1280 px: it loads with the network unreachable,
 * every figure is decoded, and the page has no horizontal overflow even with a wide key-numbers table.
 * CI installs Chromium ({@code .ci/run}) and there the test is required; elsewhere it is skipped when no
 * browser is installed.
 */
class ReportInBrowserTest {

  @TempDir Path out;

  private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

  /** A script appended to a copy of the page: it records what the page looks like once loaded. */
  private static final String PROBE = "<script>window.addEventListener('load', () => {"
      + " const b = document.body;"
      + " b.setAttribute('data-scroll-width', document.documentElement.scrollWidth);"
      + " b.setAttribute('data-client-width', document.documentElement.clientWidth);"
      + " b.setAttribute('data-images', document.images.length);"
      + " b.setAttribute('data-decoded', [...document.images].filter(i => i.complete && i.naturalWidth > 0).length);"
      + "});</script>";

  @Test
  void reportLoadsOfflineWithEveryFigureAndNoHorizontalOverflowAt1280px() throws Exception {
    check(FigureStyle.DEFAULT);
  }

  /** The paper style's PNGs are 975-2025 pixels wide (300 dpi): the page must still fit 1280 px. */
  @Test
  void paperStyleReportAlsoLoadsOfflineWithoutOverflow() throws Exception {
    check(FigureStyle.PAPER);
  }

  private void check(FigureStyle style) throws Exception {
    Path browser = BROWSERS.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    if (browser == null) {
      Assumptions.assumeTrue(System.getenv("CI") == null, "CI must have a browser: .ci/run installs chromium");
      Assumptions.abort("no Chromium installed (apt-get install chromium); the report is not checked in a browser");
    }
    RunDirectory run = RunDirectory.create(out, new RunId("20250301T142233Z-abcdef"), Map.of("seed", 7));
    // A wide summary: many quantities per operator, as a real run writes.
    List<SummaryRow> summary = new ArrayList<>();
    for (String split : List.of("train", "test")) {
      for (String op : List.of("hessian", "G", "H", "hessian_deflated")) {
        for (int q = 0; q < 40; q++) {
          summary.add(new SummaryRow("506", split, op, "a_rather_long_quantity_name_" + q, 1.2345678e-7 * (q + 1)));
        }
      }
      summary.add(new SummaryRow("506", split, "model", split + "_loss", 0.001));
      summary.add(new SummaryRow("506", split, "model", "nc1", 0.2));
      summary.add(new SummaryRow("506", split, "G", "means_share", 0.6));
    }
    List<RenderedFigure> rendered = new ArrayList<>();
    for (Figure f : FigureGallery.all()) {
      rendered.add(FigureWriter.write(f, run.figures(), style));
    }
    Path page = new HtmlReport("browser check", FigureGallery.params(), summary, rendered, HtmlReport.tablesIn(run.root()))
        .write(run.root());
    String html = Files.readString(page, StandardCharsets.UTF_8);
    Path probed = run.root().resolve("probed.html");
    Files.writeString(probed, html.replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);

    Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", // every network request fails
        "--user-data-dir=" + out.resolve("profile"), "--window-size=1280,900", "--hide-scrollbars",
        "--virtual-time-budget=10000", "--dump-dom", probed.toUri().toString())
        .redirectError(out.resolve("browser.log").toFile()).start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "browser did not finish");
    assertEquals(0, p.exitValue(), () -> "browser failed: " + read(out.resolve("browser.log")));

    int images = attribute(dom, "data-images");
    assertEquals(rendered.size(), images, "one image per figure");
    assertEquals(images, attribute(dom, "data-decoded"), "every figure decoded (embedded, no network)");
    int scroll = attribute(dom, "data-scroll-width");
    int client = attribute(dom, "data-client-width");
    assertTrue(client > 1200 && client <= 1280, "viewport " + client);
    assertTrue(scroll <= client, "horizontal overflow: page " + scroll + " px wide in a " + client + " px window");
  }

  private static int attribute(String dom, String name) {
    Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(dom);
    assertTrue(m.find(), name + " not set: the page did not finish loading");
    return Integer.parseInt(m.group(1));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "(no log)";
    }
  }
}
