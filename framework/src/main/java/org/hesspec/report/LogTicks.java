package org.hesspec.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Where to put labelled ticks on a base-10 logarithmic axis. Over two decades or more, the whole
 * decades 10^k are enough (and JFreeChart's own choice is kept). Over a shorter range there may be
 * one decade inside it, or none (outliers from 12 to 40 span 0.5 decades and would show only
 * "10^1"), so the ticks are the 1-2-5 steps {@code {1, 2, 5} x 10^k}, refined to
 * {@code {1, 2, 3, 5} x 10^k} and then to every {@code m x 10^k}, m = 1..9, until at least
 * {@link #MIN_TICKS} fall inside the range. They are labelled as plain numbers ({@link #label}).
 */
public final class LogTicks {

  /** The fewest labelled ticks a short log axis should show. */
  public static final int MIN_TICKS = 3;

  private static final int[][] MANTISSAS = {{1, 2, 5}, {1, 2, 3, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};

  private LogTicks() {}

  /** Whether {@code [lo, hi]} spans fewer than two decades, where decade ticks alone say too little. */
  public static boolean isShort(double lo, double hi) {
    check(lo, hi);
    return hi / lo < 100;
  }

  /**
   * The tick values inside {@code [lo, hi]}, ascending: on a short range (fewer than two decades)
   * the coarsest of the 1-2-5, 1-2-3-5 and 1..9 mantissa sets that puts at least
   * {@link #MIN_TICKS} ticks in the range (the finest set when none does), else the decades.
   *
   * @throws IllegalArgumentException unless {@code 0 < lo < hi}, both finite
   */
  public static double[] positions(double lo, double hi) {
    check(lo, hi);
    if (!isShort(lo, hi)) {
      return decades(lo, hi);
    }
    double[] ticks = new double[0];
    for (int[] set : MANTISSAS) {
      ticks = multiples(set, lo, hi);
      if (ticks.length >= MIN_TICKS) {
        return ticks;
      }
    }
    return ticks;
  }

  /**
   * A tick value as a plain number with no trailing zeros and no rounding noise: {@code 20},
   * {@code 0.03}, {@code 500000}; scientific ({@code 2e-7}) outside [1e-4, 1e6).
   */
  public static String label(double value) {
    double a = Math.abs(value);
    // The ticks are m x 10^k: three significant digits remove the binary rounding of 10^k.
    BigDecimal d = new BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros();
    if (a != 0 && (a < 1e-4 || a >= 1e6)) {
      String[] parts = String.format(java.util.Locale.ROOT, "%.2e", value).split("e");
      String mantissa = parts[0].replaceAll("\\.?0+$", "");
      return mantissa + "e" + Integer.parseInt(parts[1]);
    }
    return d.toPlainString();
  }

  private static double[] decades(double lo, double hi) {
    List<Double> out = new ArrayList<>();
    for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
      double v = pow10(k);
      if (inside(v, lo, hi)) {
        out.add(v);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] multiples(int[] mantissas, double lo, double hi) {
    List<Double> out = new ArrayList<>();
    for (int k = (int) Math.floor(Math.log10(lo)) - 1; k <= (int) Math.ceil(Math.log10(hi)); k++) {
      for (int m : mantissas) {
        // m * 10^k computed from the decimal so that 3 x 10^-1 is the double nearest 0.3
        double v = new BigDecimal(m).scaleByPowerOfTen(k).doubleValue();
        if (inside(v, lo, hi)) {
          out.add(v);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Inside the range, allowing for the rounding of an end that sits on a tick. */
  private static boolean inside(double v, double lo, double hi) {
    return v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12);
  }

  private static double pow10(int k) {
    return new BigDecimal(1).scaleByPowerOfTen(k).doubleValue();
  }

  private static void check(double lo, double hi) {
    if (!(lo > 0 && hi > lo && Double.isFinite(hi))) {
      throw new IllegalArgumentException("a log axis needs 0 < lo < hi, finite; got [" + lo + ", " + hi + "]");
    }
  }
}
