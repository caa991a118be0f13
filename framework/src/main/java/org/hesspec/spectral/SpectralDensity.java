package org.hesspec.spectral;

import java.util.List;
import java.util.function.IntFunction;
import org.hesspec.curvature.LinearOperator;

/**
 * The spectral density of a symmetric operator by stochastic Lanczos quadrature (SLQ): Lin, Saad
 * and Yang, "Approximating spectral densities of large matrices", SIAM Review 58 (2016), sec. 3.2;
 * Papyan, "Measuring the spectrum of deepnet Hessians" (2019) and "The full spectrum of deepnet
 * Hessians at scale" (CVPR 2020); Ghorbani, Krishnan and Xiao, "An investigation into neural net
 * optimization via Hessian eigenvalue density" (ICML 2019).
 *
 * <p>For a unit vector {@code v}, {@code v^T f(A) v = integral f dmu_v} with {@code mu_v = sum_i
 * (u_i . v)^2 delta(lambda_i)}. For {@code v} uniform on the sphere, {@code E mu_v} is the
 * eigenvalue distribution {@code (1/p) sum_i delta(lambda_i)}. An M-step Lanczos run from {@code
 * v} yields the M-node Gauss quadrature rule of {@code mu_v}: nodes are the eigenvalues {@code t_k}
 * of {@code T_M} and weights the squared first components {@code s_{0k}^2}. The estimate is
 *
 * <pre>
 *   phi(x) = (1/K) sum_{runs} sum_k s_{0k}^2 g_sigma(x - t_k),   g_sigma = N(0, sigma^2) density
 * </pre>
 *
 * <p>Steps: (1) estimate the spectrum's bounds with a short Lanczos run ({@link SpectrumBounds});
 * (2) map {@code A} affinely onto [-1, 1] with a margin, so that the Lanczos coefficients are of
 * order one whatever the operator's scale; (3) K independent M-step runs with seeds {@link
 * Seeds#derive}{@code (seed, r)} (the bounds run uses {@code derive(seed, -1)}); (4) map the nodes
 * back and smooth with a Gaussian kernel whose width is {@link DensityConfig#kernelWidth()} times
 * the estimated spectrum's width.
 */
public final class SpectralDensity {
  private SpectralDensity() {}

  /** Nodes further than this many kernel widths from a grid point do not contribute to it. */
  private static final double KERNEL_CUTOFF = 9.0;

  /** The grid extends this many kernel widths beyond the outermost nodes and bounds. */
  private static final double GRID_PADDING = 5.0;

  /** Estimates the density of {@code a} sequentially. */
  public static DensityEstimate estimate(LinearOperator a, DensityConfig config) {
    return estimate(RunOptions.single(a), config, RunOptions.sequential());
  }

  /**
   * Estimates the density with {@code options.threads()} workers, worker {@code w} using {@code
   * operators.apply(w)}; the result does not depend on the number of threads.
   */
  public static DensityEstimate estimate(
      IntFunction<LinearOperator> operators, DensityConfig config, RunOptions options) {
    LinearOperator first = operators.apply(0);
    int p = first.dimension();
    ProgressTracker boundsProgress =
        new ProgressTracker("bounds", 1, Math.min(config.boundsSteps(), p), options.listener());
    LanczosResult boundsRun =
        Lanczos.runOrResume(
            first,
            new LanczosConfig(
                config.boundsSteps(), Reorthogonalization.NONE, config.startVector(),
                Seeds.derive(config.seed(), -1), LanczosConfig.DEFAULT_BREAKDOWN_TOLERANCE),
            step -> boundsProgress.step(0, step),
            options.checkpoint("bounds"));
    boundsProgress.finished(0, boundsRun.steps());
    SpectrumBounds bounds = SpectrumBounds.fromLanczos(boundsRun);

    double width = mappedWidth(bounds);
    double center = 0.5 * (bounds.lower() + bounds.upper());
    double halfWidth = 0.5 * width * (1.0 + config.margin());
    int steps = Math.min(config.steps(), p);
    ProgressTracker progress =
        new ProgressTracker("density", config.runs(), steps, options.listener());
    IntFunction<LinearOperator> workers = w -> w == 0 ? first : operators.apply(w);
    List<QuadratureRule> rules =
        ParallelRuns.map(
            config.runs(),
            options.threads(),
            workers,
            (a, r) -> {
              AffineOperator normalized = new AffineOperator(a, center, halfWidth);
              LanczosConfig lanczos =
                  new LanczosConfig(
                      config.steps(), config.reorthogonalization(), config.startVector(),
                      Seeds.derive(config.seed(), r), LanczosConfig.DEFAULT_BREAKDOWN_TOLERANCE);
              LanczosResult run =
                  Lanczos.runOrResume(
                      normalized, lanczos, 1.0, step -> progress.step(r, step),
                      options.checkpoint("run-" + r));
              progress.finished(r, run.steps());
              return quadratureRule(r, run, normalized);
            });
    double sigma = config.kernelWidthFraction() * width;
    double[] x = grid(rules, bounds, sigma, config.gridPoints());
    return new DensityEstimate(
        config, bounds, center, halfWidth, sigma, x, smooth(rules, x, sigma), rules);
  }

