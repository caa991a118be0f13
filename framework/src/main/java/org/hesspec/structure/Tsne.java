package org.hesspec.structure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Exact t-SNE into the plane: the t-SNE pictures of the class means and cross-class means in
 * Papyan's talk. Algorithm of van der Maaten and Hinton, "Visualizing data using t-SNE", JMLR 9
 * (2008), with the optimiser of their reference implementation; every pair of points is summed
 * (no Barnes-Hut approximation), which is what a few hundred or a few thousand points need.
 *
 * <p>The input is the n x n matrix of squared distances {@code D_ab = |x_a - x_b|^2} (for points
 * known by their Gram matrix K: {@code D_ab = K_aa + K_bb - 2 K_ab}, see {@link
 * #squaredDistancesFromGram}); the points themselves are never needed.
 *
 * <pre>
 *   p_{b|a} = exp(-beta_a D_ab) / sum_{k != a} exp(-beta_a D_ak)       (p_{a|a} = 0)
 *   beta_a  by bisection so that H_a = -sum_b p_{b|a} ln p_{b|a} = ln(perplexity)
 *   p_ab    = (p_{b|a} + p_{a|b}) / (2n)
 *   q_ab    = w_ab / Z,  w_ab = 1 / (1 + |y_a - y_b|^2),  Z = sum_{k != l} w_kl
 *   KL(P||Q) = sum_{a != b} p_ab ln(p_ab / q_ab)
 *   dKL/dy_a = 4 sum_b (p_ab - q_ab) w_ab (y_a - y_b)
 * </pre>
 *
 * The perplexity is clamped to {@code (n-1)/3} (and to at least 1) so that a few points still have
 * a well-posed bandwidth. The descent: {@code Y ~ N(0, 1e-4 I)} from the seed; for the first
 * {@code exaggerationIterations} steps P is multiplied by the early exaggeration (12) and the
 * momentum is 0.5, afterwards 0.8; each coordinate has an adaptive gain (+0.2 while the descent
 * keeps its direction, i.e. the gradient and the last step have opposite signs, x0.8 when it
 * overshoots, at least 0.01; Jacobs 1988, as in the reference implementation). The learning rate defaults to {@code n / (4 * exaggeration)}
 * (Belkina et al. 2019, "Automated optimized parameters for t-SNE", Nat. Commun. 10; Linderman and
 * Steinerberger 2019, SIAM J. Math. Data Sci. 1): while exaggerated and compact, the gradient is
 * about {@code 4 * exaggeration * L_P y} with L_P the graph Laplacian of P, whose largest eigenvalue
 * is at most twice the largest row sum of P, about {@code 2 / n}; plain descent is stable below
 * {@code 2 / (8 * exaggeration / n)}, and larger rates oscillate. (The reference implementation's
 * fixed rate, and scikit-learn's floor of 50, are far above this bound for a few hundred points.)
 *
 * <p>Cost: O(n^2) time per iteration and n^2/2 doubles of memory (P): 0.06 s of CPU for 110 points
 * (C = 10), 17 s for 2550 (C = 50), 1000 iterations, measured on a loaded 2-core machine. The
 * result is a deterministic function of the distances and the options (one thread, fixed
 * summation order), but not a continuous one: the descent amplifies rounding-size changes of the
 * input into visibly different pictures of similar divergence. The picture is unique only up to
 * rotation and reflection, and t-SNE distances between clusters carry no meaning.
 */
public final class Tsne {

  private Tsne() {}

  /** Relative tolerance below which a negative squared distance counts as rounding and becomes 0. */
  private static final double NEGATIVE_TOLERANCE = 1e-9;
  /** The perplexity search stops when |H - ln(perplexity)| is below this (nats). */
  static final double ENTROPY_TOLERANCE = 1e-7;
  private static final int SEARCH_STEPS = 200;
  private static final double MIN_GAIN = 0.01;
  private static final double INITIAL_SD = 1e-2;
  /** The largest n: memory n^2/2 doubles (1.6 GB) and time O(n^2) per step grow quickly beyond. */
  public static final int MAX_POINTS = 20_000;
  /** The KL divergence is recorded every this many iterations. */
  public static final int TRACE_EVERY = 50;

  /**
   * The settings.
   *
   * @param perplexity target perplexity (the effective number of neighbours), before the clamp to
   *     {@code (n-1)/3}
   * @param iterations gradient steps
   * @param seed the seed of the initial configuration
   * @param learningRate the step size; NaN for {@code n / (4 * earlyExaggeration)}
   * @param earlyExaggeration the factor on P during the first steps
   * @param exaggerationIterations how many steps are exaggerated (and run with momentum 0.5)
   */
  public record Options(double perplexity, int iterations, long seed, double learningRate,
      double earlyExaggeration, int exaggerationIterations) {

    /** Perplexity 30, 1000 iterations, seed 0, automatic learning rate, exaggeration 12 for 250 steps. */
    public static final Options DEFAULTS = new Options(30, 1000, 0, Double.NaN, 12, 250);

    public Options {
      if (!(perplexity >= 1) || Double.isInfinite(perplexity)) {
        throw new IllegalArgumentException("t-SNE perplexity must be a finite number >= 1, got " + perplexity);
      }
      if (iterations < 0) {
        throw new IllegalArgumentException("t-SNE iterations must be >= 0, got " + iterations);
      }
      if (!Double.isNaN(learningRate) && !(learningRate > 0 && Double.isFinite(learningRate))) {
        throw new IllegalArgumentException("t-SNE learning rate must be > 0 (or NaN for automatic), got " + learningRate);
      }
      if (!(earlyExaggeration >= 1) || Double.isInfinite(earlyExaggeration)) {
        throw new IllegalArgumentException("t-SNE early exaggeration must be >= 1, got " + earlyExaggeration);
      }
      if (exaggerationIterations < 0) {
        throw new IllegalArgumentException("t-SNE exaggeration iterations must be >= 0, got " + exaggerationIterations);
      }
    }

    public Options withPerplexity(double p) {
      return new Options(p, iterations, seed, learningRate, earlyExaggeration, exaggerationIterations);
    }

    public Options withIterations(int n) {
      return new Options(perplexity, n, seed, learningRate, earlyExaggeration, exaggerationIterations);
    }

    public Options withSeed(long s) {
      return new Options(perplexity, iterations, s, learningRate, earlyExaggeration, exaggerationIterations);
    }

    public Options withLearningRate(double eta) {
      return new Options(perplexity, iterations, seed, eta, earlyExaggeration, exaggerationIterations);
    }

    public Options withExaggeration(double factor, int steps) {
      return new Options(perplexity, iterations, seed, learningRate, factor, steps);
    }

    /** The learning rate used for n points. */
    public double learningRate(int n) {
      return Double.isNaN(learningRate) ? n / (4 * earlyExaggeration) : learningRate;
    }
  }

  /** The KL divergence after {@code iteration} steps (of the plain P, also while exaggerated). */
  public record TracePoint(int iteration, double divergence) {}

  /**
   * A t-SNE picture.
   *
   * @param coordinates n x 2 coordinates, row a = point a, centred on the origin
   * @param divergence the final KL(P||Q) in nats
   * @param perplexity the perplexity used (after the clamp)
   * @param learningRate the learning rate used
   * @param trace KL(P||Q) at iteration 0, every {@link #TRACE_EVERY} iterations and at the end
   */
  public record Embedding(double[][] coordinates, double divergence, double perplexity, double learningRate,
      List<TracePoint> trace) {

    public Embedding {
      coordinates = deepCopy(coordinates);
      trace = List.copyOf(trace);
    }

    @Override
    public double[][] coordinates() {
      return deepCopy(coordinates);
    }
  }

  /** The perplexity t-SNE uses for n points: the request clamped to {@code [1, max(1, (n-1)/3)]}. */
  public static double effectivePerplexity(int n, double requested) {
    return Math.max(1.0, Math.min(requested, (n - 1) / 3.0));
  }

  /**
   * t-SNE of n >= 2 points given by their squared distances (symmetric, non-negative, finite; the
   * diagonal is ignored; negative entries within 1e-9 of the largest entry count as 0).
   */
  public static Embedding embed(double[][] squaredDistances, Options options) {
    double[][] d = checked(squaredDistances);
    int n = d.length;
    double perplexity = effectivePerplexity(n, options.perplexity());
    double[] p = jointProbabilities(conditional(d, perplexity).probabilities());
    double eta = options.learningRate(n);

    Random random = new Random(options.seed());
    double[] y = new double[2 * n];
    for (int i = 0; i < y.length; i++) {
      y[i] = INITIAL_SD * random.nextGaussian();
    }
    double[] grad = new double[2 * n];
    double[] step = new double[2 * n];
    double[] gains = new double[2 * n];
    Arrays.fill(gains, 1.0);
    List<TracePoint> trace = new ArrayList<>();
    trace.add(new TracePoint(0, klDivergence(p, y, n)));
    for (int it = 0; it < options.iterations(); it++) {
      boolean early = it < options.exaggerationIterations();
      double exaggeration = early ? options.earlyExaggeration() : 1.0;
      double momentum = early ? 0.5 : 0.8;
      gradient(p, y, n, exaggeration, grad);
      for (int k = 0; k < y.length; k++) {
        // Jacobs' gains: grow while the descent direction (-grad) keeps the sign of the last step.
        gains[k] = (grad[k] > 0) != (step[k] > 0) ? gains[k] + 0.2 : gains[k] * 0.8;
        if (gains[k] < MIN_GAIN) {
          gains[k] = MIN_GAIN;
        }
        step[k] = momentum * step[k] - eta * gains[k] * grad[k];
        y[k] += step[k];
      }
      center(y, n);
      int done = it + 1;
      if (done % TRACE_EVERY == 0 || done == options.iterations()) {
        trace.add(new TracePoint(done, klDivergence(p, y, n)));
      }
    }
    double[][] coordinates = new double[n][2];
    for (int a = 0; a < n; a++) {
      coordinates[a][0] = y[2 * a];
      coordinates[a][1] = y[2 * a + 1];
    }
    return new Embedding(coordinates, trace.get(trace.size() - 1).divergence(), perplexity, eta, trace);
  }

  /**
   * Squared distances {@code D_ab = K_aa + K_bb - 2 K_ab} of the points whose Gram matrix is K
   * (symmetrised first; negative values from cancellation within 1e-9 of the largest distance set to 0).
   */
  public static double[][] squaredDistancesFromGram(double[][] gram) {
    int n = square(gram, "Gram matrix");
    double[][] d = new double[n][n];
    double max = 0;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        d[a][b] = gram[a][a] + gram[b][b] - (gram[a][b] + gram[b][a]);
        d[b][a] = d[a][b];
        max = Math.max(max, d[a][b]);
      }
    }
    double floor = -NEGATIVE_TOLERANCE * max;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        if (d[a][b] < 0 && d[a][b] >= floor) {
          d[a][b] = 0;
        }
        if (d[a][b] < 0) {
          throw new IllegalArgumentException("Gram matrix is not positive semi-definite: squared distance ("
              + a + "," + b + ") = " + d[a][b]);
        }
      }
    }
    return d;
  }

  /**
   * The conditional input affinities {@code p_{b|a}} (row a), with the bandwidth {@code beta_a}
   * and the entropy {@code H_a} (nats) each row reached.
   */
  record Conditional(double[][] probabilities, double[] beta, double[] entropy) {}

  /**
   * Row-wise bisection on {@code beta_a} to the entropy {@code ln(perplexity)}: H_a falls
   * monotonically as beta_a grows. Distances are shifted by the row's smallest so that the nearest
   * neighbour has weight 1 (no underflow for any beta); the shift cancels in p_{b|a}.
   */
  static Conditional conditional(double[][] d, double perplexity) {
    int n = d.length;
    double target = Math.log(perplexity);
    double[][] p = new double[n][n];
    double[] betas = new double[n];
    double[] entropies = new double[n];
    double[] shifted = new double[n];
    for (int a = 0; a < n; a++) {
      double min = Double.POSITIVE_INFINITY;
      double mean = 0;
      for (int b = 0; b < n; b++) {
        if (b != a) {
          min = Math.min(min, d[a][b]);
          mean += d[a][b] / (n - 1);
        }
      }
      for (int b = 0; b < n; b++) {
        shifted[b] = b == a ? 0 : d[a][b] - min;
      }
      // Start at the scale of the row: beta * (mean distance) = 1.
      double spread = mean - min;
      double beta = spread > 0 ? 1 / spread : 1;
      double lo = 0;
      double hi = Double.POSITIVE_INFINITY;
      double h = entropy(shifted, a, beta, p[a]);
      for (int s = 0; s < SEARCH_STEPS && Math.abs(h - target) > ENTROPY_TOLERANCE; s++) {
        if (h > target) {
          lo = beta;
          beta = Double.isInfinite(hi) ? beta * 2 : 0.5 * (beta + hi);
        } else {
          hi = beta;
          beta = 0.5 * (beta + lo);
        }
        h = entropy(shifted, a, beta, p[a]);
      }
      betas[a] = beta;
      entropies[a] = h;
    }
    return new Conditional(p, betas, entropies);
  }

  /** Fills {@code row} with p_{b|a} at bandwidth beta and returns its entropy in nats. */
  private static double entropy(double[] shifted, int a, double beta, double[] row) {
    double sum = 0;
    double weighted = 0;
    for (int b = 0; b < shifted.length; b++) {
      if (b == a) {
        row[b] = 0;
        continue;
      }
      double e = Math.exp(-beta * shifted[b]);
      row[b] = e;
      sum += e;
      weighted += shifted[b] * e;
    }
    for (int b = 0; b < shifted.length; b++) {
      row[b] /= sum;
    }
    // H = -sum p ln p with ln p = -beta * shifted - ln(sum).
    return Math.log(sum) + beta * weighted / sum;
  }

  /**
   * {@code p_ab = (p_{b|a} + p_{a|b}) / (2n)} for a < b, packed row by row: the entry of (a, b) is at
   * {@link #packed}(n, a, b). Half of n x n doubles, read once per iteration.
   */
  static double[] jointProbabilities(double[][] conditional) {
    int n = conditional.length;
    double[] p = new double[n * (n - 1) / 2];
    int k = 0;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        p[k++] = (conditional[a][b] + conditional[b][a]) / (2.0 * n);
      }
    }
    return p;
  }

  /** The index of the pair a < b in a packed upper triangle of an n x n matrix. */
  static int packed(int n, int a, int b) {
    return a * n - a * (a + 1) / 2 + (b - a - 1);
  }

  /**
   * The gradient of KL(exaggeration * P || Q) with respect to y (interleaved x, y of each point):
   * {@code 4 sum_b (e p_ab - w_ab / Z) w_ab (y_a - y_b)}, summed over each pair once.
   */
  static void gradient(double[] p, double[] y, int n, double exaggeration, double[] grad) {
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int a = 0; a < n; a++) {
      xs[a] = y[2 * a];
      ys[a] = y[2 * a + 1];
    }
    // Attraction sum_b p_ab w_ab (y_a - y_b) and repulsion sum_b w_ab^2 (y_a - y_b) of each point.
    double[] atx = new double[n];
    double[] aty = new double[n];
    double[] rex = new double[n];
    double[] rey = new double[n];
    double z = 0;
    int k = 0;
    for (int a = 0; a < n; a++) {
      double ax = xs[a];
      double ay = ys[a];
      double sax = 0;
      double say = 0;
      double srx = 0;
      double sry = 0;
      double sz = 0;
      for (int b = a + 1; b < n; b++, k++) {
        double dx = ax - xs[b];
        double dy = ay - ys[b];
        double w = 1 / (1 + dx * dx + dy * dy);
        sz += w;
        double pw = p[k] * w;
        double ww = w * w;
        sax += pw * dx;
        say += pw * dy;
        srx += ww * dx;
        sry += ww * dy;
        atx[b] -= pw * dx;
        aty[b] -= pw * dy;
        rex[b] -= ww * dx;
        rey[b] -= ww * dy;
      }
      z += sz;
      atx[a] += sax;
      aty[a] += say;
      rex[a] += srx;
      rey[a] += sry;
    }
    z *= 2; // each unordered pair was counted once
    for (int a = 0; a < n; a++) {
      grad[2 * a] = 4 * (exaggeration * atx[a] - rex[a] / z);
      grad[2 * a + 1] = 4 * (exaggeration * aty[a] - rey[a] / z);
    }
  }

  /** KL(P||Q) in nats (P packed as by {@link #jointProbabilities}); pairs with p_ab = 0 contribute 0. */
  static double klDivergence(double[] p, double[] y, int n) {
    double z = 0;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        double dx = y[2 * a] - y[2 * b];
        double dy = y[2 * a + 1] - y[2 * b + 1];
        z += 1 / (1 + dx * dx + dy * dy);
      }
    }
    z *= 2;
    double kl = 0;
    int k = 0;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++, k++) {
        if (p[k] > 0) {
          double dx = y[2 * a] - y[2 * b];
          double dy = y[2 * a + 1] - y[2 * b + 1];
          double q = 1 / ((1 + dx * dx + dy * dy) * z);
          kl += 2 * p[k] * Math.log(p[k] / q); // (a, b) and (b, a)
        }
      }
    }
    return kl;
  }

  private static void center(double[] y, int n) {
    double mx = 0;
    double my = 0;
    for (int a = 0; a < n; a++) {
      mx += y[2 * a];
      my += y[2 * a + 1];
    }
    mx /= n;
    my /= n;
    for (int a = 0; a < n; a++) {
      y[2 * a] -= mx;
      y[2 * a + 1] -= my;
    }
  }

  private static double[][] checked(double[][] d) {
    int n = square(d, "squared distance matrix");
    if (n < 2) {
      throw new IllegalArgumentException("t-SNE needs at least 2 points, got " + n);
    }
    if (n > MAX_POINTS) {
      throw new IllegalArgumentException("exact t-SNE sums all n^2 pairs; at most " + MAX_POINTS + " points, got " + n);
    }
    double max = 0;
    for (double[] row : d) {
      for (double v : row) {
        max = Math.max(max, v);
      }
    }
    double floor = -NEGATIVE_TOLERANCE * max;
    double[][] out = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        if (a == b) {
          continue;
        }
        double v = d[a][b];
        if (v < floor) {
          throw new IllegalArgumentException("squared distances must be >= 0, entry (" + a + "," + b + ") is " + v);
        }
        if (Math.abs(v - d[b][a]) > 1e-9 * max) {
          throw new IllegalArgumentException("squared distance matrix is not symmetric: entries (" + a + "," + b
              + ") = " + v + " and (" + b + "," + a + ") = " + d[b][a]);
        }
        out[a][b] = Math.max(0, 0.5 * (v + d[b][a]));
      }
    }
    return out;
  }

  private static int square(double[][] m, String what) {
    if (m == null || m.length == 0) {
      throw new IllegalArgumentException(what + " is empty");
    }
    int n = m.length;
    for (int a = 0; a < n; a++) {
      if (m[a] == null || m[a].length != n) {
        throw new IllegalArgumentException(what + " is not square: row " + a + " has "
            + (m[a] == null ? 0 : m[a].length) + " entries, expected " + n);
      }
      for (int b = 0; b < n; b++) {
        if (!Double.isFinite(m[a][b])) {
          throw new IllegalArgumentException(what + " entry (" + a + "," + b + ") is " + m[a][b]);
        }
      }
    }
    return n;
  }

  private static double[][] deepCopy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }
}
