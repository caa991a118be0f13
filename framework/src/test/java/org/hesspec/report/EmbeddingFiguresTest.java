package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedding figure drawn from synthetic {@code embedding.csv} rows (real MDS and t-SNE of
 * synthetic means) for C = 10 and C = 2. The PNGs land in {@code target/embedding-figures/} (not in
 * git) for looking at them.
 */
class EmbeddingFiguresTest {

  static final Path OUT = Path.of("target", "embedding-figures");

  static Figure draw(int classes, List<EmbeddingRow> rows, List<String> names) {
    return EmbeddingFigures.embedding(
        FigureText.of("class-means-embedding_train_C" + classes, "Class means and cross-class means of G, train split",
            Map.of("t-SNE perplexity", 30, "iterations", 1000, "seed", 7)),
        rows, names);
  }

  @Test
  void tenClassesTwoPanelsEveryClassMeanLabelled() throws Exception {
    List<EmbeddingRow> rows = EmbeddingDemo.rows(10, 7);
    Figure f = draw(10, rows, FigureGallery.CLASS_NAMES);
    Files.createDirectories(OUT);
    FigureWriter.write(f, OUT);
    assertEquals(120 + 2 * 680, f.width());
    String svg = FigureWriter.svg(f).replace("&apos;", "'").replace("&#39;", "'");
    for (String expected : List.of("classical MDS", "t-SNE", "class means δ_c (labelled)", "self means d_c,c",
        "cross-class means d_c,c' (c' ≠ c)", "c = T-shirt", "c = Boot")) {
      assertTrue(svg.contains(expected), "'" + expected + "' missing");
    }
    // Each class name is drawn once per panel as a label, once more in the legend.
    for (String name : FigureGallery.CLASS_NAMES) {
      assertEquals(3, count(svg, ">" + name + "<") + count(svg, ">c = " + name + "<"), name);
    }
  }

  @Test
  void twoClassesAndOneMethod() throws Exception {
    List<EmbeddingRow> rows = EmbeddingDemo.rows(2, 3);
    Figure both = draw(2, rows, List.of());
    Files.createDirectories(OUT);
    FigureWriter.write(both, OUT);
    String svg = FigureWriter.svg(both);
    assertTrue(svg.contains(">c = 0<") && svg.contains(">c = 1<"), "classes without names are called by their index");
    Figure mdsOnly = draw(2, rows.stream().filter(r -> r.method().equals("mds")).toList(), List.of());
    assertEquals(120 + 680, mdsOnly.width());
    String one = FigureWriter.svg(mdsOnly);
    assertTrue(one.contains("classical MDS"));
    assertFalse(one.contains("t-SNE 1"));
  }

  @Test
  void manyClassesShareTheTenColoursAndSaySo() {
    List<EmbeddingRow> rows = new java.util.ArrayList<>();
    for (int c = 0; c < 12; c++) {
      rows.add(new EmbeddingRow("", "train", "tsne", "class_mean", c, EmbeddingRow.NONE, Math.cos(c), Math.sin(c)));
      rows.add(new EmbeddingRow("", "train", "tsne", "cross_mean", c, (c + 1) % 12, 0.8 * Math.cos(c), 0.8 * Math.sin(c)));
    }
    String svg = FigureWriter.svg(draw(12, rows, List.of()));
    assertTrue(svg.contains("10 colours, repeating"));
    assertFalse(svg.contains(">c = 11<"));
  }

  @Test
  void rejectsUnknownKindsAndNoRows() {
    assertThrows(IllegalArgumentException.class, () -> draw(1, List.of(), List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> draw(1,
        List.of(new EmbeddingRow("", "train", "mds", "class_means", 0, EmbeddingRow.NONE, 0, 0)), List.of()));
    assertTrue(e.getMessage().contains("class_means"), e.getMessage());
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
