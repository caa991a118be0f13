package org.hesspec.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimingTest {

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    Timing t = Timing.of(new double[] {4, 1, 3, 2});
    assertEquals(2.5, t.median());
    assertEquals(1, t.min());
    assertEquals(4, t.max());
    assertEquals(4, t.runs());
  }

  @Test
  void quantileInterpolatesBetweenOrderStatistics() {
    double[] x = {10, 0, 30, 20, 40};
    // type 7: h = (n - 1) q on the sorted values 0, 10, 20, 30, 40
    assertEquals(0, Timing.quantile(x, 0));
    assertEquals(10, Timing.quantile(x, 0.25));
    assertEquals(20, Timing.quantile(x, 0.5));
    assertEquals(35, Timing.quantile(x, 0.875));
    assertEquals(40, Timing.quantile(x, 1));
    assertEquals(5, Timing.quantile(new double[] {0, 10}, 0.5));
    assertEquals(10, x[0]); // the input is not reordered
  }
}
