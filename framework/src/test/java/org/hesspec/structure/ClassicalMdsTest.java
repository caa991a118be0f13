package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Classical MDS recovers known configurations up to rotation and reflection. */
class ClassicalMdsTest {

  static double[][] gram(double[][] points) {
    int n = points.length;
    double[][] g = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        for (int j = 0; j < points[a].length; j++) {
          g[a][b] += points[a][j] * points[b][j];
        }
      }
    }
    return g;
  }

  /** n random points in the plane z = 0 of R^3, shifted off the origin and rotated into a generic 2-D subspace of R^6. */
  static double[][] planarInR6(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] u = {1, 2, 0, -1, 0.5, 3};
    double[] v = {0, 1, -1, 2, 1, -0.5};
    double[][] p = new double[n][6];
    for (int a = 0; a < n; a++) {
      double s = r.nextDouble(-2, 2);
      double t = r.nextDouble(-2, 2);
      for (int j = 0; j < 6; j++) {
        p[a][j] = 5 + s * u[j] + t * v[j]; // offset 5: double centering must remove it
      }
    }
    return p;
  }

  static void assertSameDistances(double[][] expected, double[][] actual, double tol) {
    for (int a = 0; a < expected.length; a++) {
      for (int b = 0; b < expected.length; b++) {
        assertEquals(Math.sqrt(expected[a][b]), Math.sqrt(actual[a][b]), tol, "distance " + a + "," + b);
      }
    }
  }

  @Test
  void planarPointsAreRecoveredFromTheirGramMatrixAndFromTheirDistances() {
    double[][] p = planarInR6(12, 4);
    double[][] d = ClassicalMds.squaredDistances(p);
    for (ClassicalMds.Embedding e : new ClassicalMds.Embedding[] {ClassicalMds.fromGram(gram(p), 2),
        ClassicalMds.fromSquaredDistances(d, 2)}) {
      // Coordinates live on a scale of ~10 (norms of u, v are ~4, |s|,|t| <= 2); a dense symmetric eigensolver
      // is backward stable to ~1e-15 * |B| ~ 1e-13 here, and sqrt of a distance loses no more: 1e-10 absolute
      // is the brief's bound with three orders of margin.
      assertSameDistances(d, ClassicalMds.squaredDistances(e.coordinates()), 1e-10);
      // All variance lies in the plane: the share of the top two axes is 1 up to rounding of the tiny
      // remaining eigenvalues (~1e-13 against a total of ~1e3).
      assertEquals(1.0, e.varianceShare(), 1e-12);
      assertTrue(e.eigenvalues()[1] > 1, "second axis carries variance: " + e.eigenvalues()[1]);
      assertEquals(2, e.coordinates()[0].length);
    }
  }

  @Test
  void threeDimensionalConfigurationNeedsThreeAxes() {
    // Vertices of a regular tetrahedron (edge 2 sqrt 2) plus its centre: genuinely 3-D.
    double[][] p = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}, {0, 0, 0}};
    double[][] d = ClassicalMds.squaredDistances(p);
    ClassicalMds.Embedding three = ClassicalMds.fromSquaredDistances(d, 3);
    // Same backward-stability argument as above, on numbers of size ~1.
    assertSameDistances(d, ClassicalMds.squaredDistances(three.coordinates()), 1e-10);
    assertEquals(1.0, three.varianceShare(), 1e-12);
    // By symmetry the three axes carry equal variance, so two axes keep exactly 2/3 of it (B = 4 I_3 in the
    // vertex coordinates, eigenvalues 4, 4, 4, 0, 0).
    ClassicalMds.Embedding two = ClassicalMds.fromSquaredDistances(d, 2);
    assertEquals(2.0 / 3.0, two.varianceShare(), 1e-12);
    assertEquals(4.0, two.eigenvalues()[0], 1e-12);
    assertEquals(0.0, two.allEigenvalues()[4], 1e-12);
  }

  @Test
  void nonEuclideanInputKeepsOnlyPositiveAxes() {
    // Three points with d(0,1) = d(1,2) = 1 but d(0,2) = 3 violate the triangle inequality: B has a negative
    // eigenvalue, which must appear in allEigenvalues and get no coordinate.
    double[][] d = {{0, 1, 9}, {1, 0, 1}, {9, 1, 0}};
    ClassicalMds.Embedding e = ClassicalMds.fromSquaredDistances(d, 2);
    assertTrue(e.allEigenvalues()[2] < -0.1 || e.allEigenvalues()[1] < -0.1, "a negative eigenvalue");
    for (int i = 0; i < 2; i++) {
      if (!(e.eigenvalues()[i] > 0)) {
        for (double[] row : e.coordinates()) {
          assertEquals(0.0, row[i], 0.0);
        }
      }
    }
    assertTrue(e.varianceShare() <= 1.0 + 1e-15);
  }

  @Test
  void badInputsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ClassicalMds.fromGram(new double[][] {{1, 0}, {0}}, 1));
    assertThrows(IllegalArgumentException.class, () -> ClassicalMds.fromGram(new double[][] {{1, 0}, {0, 1}}, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassicalMds.fromSquaredDistances(new double[][] {{0, -1}, {-1, 0}}, 1));
    assertTrue(e.getMessage().contains("(0,1)"), e.getMessage());
  }
}
