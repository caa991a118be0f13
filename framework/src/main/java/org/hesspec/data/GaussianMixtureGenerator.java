package org.hesspec.data;

import java.util.Random;

/**
 * The synthetic Gaussian mixture of Sagun et al. (2017) and Papyan (2018/2019): {@code C} classes
 * in {@code R^dims}, class {@code c} distributed as {@code N(mu_c, I)}.
 *
 * <p>Class means, drawn once per seed and shared by both splits:
 * <ol>
 *   <li>draw {@code z_c ~ N(0, I_dims)} for {@code c = 0..C-1} from the stream
 *       {@code "gaussian-mixture/means"} (class after class, coordinate after coordinate);
 *   <li>centre them: {@code z_c <- z_c - (1/C) sum_c' z_c'} (the mixture has mean zero);
 *   <li>scale them: {@code mu_c = s z_c} with the single factor {@code s} chosen so that the mean
 *       Euclidean distance over the {@code C(C-1)/2} pairs of class means equals
 *       {@code separation}.
 * </ol>
 * Since the noise has unit variance in every direction, {@code separation} is in units of the
 * noise standard deviation, whatever {@code dims}: two classes whose means are {@code separation}
 * apart are confused by the Bayes-optimal pairwise rule with probability
 * {@code Phi(-separation / 2)} (about 7% at 3, 0.6% at 5). {@code separation = 0} puts every mean at
 * the origin (pure noise).
 *
 * <p>Examples: {@code x_i = mu_{y_i} + e_i} with {@code e_i ~ N(0, I)}, labels interleaved
 * ({@code y_i = i mod C}) so that any prefix, and any fixed-order mini-batch, is nearly balanced.
 * The training split draws its noise from the stream {@code "gaussian-mixture/train"}, the test
 * split from {@code "gaussian-mixture/test"}; both derive from the one seed (see {@link Seeds}),
 * so they are independent and each is reproducible alone. Every class has exactly
 * {@code perClass} examples.
 */
public final class GaussianMixtureGenerator {

  private GaussianMixtureGenerator() {}

  /**
   * The class means {@code mu_c}, {@code [classes][dims]}, as described above.
   *
   * @throws IllegalArgumentException if {@code classes < 2}, {@code dims < 1} or
   *     {@code separation} is negative or not finite
   */
  public static double[][] means(int classes, int dims, double separation, long seed) {
    check(classes, dims, separation);
    if (separation == 0) {
      return new double[classes][dims]; // exact zeros (scaling the draws by 0 would leave -0.0)
    }
    Random r = new Random(Seeds.derive(seed, "gaussian-mixture/means"));
    double[][] mu = new double[classes][dims];
    for (double[] m : mu) {
      for (int d = 0; d < dims; d++) {
        m[d] = r.nextGaussian();
      }
    }
    for (int d = 0; d < dims; d++) {
      double avg = 0;
      for (double[] m : mu) {
        avg += m[d];
      }
      avg /= classes;
      for (double[] m : mu) {
        m[d] -= avg;
      }
    }
    double scale = separation / meanPairwiseDistance(mu);
    for (double[] m : mu) {
      for (int d = 0; d < dims; d++) {
        m[d] *= scale;
      }
    }
    return mu;
  }

  /** The mean Euclidean distance over all unordered pairs of rows. */
  public static double meanPairwiseDistance(double[][] points) {
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < points.length; a++) {
      for (int b = a + 1; b < points.length; b++) {
        double s = 0;
        for (int d = 0; d < points[a].length; d++) {
          double diff = points[a][d] - points[b][d];
          s += diff * diff;
        }
        sum += Math.sqrt(s);
        pairs++;
      }
    }
    return sum / pairs;
  }

  /**
   * One split of the mixture: {@code classes * perClass} examples of shape {@code [dims]}.
   *
   * @throws IllegalArgumentException for impossible parameters
   */
  public static Dataset generate(int classes, int dims, double separation, int perClass, long seed, Split split) {
    check(classes, dims, separation);
    if (perClass < 1) {
      throw new IllegalArgumentException("gaussian-mixture: per_class must be at least 1, got " + perClass);
    }
    long n = (long) classes * perClass;
    if (n * dims > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("gaussian-mixture: " + n + " examples of " + dims + " dimensions do not fit one array");
    }
    double[][] mu = means(classes, dims, separation, seed);
    Random r = new Random(Seeds.derive(seed, "gaussian-mixture/" + split.key()));
    float[] x = new float[(int) (n * dims)];
    int[] y = new int[(int) n];
    for (int i = 0; i < n; i++) {
      int c = i % classes;
      y[i] = c;
      int off = i * dims;
      for (int d = 0; d < dims; d++) {
        x[off + d] = (float) (mu[c][d] + r.nextGaussian());
      }
    }
    String name = "gaussian-mixture(C=" + classes + ",dims=" + dims + ",separation=" + separation + ",seed=" + seed + ")/" + split.key();
    return Dataset.classification(name, x, new int[] {dims}, y, classes);
  }

  private static void check(int classes, int dims, double separation) {
    if (classes < 2) {
      throw new IllegalArgumentException("gaussian-mixture: classes must be at least 2, got " + classes);
    }
    if (dims < 1) {
      throw new IllegalArgumentException("gaussian-mixture: dims must be at least 1, got " + dims);
    }
    if (!(separation >= 0) || Double.isInfinite(separation)) {
      throw new IllegalArgumentException("gaussian-mixture: separation must be a finite number >= 0, got " + separation);
    }
  }
}
