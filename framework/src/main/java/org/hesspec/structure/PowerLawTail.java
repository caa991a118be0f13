package org.hesspec.structure;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Maximum-likelihood fit of a power law to the upper tail of a positive sample, following Clauset,
 * Shalizi and Newman, "Power-law distributions in empirical data", SIAM Review 51 (2009).
 *
 * <p>Papyan (2019, "Measurements of three-level hierarchical structure in the outliers in the spectrum of deepnet
 * Hessians", and his talk "Measuring the spectrum of deepnet Hessians") reports that the tail of the bulk of deepnet
 * Hessian spectra follows a power law; this class turns that claim into a number with an error bar.
 *
 * <h2>Model</h2>
 *
 * The continuous power law {@code p(x) = (alpha - 1) / xmin * (x / xmin)^(-alpha)} for {@code x >= xmin},
 * with CDF {@code P(x) = 1 - (x / xmin)^(1 - alpha)}.
 *
 * <h2>Weighted samples</h2>
 *
 * A sample is points {@code x_i > 0} with weights {@code w_i >= 0} normalised to {@code sum_i w_i = 1},
 * plus an effective sample size {@code N}: the sample stands for {@code N} observations of which a
 * fraction {@code w_i} sit at {@code x_i}. An ordinary sample of n values is {@code w_i = 1/n},
 * {@code N = n}. A stochastic-Lanczos density (Ritz nodes {@code t_j}, weights {@code tau_j}, averaged
 * over runs) of a {@code p x p} operator is {@code w_j = tau_j}, {@code N = p} (or the number of positive
 * eigenvalues it represents, when only the positive part is passed).
 *
 * <h2>Estimator</h2>
 *
 * For a given {@code xmin} the tail is {@code T = {i : x_i >= xmin}}, its weight {@code W = sum_T w_i},
 * its effective size {@code n_tail = N W}. The weighted continuous Hill (maximum-likelihood) estimator is
 *
 * <pre>
 *   alpha = 1 + W / sum_{i in T} w_i ln(x_i / xmin)          (equal weights: 1 + n_tail / sum ln(x_i/xmin))
 *   se(alpha) = (alpha - 1) / sqrt(n_tail)                   (asymptotic standard error, Clauset eq. 3.2)
 * </pre>
 *
 * <h2>Choice of xmin</h2>
 *
 * Unless the caller fixes {@code xmin}, it is the candidate minimising the Kolmogorov-Smirnov distance
 * {@code D = sup_{x >= xmin} |S(x) - P(x)|} between the weighted empirical CDF {@code S} of the tail and the
 * fitted CDF (Clauset section 3.3). Candidates are the distinct sample values whose tail has
 * {@code n_tail >= minTail} and at least two distinct values; when there are more than {@code maxCandidates}
 * of them, an evenly spaced (in rank) subset of that size is scanned, which bounds the cost at
 * {@code O(maxCandidates * n)} per fit. The supremum is taken on both sides of every jump of S.
 *
 * <h2>Bootstrap</h2>
 *
 * {@code B} replicates each draw {@code round(N)} points from the categorical law {@code w} (a plain
 * non-parametric bootstrap when the weights are equal; drawn as multinomial counts, so the cost does not grow
 * with N, and with a normal approximation for the binomial of a point expected to receive 30 or more
 * draws), and repeat the whole fit: the xmin scan too when
 * xmin was chosen by KS, so the interval includes the uncertainty of xmin. The interval is the
 * percentile interval of the replicate alphas at the requested confidence. Replicates whose tail is too
 * small to fit are dropped; the result reports how many succeeded.
 */
public final class PowerLawTail {

  private PowerLawTail() {}

  /**
   * Fit settings.
   *
   * @param xmin a fixed lower cutoff, or {@code NaN} to choose it by minimising the KS distance
   * @param minTail smallest effective tail size {@code n_tail} a candidate xmin may leave (at least 2)
   * @param maxCandidates most xmin candidates scanned per fit (evenly spaced in rank when there are more)
   * @param bootstrapReps number of bootstrap replicates {@code B} (0: no interval, bounds are NaN)
   * @param confidence two-sided level of the percentile interval, in (0, 1)
   * @param seed seed of the bootstrap resampling
   */
  public record Options(double xmin, int minTail, int maxCandidates, int bootstrapReps, double confidence, long seed) {
    public Options {
      if (!Double.isNaN(xmin) && !(xmin > 0 && Double.isFinite(xmin))) {
        throw new IllegalArgumentException("xmin must be positive and finite (or NaN to choose it), got " + xmin);
      }
      if (minTail < 2) {
        throw new IllegalArgumentException("minTail must be at least 2, got " + minTail);
      }
      if (maxCandidates < 1) {
        throw new IllegalArgumentException("maxCandidates must be at least 1, got " + maxCandidates);
      }
      if (bootstrapReps < 0) {
        throw new IllegalArgumentException("bootstrapReps must be >= 0, got " + bootstrapReps);
      }
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
      }
    }

    /** KS-chosen xmin, tails of at least 50, 200 candidates, 200 replicates, 95 %, seed 0. */
    public static Options defaults() {
      return new Options(Double.NaN, 50, 200, 200, 0.95, 0L);
    }

    public Options withXmin(double value) {
      return new Options(value, minTail, maxCandidates, bootstrapReps, confidence, seed);
    }

    public Options withMinTail(int value) {
      return new Options(xmin, value, maxCandidates, bootstrapReps, confidence, seed);
    }

    public Options withMaxCandidates(int value) {
      return new Options(xmin, minTail, value, bootstrapReps, confidence, seed);
    }

    public Options withBootstrap(int reps, double level, long rngSeed) {
      return new Options(xmin, minTail, maxCandidates, reps, level, rngSeed);
    }
  }

  /**
   * A fitted tail, with everything needed to reproduce it.
   *
   * @param alpha the exponent of {@code p(x) ∝ x^(-alpha)}
   * @param standardError {@code (alpha - 1) / sqrt(nTail)}
   * @param ciLow lower end of the bootstrap percentile interval (NaN without bootstrap)
   * @param ciHigh upper end of the bootstrap percentile interval (NaN without bootstrap)
   * @param xmin the lower cutoff used
   * @param xminChosenByKs true when xmin came from the KS scan, false when the caller fixed it
   * @param nTail effective tail size {@code N W}
   * @param tailPoints number of sample points in the tail
   * @param tailFraction {@code W}, the share of the sample's weight at or above xmin
   * @param ksDistance KS distance between the tail's empirical CDF and the fitted CDF
   * @param sampleSize effective sample size {@code N}
   * @param options the settings (minTail, maxCandidates, confidence, seed, requested replicates)
   * @param bootstrapReps replicates that were fitted successfully
   */
  public record Fit(double alpha, double standardError, double ciLow, double ciHigh, double xmin, boolean xminChosenByKs,
      double nTail, int tailPoints, double tailFraction, double ksDistance, double sampleSize, Options options,
      int bootstrapReps) {

    /** The fitted complementary CDF of the whole sample at {@code x >= xmin}: {@code W (x / xmin)^(1 - alpha)}. */
    public double ccdf(double x) {
      return tailFraction * Math.pow(x / xmin, 1 - alpha);
    }
  }

  /**
   * Points of a log-log figure: the empirical complementary CDF {@code P(X >= x)} at each distinct sample
   * value, and the fitted line {@code W (x / xmin)^(1 - alpha)} at log-spaced points from xmin to the largest
   * value.
   */
  public record LogLogPlot(double[] x, double[] ccdf, double[] lineX, double[] lineCcdf) {}

  /** Fits an ordinary sample (equal weights, {@code N = x.length}). */
  public static Fit fit(double[] x, Options options) {
    double[] w = new double[x.length];
    Arrays.fill(w, 1.0);
    return fit(x, w, x.length, options);
  }

  /**
   * Fits a weighted sample.
   *
   * @param x positive values (eigenvalues, Ritz nodes)
   * @param weights non-negative weights, any positive total (normalised here)
   * @param effectiveSampleSize {@code N}, the number of observations the sample stands for
   * @throws IllegalArgumentException for non-positive or non-finite values, bad weights, or a sample whose
   *     largest admissible tail is smaller than {@code minTail}
   */
  public static Fit fit(double[] x, double[] weights, double effectiveSampleSize, Options options) {
    Sample s = Sample.of(x, weights, effectiveSampleSize);
    Core best = fitSorted(s.x, s.w, effectiveSampleSize, options);
    if (best == null) {
      throw new IllegalArgumentException(tooSmallMessage(s, effectiveSampleSize, options));
    }
    double lo = Double.NaN;
    double hi = Double.NaN;
    int ok = 0;
    if (options.bootstrapReps() > 0) {
      double[] alphas = bootstrap(s, effectiveSampleSize, options);
      ok = alphas.length;
      if (ok > 0) {
        double tail = (1 - options.confidence()) / 2;
        lo = quantile(alphas, tail);
        hi = quantile(alphas, 1 - tail);
      }
    }
    double nTail = effectiveSampleSize * best.tailWeight;
    return new Fit(best.alpha, (best.alpha - 1) / Math.sqrt(nTail), lo, hi, best.xmin, Double.isNaN(options.xmin()), nTail,
        best.tailPoints, best.tailWeight, best.ks, effectiveSampleSize, options, ok);
  }

  /** The log-log figure of an ordinary sample and its fit, with {@code linePoints} points on the fitted line. */
  public static LogLogPlot logLogPlot(double[] x, Fit fit, int linePoints) {
    double[] w = new double[x.length];
    Arrays.fill(w, 1.0);
    return logLogPlot(x, w, fit, linePoints);
  }

  /** The log-log figure of a weighted sample and its fit. */
  public static LogLogPlot logLogPlot(double[] x, double[] weights, Fit fit, int linePoints) {
    if (linePoints < 2) {
      throw new IllegalArgumentException("linePoints must be at least 2, got " + linePoints);
    }
    Sample s = Sample.of(x, weights, fit.sampleSize());
    int n = s.x.length;
    double[] ux = new double[n];
    double[] uc = new double[n];
    int m = 0;
    double above = 0; // weight strictly above the current value, accumulated from the top
    for (int i = n - 1; i >= 0; ) {
      int j = i;
      double tie = 0;
      while (j >= 0 && s.x[j] == s.x[i]) {
        tie += s.w[j];
        j--;
      }
      above += tie;
      ux[m] = s.x[i];
      uc[m] = Math.min(1.0, above);
      m++;
      i = j;
    }
    double[] px = new double[m];
    double[] pc = new double[m];
    for (int k = 0; k < m; k++) { // ascending order
      px[k] = ux[m - 1 - k];
      pc[k] = uc[m - 1 - k];
    }
    double xmax = Math.max(s.x[n - 1], fit.xmin() * (1 + 1e-12));
    double[] lx = new double[linePoints];
    double[] lc = new double[linePoints];
    double a = Math.log(fit.xmin());
    double b = Math.log(xmax);
    for (int k = 0; k < linePoints; k++) {
      lx[k] = Math.exp(a + (b - a) * k / (linePoints - 1));
      lc[k] = fit.ccdf(lx[k]);
    }
    return new LogLogPlot(px, pc, lx, lc);
  }

  // ---------------------------------------------------------------------------------------------

  /** Values sorted ascending with their weights normalised to sum 1. */
  private record Sample(double[] x, double[] w) {
    static Sample of(double[] x, double[] weights, double effectiveSampleSize) {
      if (x == null || weights == null) {
        throw new IllegalArgumentException("sample and weights must not be null");
      }
      if (x.length != weights.length) {
        throw new IllegalArgumentException(x.length + " values but " + weights.length + " weights");
      }
      if (x.length < 2) {
        throw new IllegalArgumentException("too few points for a power-law fit: " + x.length + " (need at least 2)");
      }
      if (!(effectiveSampleSize > 0 && Double.isFinite(effectiveSampleSize))) {
        throw new IllegalArgumentException("effective sample size must be positive and finite, got " + effectiveSampleSize);
      }
      double total = 0;
      for (int i = 0; i < x.length; i++) {
        if (!(x[i] > 0 && Double.isFinite(x[i]))) {
          throw new IllegalArgumentException("power-law fit needs positive finite values, but value " + i + " is " + x[i]
              + " (pass only the positive part, e.g. eigenvalues > 0)");
        }
        if (!(weights[i] >= 0 && Double.isFinite(weights[i]))) {
          throw new IllegalArgumentException("weights must be non-negative and finite, but weight " + i + " is " + weights[i]);
        }
        total += weights[i];
      }
      if (!(total > 0)) {
        throw new IllegalArgumentException("weights sum to zero");
      }
      Integer[] order = new Integer[x.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (p, q) -> Double.compare(x[p], x[q]));
      double[] sx = new double[x.length];
      double[] sw = new double[x.length];
      for (int i = 0; i < order.length; i++) {
        sx[i] = x[order[i]];
        sw[i] = weights[order[i]] / total;
      }
      return new Sample(sx, sw);
    }
  }

  private record Core(double alpha, double xmin, double tailWeight, int tailPoints, double ks) {}

  /**
   * Best fit of a sorted sample with weights summing to 1, or null when no admissible xmin exists.
   */
  private static Core fitSorted(double[] x, double[] w, double n, Options o) {
    int len = x.length;
    // Suffix sums make the Hill estimate O(1) per candidate: W(i) = sum_{j>=i} w_j, L(i) = sum_{j>=i} w_j ln x_j.
    double[] lnx = new double[len];
    double[] sufW = new double[len + 1];
    double[] sufL = new double[len + 1];
    for (int i = len - 1; i >= 0; i--) {
      lnx[i] = Math.log(x[i]);
      sufW[i] = sufW[i + 1] + w[i];
      sufL[i] = sufL[i + 1] + w[i] * lnx[i];
    }
    if (!Double.isNaN(o.xmin())) {
      int i = lowerBound(x, o.xmin());
      if (i >= len || n * sufW[i] < o.minTail()) {
        return null;
      }
      return evaluate(x, w, lnx, sufW, sufL, i, o.xmin(), n);
    }
    // Candidate start indices: first index of each distinct value, tail big enough, >= 2 distinct values in it.
    int[] cand = new int[len];
    int nc = 0;
    for (int i = 0; i < len; i++) {
      if ((i == 0 || x[i] != x[i - 1]) && x[i] < x[len - 1] && n * sufW[i] >= o.minTail()) {
        cand[nc++] = i;
      }
    }
    if (nc == 0) {
      return null;
    }
    int scan = Math.min(nc, o.maxCandidates());
    Core best = null;
    for (int k = 0; k < scan; k++) {
      int idx = scan == nc ? k : (int) Math.round((double) k * (nc - 1) / (scan - 1 == 0 ? 1 : scan - 1));
      int i = cand[idx];
      Core c = evaluate(x, w, lnx, sufW, sufL, i, x[i], n);
      if (c != null && (best == null || c.ks < best.ks)) {
        best = c;
      }
    }
    return best;
  }

  /** Hill estimate and KS distance for the tail starting at sorted index {@code i} with cutoff {@code xmin}. */
  private static Core evaluate(double[] x, double[] w, double[] lnx, double[] sufW, double[] sufL, int i, double xmin,
      double n) {
    double tw = sufW[i];
    double lnMin = Math.log(xmin);
    double s = sufL[i] - tw * lnMin;
    if (!(s > 0) || !(tw > 0)) {
      return null; // all tail values equal xmin: the likelihood has no maximum
    }
    double alpha = 1 + tw / s;
    double d = 0;
    double cum = 0;
    int len = x.length;
    for (int j = i; j < len; ) {
      int k = j;
      double tie = 0;
      while (k < len && x[k] == x[j]) {
        tie += w[k];
        k++;
      }
      double model = 1 - Math.exp((1 - alpha) * (lnx[j] - lnMin));
      double before = cum / tw;
      cum += tie;
      double after = cum / tw;
      d = Math.max(d, Math.max(Math.abs(before - model), Math.abs(after - model)));
      j = k;
    }
    return new Core(alpha, xmin, tw, len - i, d);
  }

  private static double[] bootstrap(Sample s, double n, Options o) {
    long m = Math.max(2, Math.round(n));
    int len = s.x.length;
    SplittableRandom rng = new SplittableRandom(o.seed());
    double[] alphas = new double[o.bootstrapReps()];
    int ok = 0;
    long[] counts = new long[len];
    double[] bx = new double[len];
    double[] bw = new double[len];
    for (int r = 0; r < o.bootstrapReps(); r++) {
      // Multinomial(m, w) counts: the same law as m independent draws from w, but O(len) per replicate even
      // when m is the dimension of a large operator.
      multinomial(m, s.w, rng, counts);
      int k = 0;
      for (int i = 0; i < len; i++) {
        if (counts[i] > 0) { // drop unsampled points: they are not values of the replicate
          bx[k] = s.x[i];
          bw[k] = (double) counts[i] / m;
          k++;
        }
      }
      Core c = k >= 2 ? fitSorted(Arrays.copyOf(bx, k), Arrays.copyOf(bw, k), m, o) : null;
      if (c != null) {
        alphas[ok++] = c.alpha;
      }
    }
    double[] out = Arrays.copyOf(alphas, ok);
    Arrays.sort(out);
    return out;
  }

  /**
   * Multinomial counts by conditional binomials. Each binomial is drawn exactly (CDF inversion) when its
   * mean {@code n min(q, 1-q)} is below 30, and from the rounded normal approximation otherwise, which only
   * happens for points carrying many of the draws (large effective sample sizes).
   */
  private static void multinomial(long m, double[] w, SplittableRandom rng, long[] counts) {
    long left = m;
    double massLeft = 1;
    for (int i = 0; i < w.length; i++) {
      if (left == 0 || i == w.length - 1) {
        counts[i] = left;
        left = 0;
        continue;
      }
      double q = massLeft > 0 ? Math.min(1, Math.max(0, w[i] / massLeft)) : 0;
      long c = binomial(left, q, rng);
      counts[i] = c;
      left -= c;
      massLeft -= w[i];
    }
  }

  private static long binomial(long n, double q, SplittableRandom rng) {
    if (q <= 0) {
      return 0;
    }
    if (q >= 1) {
      return n;
    }
    if (q > 0.5) {
      return n - binomial(n, 1 - q, rng);
    }
    double mean = n * q;
    if (mean < 30) {
      // Inversion: P(0) = (1-q)^n >= e^(-60) here, so no underflow; the recursion P(k+1) = P(k) (n-k)/(k+1) q/(1-q).
      double u = rng.nextDouble();
      double pk = Math.exp(n * Math.log1p(-q));
      double cdf = pk;
      long k = 0;
      double ratio = q / (1 - q);
      while (u > cdf && k < n) {
        pk *= (double) (n - k) / (k + 1) * ratio;
        k++;
        cdf += pk;
        if (pk < 1e-300) {
          break; // the remaining tail is below double resolution
        }
      }
      return k;
    }
    double z = SplittableGaussian.next(rng);
    long k = Math.round(mean + Math.sqrt(mean * (1 - q)) * z);
    return Math.max(0, Math.min(n, k));
  }

  /** Standard normal draws for SplittableRandom (Box-Muller). */
  private static final class SplittableGaussian {
    static double next(SplittableRandom rng) {
      double u = 1 - rng.nextDouble();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
  }

  /** First index with {@code a[i] >= v} in an ascending array (a.length when none). */
  private static int lowerBound(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Linear-interpolation quantile (type 7) of a sorted array. */
  private static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  private static String tooSmallMessage(Sample s, double n, Options o) {
    if (!Double.isNaN(o.xmin())) {
      int i = lowerBound(s.x, o.xmin());
      double tw = 0;
      for (int j = i; j < s.x.length; j++) {
        tw += s.w[j];
      }
      return "too few points in the tail above xmin=" + o.xmin() + ": effective tail size " + n * tw + " < minTail="
          + o.minTail() + ", or all tail values equal xmin";
    }
    return "too few points for a power-law fit: no xmin leaves an effective tail of at least minTail=" + o.minTail()
        + " with two distinct values (effective sample size " + n + ", " + s.x.length + " points)";
  }
}
