package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  @TempDir Path out;

  @Test
  void reportEmbedsEveryFigureAndTheKeyNumbers() throws Exception {
    RunDirectory run =
        RunDirectory.create(out, new RunId("20250301T142233Z-abcdef"), Map.of("seed", 7));
    List<SummaryRow> summary =
        List.of(
            new SummaryRow("10", "train", "hessian", "outlier_count", 10),
            new SummaryRow("10", "train", "hessian", "bulk_edge", 1.2345678),
            new SummaryRow("10", "train", "hessian", "tail_exponent", 2.5e-7),
            new SummaryRow("51", "test", "G", "bulk_edge", Double.NaN));
    run.table(Tables.SUMMARY).append(summary);
    run.table(Tables.DENSITY)
        .append(List.of(new DensityRow("10", "train", "hessian", "linear", 0, 1)));
    List<Figure> some = List.of(FigureGallery.all().get(0), FigureGallery.embeddingFigure());
    List<RenderedFigure> rendered = new ArrayList<>();
    for (Figure f : some) {
      rendered.add(FigureWriter.write(f, run.figures()));
    }
    Map<String, Object> params = new LinkedHashMap<>(FigureGallery.params());
    params.put("model", "<fmnist & mlp>");
    HtmlReport report =
        new HtmlReport("fmnist-mlp 20250301T142233Z-abcdef", params, summary, rendered,
            HtmlReport.tablesIn(run.root()));
    Path file = report.write(run.root());
    String beforeMove = report.render(run.root());
    run.complete();
    String html = Files.readString(run.finalPath().resolve("report.html"));

    for (RenderedFigure f : rendered) {
      byte[] png = Files.readAllBytes(run.finalPath().resolve("figures/" + f.name() + ".png"));
      assertTrue(html.contains("data:image/png;base64," + Base64.getEncoder().encodeToString(png)),
          f.name() + " not embedded");
      assertTrue(html.contains(HtmlReport.esc(f.caption())), f.name() + " caption missing");
      assertTrue(html.contains("href=\"figures/" + f.name() + ".svg\""));
    }
    assertTrue(html.contains("<td class=\"num\" title=\"10\">10</td>"), html);
    assertTrue(html.contains("<td class=\"num\" title=\"1.2345678\">1.235</td>"));
    assertTrue(html.contains("title=\"2.5E-7\">2.5e-7</td>"));
    assertTrue(html.contains("<th>bulk edge</th>"));
    assertTrue(html.contains("<td>51</td><td>test</td><td>G</td>"));
    assertTrue(html.contains("&lt;fmnist &amp; mlp&gt;"));
    assertTrue(html.contains("<a href=\"density.csv\">") && html.contains("<a href=\"summary.csv\">"));
    assertTrue(html.indexOf("density.csv") < html.indexOf("summary.csv"));
    // Offline: nothing fetched from elsewhere, nothing executed.
    assertFalse(html.contains("<script"));
    assertFalse(html.contains("http://") || html.contains("https://"));
    assertFalse(html.contains("<link"));
    assertEquals(beforeMove, html);
    assertEquals(out.resolve(".20250301T142233Z-abcdef.partial/report.html"), file);
  }

  @Test
  void tablesInListsContractTablesFirst() throws Exception {
    Files.writeString(out.resolve("zeta.csv"), "a\n");
    Files.writeString(out.resolve("alpha.csv"), "a\n");
    TableFile.in(out, Tables.SUMMARY).append(List.of());
    TableFile.in(out, Tables.RITZ).append(List.of());
    assertEquals(List.of("ritz.csv", "summary.csv", "alpha.csv", "zeta.csv"),
        HtmlReport.tablesIn(out));
  }
}
