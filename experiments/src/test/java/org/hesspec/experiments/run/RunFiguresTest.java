package org.hesspec.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.hesspec.report.DensityRow;
import org.hesspec.report.RenderedFigure;
import org.hesspec.report.SummaryRow;
import org.hesspec.report.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlays state each curve's kernel width when the widths differ, and the one width in the caption when equal. */
class RunFiguresTest {

  @TempDir Path dir;

  private static Rows rows(double hessianWidth, double gWidth) {
    Rows r = new Rows();
    for (String op : List.of("hessian", "G")) {
      for (int i = 0; i <= 100; i++) {
        double x = i / 10.0;
        r.of(Tables.DENSITY).add(new DensityRow(Tables.NO_SWEEP, "train", op, "linear", x, Math.exp(-(x - 3) * (x - 3)) + 1e-3));
      }
      r.of(Tables.SUMMARY).add(new SummaryRow(Tables.NO_SWEEP, "train", op, "kernel_width", op.equals("G") ? gWidth : hessianWidth));
    }
    return r;
  }

  private RenderedFigure overlay(Rows r) {
    FigureContext ctx = new FigureContext(OptionalInt.of(64), OptionalInt.of(2), 7, "float32", "sweep");
    return RunFigures.draw(r, ctx, List.of(Tables.NO_SWEEP), 10, dir).stream()
        .filter(f -> f.name().equals("density_train_logy")).findFirst().orElseThrow();
  }

  @Test
  void differentWidthsAreInTheLegend() throws IOException {
    RenderedFigure f = overlay(rows(0.01, 0.025));
    String svg = Files.readString(f.svg(), StandardCharsets.UTF_8);
    assertTrue(svg.contains(">hessian (kernel width 0.01)<"), "hessian's width in the legend");
    assertTrue(svg.contains(">G (kernel width 0.025)<"), "G's width in the legend");
    assertFalse(f.caption().contains("kernel width = "), f.caption());
    assertTrue(f.caption().contains("each curve's in the legend"), f.caption());
  }

  @Test
  void oneWidthIsInTheCaption() throws IOException {
    RenderedFigure f = overlay(rows(0.01, 0.01));
    String svg = Files.readString(f.svg(), StandardCharsets.UTF_8);
    assertTrue(svg.contains(">hessian<") && svg.contains(">G<"), "plain legend labels");
    assertTrue(f.caption().contains("kernel width = 0.01"), f.caption());
    assertEquals(f.caption(), Files.readString(dir.resolve("density_train_logy.txt")).split("\n")[1]);
  }
}
