package org.hesspec.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exact t-SNE: its pieces against their definitions, and its pictures of known configurations. */
class TsneTest {

  /** k Gaussian clusters of m points each in {@code dim} dimensions: centres N(0, sep^2 I), points N(centre, I). */
  static double[][] clusters(int k, int m, int dim, double sep, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] centres = new double[k][dim];
    for (double[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] = sep * gaussian(r);
      }
    }
    double[][] x = new double[k * m][dim];
    for (int a = 0; a < x.length; a++) {
      for (int j = 0; j < dim; j++) {
        x[a][j] = centres[a / m][j] + gaussian(r);
      }
    }
    return x;
  }

  static double gaussian(SplittableRandom r) {
    // Box-Muller from two uniforms in (0, 1].
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  static double distance(double[][] y, int a, int b) {
    return Math.hypot(y[a][0] - y[b][0], y[a][1] - y[b][1]);
  }

  @Test
  void wellSeparatedClustersIn50DimensionsStaySeparated() {
    int k = 5;
    int m = 20;
    // Centre distances ~ sqrt(2 * 50) * 10 = 100 against within-cluster distances ~ sqrt(2 * 50) = 10.
    double[][] x = clusters(k, m, 50, 10, 3);
    Tsne.Embedding e = Tsne.embed(ClassicalMds.squaredDistances(x), Tsne.Options.DEFAULTS);
    double[][] y = e.coordinates();
    int n = k * m;
    // Every point's nearest neighbour in the plane is in its own cluster (100 %, no tolerance).
    for (int a = 0; a < n; a++) {
      int nearest = -1;
      for (int b = 0; b < n; b++) {
        if (b != a && (nearest < 0 || distance(y, a, b) < distance(y, a, nearest))) {
          nearest = b;
        }
      }
      assertEquals(a / m, nearest / m, "nearest neighbour of point " + a);
    }
    // Cluster diameters << inter-cluster gaps: the largest diameter is under a fifth of the smallest
    // distance between two points of different clusters (t-SNE typically gives ratios ~ 0.05 here;
    // 0.2 leaves room for a different seed or summation order while still failing on merged clusters).
    double diameter = 0;
    double gap = Double.POSITIVE_INFINITY;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        if (a / m == b / m) {
          diameter = Math.max(diameter, distance(y, a, b));
        } else {
          gap = Math.min(gap, distance(y, a, b));
        }
      }
    }
    assertTrue(diameter < 0.2 * gap, "largest cluster diameter " + diameter + " against smallest gap " + gap);
  }

  @Test
  void gradientMatchesFiniteDifferencesOfTheDivergence() {
    int n = 8;
    double[][] x = clusters(2, 4, 5, 2, 11);
    double[] p = Tsne.jointProbabilities(Tsne.conditional(ClassicalMds.squaredDistances(x), 2.5).probabilities());
    SplittableRandom r = new SplittableRandom(5);
    double[] y = new double[2 * n];
    for (int i = 0; i < y.length; i++) {
      y[i] = gaussian(r);
    }
    double[] grad = new double[2 * n];
    Tsne.gradient(p, y, n, 1.0, grad);
    double h = 1e-5;
    double scale = Arrays.stream(grad).map(Math::abs).max().orElseThrow();
    for (int i = 0; i < y.length; i++) {
      double[] plus = y.clone();
      double[] minus = y.clone();
      plus[i] += h;
      minus[i] -= h;
      double fd = (Tsne.klDivergence(p, plus, n) - Tsne.klDivergence(p, minus, n)) / (2 * h);
      // Central differences: truncation h^2/6 * |d3 KL| ~ 1e-11 (third derivatives are O(1) at unit
      // distances), rounding eps * KL / h ~ 1e-16 * 1 / 1e-5 = 1e-11; 1e-8 of the gradient's scale
      // (~0.1) leaves a margin of 100 and still catches a wrong factor or a missing term.
      assertEquals(fd, grad[i], 1e-8 * Math.max(scale, 1), "d KL / d y_" + i);
    }
    // The exaggerated gradient is that of KL(e P || Q) up to the e ln e term: attraction scales by e.
    double[] exaggerated = new double[2 * n];
    Tsne.gradient(p, y, n, 3.0, exaggerated);
    double[] triple = Arrays.stream(p).map(v -> 3 * v).toArray();
    double[] expected = new double[2 * n];
    Tsne.gradient(triple, y, n, 1.0, expected);
    // Same sums in the same order, 3 * (p w) against (3 p) w: equal to a few ulps of the attraction.
    assertArrayEquals(expected, exaggerated, 1e-14 * Math.max(scale, 1));
  }

  @Test
  void perplexitySearchReachesItsTargetEntropy() {
    double[][] d = ClassicalMds.squaredDistances(clusters(4, 25, 20, 3, 7));
    for (double perplexity : new double[] {2, 5, 15, 30}) {
      Tsne.Conditional c = Tsne.conditional(d, perplexity);
      for (int a = 0; a < d.length; a++) {
        // The brief's bound: |H_a - ln(perplexity)| < 1e-5 nats (the search stops at 1e-7).
        assertEquals(Math.log(perplexity), c.entropy()[a], 1e-5, "row " + a + ", perplexity " + perplexity);
        // And the reported entropy is that of the returned row (recomputed from p directly).
        double h = 0;
        double sum = 0;
        for (int b = 0; b < d.length; b++) {
          double q = c.probabilities()[a][b];
          sum += q;
          if (q > 0) {
            h -= q * Math.log(q);
          }
        }
        assertEquals(1, sum, 1e-12, "row " + a + " sums to 1");
        assertEquals(0, c.probabilities()[a][a], 0, "no self-affinity");
        assertEquals(c.entropy()[a], h, 1e-10, "entropy of row " + a);
      }
    }
  }

  @Test
  void perplexityIsClampedForFewPoints() {
    assertEquals(5.0 / 3, Tsne.effectivePerplexity(6, 30), 0);
    assertEquals(30, Tsne.effectivePerplexity(110, 30), 0);
    assertEquals(1, Tsne.effectivePerplexity(2, 30), 0);
    // Six points (C = 2: two class means and four cross means) embed, with the clamped perplexity.
    Tsne.Embedding e = Tsne.embed(ClassicalMds.squaredDistances(clusters(2, 3, 4, 5, 1)), Tsne.Options.DEFAULTS);
    assertEquals(5.0 / 3, e.perplexity(), 0);
    assertEquals(6, e.coordinates().length);
    for (double[] row : e.coordinates()) {
      assertTrue(Double.isFinite(row[0]) && Double.isFinite(row[1]));
    }
    // Two points: each is the other's only neighbour.
    Tsne.Embedding two = Tsne.embed(new double[][] {{0, 4}, {4, 0}}, Tsne.Options.DEFAULTS.withIterations(100));
    assertTrue(distance(two.coordinates(), 0, 1) > 0);
  }

  @Test
  void sameSeedGivesTheSamePictureAndAnotherSeedAnother() {
    double[][] d = ClassicalMds.squaredDistances(clusters(3, 10, 10, 4, 2));
    Tsne.Options o = Tsne.Options.DEFAULTS.withIterations(300).withSeed(42);
    Tsne.Embedding a = Tsne.embed(d, o);
    Tsne.Embedding b = Tsne.embed(d, o);
    for (int i = 0; i < d.length; i++) {
      assertArrayEquals(a.coordinates()[i], b.coordinates()[i], 0, "bitwise equal, point " + i);
    }
    assertEquals(a.divergence(), b.divergence(), 0);
    Tsne.Embedding c = Tsne.embed(d, o.withSeed(43));
    assertFalse(Arrays.deepEquals(a.coordinates(), c.coordinates()), "another seed, another start");
  }

  @Test
  void aRigidMotionOfTheInputLeavesTheAffinitiesAndThePictureUnchanged() {
    int k = 3;
    int m = 12;
    double[][] x = clusters(k, m, 6, 10, 9);
    int dim = x[0].length;
    // A generic rotation (Gram-Schmidt of a random matrix) and a translation: distances change only by rounding.
    SplittableRandom r = new SplittableRandom(17);
    double[][] q = new double[dim][dim];
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        q[i][j] = gaussian(r);
      }
      for (int l = 0; l < i; l++) {
        double dot = 0;
        for (int j = 0; j < dim; j++) {
          dot += q[i][j] * q[l][j];
        }
        for (int j = 0; j < dim; j++) {
          q[i][j] -= dot * q[l][j];
        }
      }
      double norm = Math.sqrt(Arrays.stream(q[i]).map(v -> v * v).sum());
      for (int j = 0; j < dim; j++) {
        q[i][j] /= norm;
      }
    }
    double[][] moved = new double[x.length][dim];
    for (int a = 0; a < x.length; a++) {
      for (int i = 0; i < dim; i++) {
        moved[a][i] = 7.5 - 3 * i;
        for (int j = 0; j < dim; j++) {
          moved[a][i] += q[i][j] * x[a][j];
        }
      }
    }
    double[][] d = ClassicalMds.squaredDistances(x);
    double[][] dMoved = ClassicalMds.squaredDistances(moved);
    assertFalse(Arrays.deepEquals(d, dMoved), "the motion must perturb the distances by rounding, or the test tests nothing");
    // The affinities, the only way the input enters: distances differ by ~1e-15 relative, the
    // bandwidth searches take the same bisection steps, so P agrees to ~1e-14 relative; 1e-10 bounds it.
    double perplexity = Tsne.effectivePerplexity(x.length, 30);
    double[] p = Tsne.jointProbabilities(Tsne.conditional(d, perplexity).probabilities());
    double[] pMoved = Tsne.jointProbabilities(Tsne.conditional(dMoved, perplexity).probabilities());
    for (int i = 0; i < p.length; i++) {
      assertEquals(p[i], pMoved[i], 1e-10 * p[i], "p of pair " + i);
    }
    // The pictures: t-SNE's descent amplifies rounding (measured: a 1e-15 change of one distance moves
    // points by O(1) after 1000 steps, as sign tests of the gains flip), so two runs agree in what
    // t-SNE determines, not bit for bit: both keep every cluster together and apart, and reach the
    // same divergence within 10 % (converged runs here differ by ~1 %).
    Tsne.Embedding a = Tsne.embed(d, Tsne.Options.DEFAULTS);
    Tsne.Embedding b = Tsne.embed(dMoved, Tsne.Options.DEFAULTS);
    for (Tsne.Embedding e : List.of(a, b)) {
      double[][] y = e.coordinates();
      for (int i = 0; i < x.length; i++) {
        int nearest = -1;
        for (int j = 0; j < x.length; j++) {
          if (j != i && (nearest < 0 || distance(y, i, j) < distance(y, i, nearest))) {
            nearest = j;
          }
        }
        assertEquals(i / m, nearest / m, "nearest neighbour of point " + i);
      }
    }
    assertEquals(a.divergence(), b.divergence(), 0.1 * a.divergence());
  }

  @Test
  void divergenceDecreases() {
    double[][] d = ClassicalMds.squaredDistances(clusters(4, 15, 30, 2, 12));
    Tsne.Embedding e = Tsne.embed(d, Tsne.Options.DEFAULTS);
    List<Tsne.TracePoint> t = e.trace();
    assertEquals(0, t.get(0).iteration());
    assertEquals(1000, t.get(t.size() - 1).iteration());
    assertEquals(e.divergence(), t.get(t.size() - 1).divergence(), 0);
    // The exaggerated phase optimises another objective, so only its end point is compared; from
    // there on every recorded value is at most the previous one plus 1e-9 relative (rounding in
    // the sums once the descent has converged), and the end is well below the start.
    double previous = Double.POSITIVE_INFINITY;
    for (Tsne.TracePoint p : t) {
      if (p.iteration() >= 250) {
        assertTrue(p.divergence() <= previous * (1 + 1e-9), "KL rose at iteration " + p.iteration() + ": " + t);
        previous = p.divergence();
      }
    }
    assertTrue(e.divergence() < 0.5 * t.get(0).divergence(), "KL " + e.divergence() + " from " + t.get(0).divergence());
    assertTrue(e.divergence() >= 0);
  }

  @Test
  void gramAndDistanceInputsAgree() {
    double[][] x = clusters(2, 5, 4, 3, 8);
    double[][] d = ClassicalMds.squaredDistances(x);
    double[][] fromGram = Tsne.squaredDistancesFromGram(ClassicalMdsTest.gram(x));
    for (int a = 0; a < d.length; a++) {
      for (int b = 0; b < d.length; b++) {
        // |x|^2 ~ 50 here; the Gram route cancels to ~1e-13 absolute.
        assertEquals(d[a][b], fromGram[a][b], 1e-11, a + "," + b);
      }
    }
    // A duplicated point: cancellation may leave -1e-15, which becomes 0.
    double[][] dup = {x[0], x[0], x[1]};
    assertEquals(0, Tsne.squaredDistancesFromGram(ClassicalMdsTest.gram(dup))[0][1], 0);
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThrows(IllegalArgumentException.class, () -> Tsne.embed(new double[][] {{0}}, Tsne.Options.DEFAULTS));
    assertThrows(IllegalArgumentException.class, () -> Tsne.embed(new double[][] {{0, 1}, {1}}, Tsne.Options.DEFAULTS));
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
        () -> Tsne.embed(new double[][] {{0, -1, 1}, {-1, 0, 1}, {1, 1, 0}}, Tsne.Options.DEFAULTS));
    assertTrue(neg.getMessage().contains("(0,1)"), neg.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Tsne.embed(new double[][] {{0, 1, 2}, {1, 0, 1}, {3, 1, 0}}, Tsne.Options.DEFAULTS));
    assertThrows(IllegalArgumentException.class,
        () -> Tsne.embed(new double[][] {{0, Double.NaN}, {Double.NaN, 0}}, Tsne.Options.DEFAULTS));
    assertThrows(IllegalArgumentException.class, () -> Tsne.Options.DEFAULTS.withPerplexity(0.5));
    assertThrows(IllegalArgumentException.class, () -> Tsne.Options.DEFAULTS.withIterations(-1));
    assertThrows(IllegalArgumentException.class, () -> Tsne.Options.DEFAULTS.withLearningRate(0));
    assertThrows(IllegalArgumentException.class,
        () -> Tsne.squaredDistancesFromGram(new double[][] {{1, 2}, {2, 1}}));
  }
}
