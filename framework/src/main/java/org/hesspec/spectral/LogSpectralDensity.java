package org.hesspec.spectral;

import java.util.List;
import org.hesspec.curvature.LinearOperator;

/**
 * The log-scale spectral density, from the same Ritz nodes and weights as the linear one (no
 * further products): each node {@code t} with weight {@code w} contributes a Gaussian of width
 * sigma (in decades) at {@code log10 |t|} to the positive or negative part by its sign, or its
 * weight to the zero share when {@code |t| <= floor}; runs are averaged. Smoothing in {@code log10
 * |lambda|} rather than transforming the linear-scale density keeps the resolution uniform across
 * decades, as in the log-scale plots of Papyan (2019) and the power-law tails of Martin and
 * Mahoney (2018).
 */
public final class LogSpectralDensity {
  private LogSpectralDensity() {}

  /** Estimates the linear density of {@code a} and derives the log-scale one from its nodes. */
  public static LogDensityEstimate estimate(
      LinearOperator a, DensityConfig density, LogDensityConfig config) {
    return fromDensity(SpectralDensity.estimate(a, density), config);
  }

  /** The log-scale density from the quadrature rules of a linear-scale estimate. */
  public static LogDensityEstimate fromDensity(DensityEstimate linear, LogDensityConfig config) {
    SpectrumBounds b = linear.bounds();
    double radius = Math.max(Math.abs(b.lower()), Math.abs(b.upper()));
    for (QuadratureRule rule : linear.quadrature()) {
      radius = Math.max(radius, Math.max(Math.abs(rule.nodes()[0]),
          Math.abs(rule.nodes()[rule.steps() - 1])));
    }
    return fromQuadrature(
        linear.quadrature(), radius, linear.config().steps(), linear.config().seed(), config);
  }

  /**
   * The log-scale density of quadrature rules (a pure function).
   *
   * @param radius a bound on |lambda| (for the defaults of floor and kernel width), > 0
   * @param steps the Lanczos steps M of the rules
   * @param seed recorded in the result
   */
  public static LogDensityEstimate fromQuadrature(
      List<QuadratureRule> rules, double radius, int steps, long seed, LogDensityConfig config) {
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("rules must not be empty");
    }
    if (!(radius > 0)) {
      // A zero operator: everything is zero; any positive radius gives a valid empty plot.
      radius = 1.0;
    }
    double floor = Double.isNaN(config.floor())
        ? LogDensityConfig.DEFAULT_RELATIVE_FLOOR * radius
        : config.floor();
    double top = Math.log10(radius);
    double bottom = Math.log10(floor);
    double sigma = Double.isNaN(config.kernelWidth())
        ? Math.max(top - bottom, 1e-3) / steps
        : config.kernelWidth();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (QuadratureRule rule : rules) {
      for (double t : rule.nodes()) {
        if (Math.abs(t) > floor) {
          double l = Math.log10(Math.abs(t));
          lo = Math.min(lo, l);
          hi = Math.max(hi, l);
        }
      }
    }
    if (lo > hi) { // no node above the floor
      lo = bottom;
      hi = top;
    }
    double[] x = SpectralDensity.linspace(lo - 5 * sigma, hi + 5 * sigma, config.gridPoints());
    List<QuadratureRule> positive = part(rules, floor, +1);
    List<QuadratureRule> negative = part(rules, floor, -1);
    double massPositive = mass(positive) / rules.size();
    double massNegative = mass(negative) / rules.size();
    double[] fPositive = smoothed(positive, x, sigma, rules.size());
    double[] fNegative = smoothed(negative, x, sigma, rules.size());
    return new LogDensityEstimate(
        steps, rules.size(), seed, floor, sigma, x, fPositive, fNegative, massPositive,
        massNegative, Math.max(0, 1 - massPositive - massNegative));
  }

  /**
   * The nodes of each rule with the given sign beyond the floor, as {@code log10 |t|}, weights
   * unchanged (so each part keeps its share of the mass); rules with no such node are omitted.
   */
  private static List<QuadratureRule> part(List<QuadratureRule> rules, double floor, int sign) {
    return rules.stream()
        .map(
            rule -> {
              int count = 0;
              for (double t : rule.nodes()) {
                count += sign * t > floor ? 1 : 0;
              }
              if (count == 0) {
                return null;
              }
              double[] nodes = new double[count];
              double[] weights = new double[count];
              int c = 0;
              // Ascending log10 |t|: in node order for the positive part, reversed for the negative.
              for (int i = 0; i < rule.steps(); i++) {
                int k = sign > 0 ? i : rule.steps() - 1 - i;
                double t = rule.nodes()[k];
                if (sign * t > floor) {
                  nodes[c] = Math.log10(Math.abs(t));
                  weights[c++] = rule.weights()[k];
                }
              }
              return new QuadratureRule(rule.run(), rule.seed(), rule.breakdown(), nodes, weights);
            })
        .filter(r -> r != null)
        .toList();
  }

  private static double mass(List<QuadratureRule> rules) {
    double m = 0;
    for (QuadratureRule rule : rules) {
      for (double w : rule.weights()) {
        m += w;
      }
    }
    return m;
  }

  /** Kernel smoothing averaged over all {@code runs} (not only those with nodes in the part). */
  private static double[] smoothed(List<QuadratureRule> part, double[] x, double sigma, int runs) {
    if (part.isEmpty()) {
      return new double[x.length];
    }
    double[] f = SpectralDensity.smooth(part, x, sigma);
    double scale = (double) part.size() / runs; // smooth() averaged over part.size() rules
    for (int i = 0; i < f.length; i++) {
      f[i] *= scale;
    }
    return f;
  }
}