  /**
   * The width of the interval mapped onto [-1, 1] (before the margin): the bounds' width, but at
   * least {@code 1e-3} of the spectral radius. The shifted product {@code (A v - c v) / h} carries
   * rounding of relative size {@code eps |c| / h}; the floor keeps it (below 1e-12) far under the
   * breakdown tolerance, so that a point spectrum {@code A = c I} still breaks down after one step
   * instead of running on rounding noise. A zero operator gets width 1e-3.
   */
  static double mappedWidth(SpectrumBounds bounds) {
    double radius = Math.max(Math.abs(bounds.lower()), Math.abs(bounds.upper()));
    return Math.max(bounds.width(), 1e-3 * (radius > 0 ? radius : 1.0));
  }

  /**
   * The Gauss quadrature rule of a Lanczos run on {@code normalized}, nodes mapped back to the
   * scale of the original operator.
   */
  static QuadratureRule quadratureRule(int run, LanczosResult lanczos, AffineOperator normalized) {
    TridiagonalEigen.Decomposition eig = lanczos.eigen(false);
    double[] nodes = eig.eigenvalues().clone();
    for (int k = 0; k < nodes.length; k++) {
      nodes[k] = normalized.toOriginal(nodes[k]);
    }
    return new QuadratureRule(
        run, lanczos.config().seed(), lanczos.breakdown(), nodes, eig.weights());
  }

  /** An evenly spaced grid covering the bounds and every node, padded by five kernel widths. */
  static double[] grid(List<QuadratureRule> rules, SpectrumBounds bounds, double sigma, int n) {
    double lo = bounds.lower();
    double hi = bounds.upper();
    for (QuadratureRule rule : rules) {
      lo = Math.min(lo, rule.nodes()[0]);
      hi = Math.max(hi, rule.nodes()[rule.steps() - 1]);
    }
    return linspace(lo - GRID_PADDING * sigma, hi + GRID_PADDING * sigma, n);
  }

  /** {@code n} evenly spaced points from {@code a} to {@code b} inclusive. */
  public static double[] linspace(double a, double b, int n) {
    double[] x = new double[n];
    double h = (b - a) / (n - 1);
    for (int i = 0; i < n; i++) {
      x[i] = a + i * h;
    }
    x[n - 1] = b;
    return x;
  }

  /**
   * Kernel smoothing of quadrature rules: {@code (1/K) sum_rules sum_k w_k g_sigma(x - t_k)} on the
   * evenly spaced grid {@code x}. A pure function; lets callers re-smooth saved Ritz nodes with
   * another kernel width.
   */
  public static double[] smooth(List<QuadratureRule> rules, double[] x, double sigma) {
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
    }
    double[] density = new double[x.length];
    double x0 = x[0];
    double h = (x[x.length - 1] - x0) / (x.length - 1);
    double norm = 1.0 / (rules.size() * sigma * Math.sqrt(2 * Math.PI));
    double inverseTwoVariance = 1.0 / (2 * sigma * sigma);
    for (QuadratureRule rule : rules) {
      double[] t = rule.nodes();
      double[] w = rule.weights();
      for (int k = 0; k < t.length; k++) {
        // Only grid points within the cutoff: exp(-81/2) is below double rounding of the sum.
        int from = Math.max(0, (int) Math.floor((t[k] - KERNEL_CUTOFF * sigma - x0) / h));
        int to = Math.min(x.length - 1, (int) Math.ceil((t[k] + KERNEL_CUTOFF * sigma - x0) / h));
        double c = w[k] * norm;
        for (int i = from; i <= to; i++) {
          double u = x[i] - t[k];
          density[i] += c * Math.exp(-u * u * inverseTwoVariance);
        }
      }
    }
    return density;
  }
}
