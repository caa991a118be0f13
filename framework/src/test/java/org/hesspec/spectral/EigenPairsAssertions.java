package org.hesspec.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions on {@link EigenPairs} shared by the tests of the spectral and curvature packages. */
public final class EigenPairsAssertions {
  private EigenPairsAssertions() {}

  /**
   * {@code actual} is {@code expected} bit for bit: eigenvalues, residuals, every vector, the
   * products spent and the restarts (a resumed run against the uninterrupted one).
   */
  public static void assertIdentical(EigenPairs expected, EigenPairs actual) {
    assertArrayEquals(expected.eigenvalues(), actual.eigenvalues());
    assertArrayEquals(expected.residuals(), actual.residuals());
    for (int i = 0; i < expected.count(); i++) {
      assertArrayEquals(expected.vectors()[i], actual.vectors()[i]);
    }
    assertEquals(expected.products(), actual.products());
    assertEquals(expected.restarts(), actual.restarts());
  }
}
