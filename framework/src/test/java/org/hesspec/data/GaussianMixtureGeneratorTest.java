package org.hesspec.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianMixtureGeneratorTest {

  @Test
  void sameSeedSameDataDifferentSeedDifferentData() {
    Dataset a = GaussianMixtureGenerator.generate(4, 20, 3.0, 25, 7, Split.TRAIN);
    Dataset b = GaussianMixtureGenerator.generate(4, 20, 3.0, 25, 7, Split.TRAIN);
    Dataset c = GaussianMixtureGenerator.generate(4, 20, 3.0, 25, 8, Split.TRAIN);
    assertArrayEquals(a.features(), b.features());
    assertArrayEquals(a.labels(), b.labels());
    assertFalse(Arrays.equals(a.features(), c.features()));
  }

  @Test
  void exactlyBalancedAndInterleaved() {
    Dataset d = GaussianMixtureGenerator.generate(3, 5, 2.0, 17, 1, Split.TEST);
    assertEquals(51, d.size());
    assertArrayEquals(new int[] {17, 17, 17}, d.classCounts());
    assertArrayEquals(new int[] {5}, d.exampleShape());
    for (int i = 0; i < d.size(); i++) {
      assertEquals(i % 3, d.labels()[i]);
    }
  }

  @Test
  void meansAreCentredAndTheirMeanPairwiseDistanceIsTheSeparation() {
    double[][] mu = GaussianMixtureGenerator.means(10, 50, 4.0, 3);
    assertEquals(4.0, GaussianMixtureGenerator.meanPairwiseDistance(mu), 1e-12);
    for (int d = 0; d < 50; d++) {
      double s = 0;
      for (double[] m : mu) {
        s += m[d];
      }
      assertEquals(0, s, 1e-12);
    }
    double[][] zero = GaussianMixtureGenerator.means(3, 4, 0.0, 3);
    for (double[] m : zero) {
      assertArrayEquals(new double[4], m);
    }
  }

  @Test
  void splitsShareMeansButHaveIndependentNoise() {
    int classes = 2;
    int dims = 4;
    int per = 4000;
    long seed = 11;
    Dataset train = GaussianMixtureGenerator.generate(classes, dims, 6.0, per, seed, Split.TRAIN);
    Dataset test = GaussianMixtureGenerator.generate(classes, dims, 6.0, per, seed, Split.TEST);
    assertFalse(Arrays.equals(train.features(), test.features()));
    double[][] mu = GaussianMixtureGenerator.means(classes, dims, 6.0, seed);
    for (Dataset d : new Dataset[] {train, test}) {
      double[][] mean = new double[classes][dims];
      double[] var = new double[dims];
      for (int i = 0; i < d.size(); i++) {
        int c = d.labels()[i];
        for (int k = 0; k < dims; k++) {
          double v = d.features()[i * dims + k];
          mean[c][k] += v / per;
          var[k] += (v - mu[c][k]) * (v - mu[c][k]) / d.size();
        }
      }
      for (int c = 0; c < classes; c++) {
        for (int k = 0; k < dims; k++) {
          // Sample mean of 4000 unit-variance draws: std error 1/sqrt(4000) = 0.016; 5 sigma.
          assertEquals(mu[c][k], mean[c][k], 0.08, "class " + c + " coordinate " + k);
        }
      }
      for (int k = 0; k < dims; k++) {
        // Noise variance 1; std error of the variance estimate sqrt(2/8000) = 0.016.
        assertEquals(1.0, var[k], 0.08);
      }
    }
    // Train and test noise are uncorrelated (independent streams, not one shifted copy).
    double dot = 0;
    for (int i = 0; i < train.features().length; i++) {
      int c = (i / dims) % classes;
      dot += (train.features()[i] - mu[c][i % dims]) * (test.features()[i] - mu[c][i % dims]);
    }
    assertTrue(Math.abs(dot / train.features().length) < 0.05, "correlation " + dot / train.features().length);
  }

  @Test
  void rejectsImpossibleParameters() {
    assertThrows(IllegalArgumentException.class, () -> GaussianMixtureGenerator.generate(1, 5, 1, 5, 0, Split.TRAIN));
    assertThrows(IllegalArgumentException.class, () -> GaussianMixtureGenerator.generate(2, 0, 1, 5, 0, Split.TRAIN));
    assertThrows(IllegalArgumentException.class, () -> GaussianMixtureGenerator.generate(2, 5, -1, 5, 0, Split.TRAIN));
    assertThrows(IllegalArgumentException.class, () -> GaussianMixtureGenerator.generate(2, 5, Double.NaN, 5, 0, Split.TRAIN));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GaussianMixtureGenerator.generate(2, 5, 1, 0, 0, Split.TRAIN));
    assertTrue(e.getMessage().contains("per_class"), e.getMessage());
  }
}
