package org.hesspec.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tick positions of a log axis from its range, and their labels; then the ticks on a drawn figure. */
class LogTicksTest {

  @Test
  void aShortRangeGetsIntermediateTicks() {
    // Outliers between 12 and 40: no decade inside, 1-2-5 gives only 20, 1-2-3-5 gives 20 and 30,
    // 1..9 gives three ticks. Exact: the ticks are the doubles nearest m x 10^k.
    assertArrayEquals(new double[] {20, 30, 40}, LogTicks.positions(12, 40));
    // 1-2-5 is enough over 1.2 decades.
    assertArrayEquals(new double[] {5, 10, 20, 50}, LogTicks.positions(4, 80));
    assertArrayEquals(new double[] {0.2, 0.5, 1}, LogTicks.positions(0.15, 1.2));
    // The ends count when they sit on a tick.
    assertArrayEquals(new double[] {10, 20, 50, 100}, LogTicks.positions(10, 100));
    // Nothing finer than the 1..9 mantissas: [11, 19] has no tick at all, [10, 20] its two ends.
    assertArrayEquals(new double[] {}, LogTicks.positions(11, 19));
    assertArrayEquals(new double[] {10, 20}, LogTicks.positions(10, 20));
  }

  @Test
  void twoDecadesOrMoreKeepTheDecades() {
    assertTrue(LogTicks.isShort(1, 99.9));
    assertFalse(LogTicks.isShort(1, 100));
    assertArrayEquals(new double[] {1, 10, 100, 1000}, LogTicks.positions(0.5, 2000));
    assertArrayEquals(new double[] {1e-3, 1e-2, 1e-1}, LogTicks.positions(1e-3, 0.1));
  }

  @Test
  void labelsArePlainNumbersWithoutRoundingNoise() {
    assertEquals("20", LogTicks.label(20));
    assertEquals("0.3", LogTicks.label(0.30000000000000004));
    assertEquals("500000", LogTicks.label(5e5));
    assertEquals("2e6", LogTicks.label(2e6));
    assertEquals("3e-7", LogTicks.label(3e-7));
  }

  @Test
  void badRangesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> LogTicks.positions(0, 10));
    assertThrows(IllegalArgumentException.class, () -> LogTicks.positions(10, 10));
    assertThrows(IllegalArgumentException.class, () -> LogTicks.positions(1, Double.POSITIVE_INFINITY));
  }

  @Test
  void aSweepFigureOverLessThanTwoDecadesLabelsItsTicks() {
    // Outliers and bulk edges from 3 to 38 (1.1 decades) against C = 2..10 (0.7 decades): the 1-2-5 ticks
    // 5, 10, 20 on the eigenvalue axis and 2, 5, 10 on the C axis, as plain numbers (not just "10^1").
    Figure f = EigenvalueFigures.sweep(new FigureText("sweep_check", "check", ""), "classes C",
        new double[] {2, 5, 10}, new double[][] {{12}, {20, 15}, {38, 30, 25}}, new double[] {3, 4, 5});
    String svg = FigureWriter.svg(f);
    for (String tick : List.of(">2<", ">5<", ">10<", ">20<")) {
      assertTrue(svg.contains(tick), tick + " is not a tick label");
    }
  }
}
