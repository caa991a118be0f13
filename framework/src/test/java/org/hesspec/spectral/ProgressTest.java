package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void reportsEveryProductWithElapsedTimeAndAnEtaThatReachesZero() {
    List<Progress> reports = new ArrayList<>();
    double[] d = {-3, -0.5, 1, 2, 7, 7, 7};
    EigenPairs pairs =
        TopEigen.compute(
            new DiagonalOperator(d), TopEigenConfig.of(1, 1).withBasisSize(6).withMaxProducts(40),
            RunOptions.sequential().withListener(reports::add));
    // One report per product of the iteration, plus the report of the run finishing (the final
    // residual product is not reported per product).
    long iteration = pairs.products() - 1;
    assertEquals(iteration + 1, reports.size());
    for (int i = 0; i < iteration; i++) {
      Progress p = reports.get(i);
      assertEquals("top-eigen", p.task());
      assertEquals(i + 1, p.step());
      assertEquals(40, p.steps());
      assertTrue(!p.elapsed().isNegative());
    }
    assertEquals(Duration.ZERO, reports.get(reports.size() - 1).eta());
    assertTrue(reports.get(0).toString().startsWith("top-eigen run 1/1 step 1/40"));
  }

  @Test
  void throttledListenerDropsReportsWithinTheIntervalButKeepsRunEnds() {
    List<Progress> seen = new ArrayList<>();
    ProgressListener throttled = ProgressListener.throttled(seen::add, Duration.ofHours(1));
    for (int step = 1; step <= 10; step++) {
      throttled.progress(new Progress("density", 0, 1, step, 10, Duration.ZERO, null));
    }
    assertEquals(2, seen.size()); // the first, and the one completing the run
    assertEquals(10, seen.get(1).step());
    assertNull(seen.get(0).eta());
  }
}
