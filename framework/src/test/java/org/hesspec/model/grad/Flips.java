package org.hesspec.model.grad;

import org.tensorflow.Output;

/**
 * Counts how many kinks a central difference would cross: the sign of a pre-activation, or the
 * argmax of a pooling window, that differs between theta and theta +- eps v. Finite differences
 * of a piecewise-smooth function are only meaningful when the count is zero.
 */
final class Flips {

  private Flips() {}

  /** Entries of {@code t} whose sign at theta +- eps v differs from theta's. */
  static int signFlips(HvpFixture f, Output<?> t, long seed, double thetaScale, double eps) {
    double[] th = HvpFixture.random(seed, f.p, thetaScale);
    double[] v = HvpFixture.random(seed + 1, f.p, 1.0);
    double[] at = f.eval(t, th);
    int flips = 0;
    for (double sgn : new double[] {-1, 1}) {
      double[] moved = f.eval(t, HvpFixture.axpy(th, sgn * eps, v));
      for (int i = 0; i < at.length; i++) {
        if (Math.signum(at[i]) != Math.signum(moved[i])) {
          flips++;
        }
      }
    }
    return flips;
  }

  /**
   * Windows of a VALID k x k, stride k max pool over an NHWC tensor [1, h, w, c] whose argmax at
   * theta +- eps v differs from theta's.
   */
  static int maxPoolArgmaxFlips(
      HvpFixture f, Output<?> z, int h, int w, int c, int k, long seed, double thetaScale, double eps) {
    double[] th = HvpFixture.random(seed, f.p, thetaScale);
    double[] v = HvpFixture.random(seed + 1, f.p, 1.0);
    int[] at = argmaxes(f.eval(z, th), h, w, c, k);
    int flips = 0;
    for (double sgn : new double[] {-1, 1}) {
      int[] moved = argmaxes(f.eval(z, HvpFixture.axpy(th, sgn * eps, v)), h, w, c, k);
      for (int i = 0; i < at.length; i++) {
        if (at[i] != moved[i]) {
          flips++;
        }
      }
    }
    return flips;
  }

  private static int[] argmaxes(double[] z, int h, int w, int c, int k) {
    int[] result = new int[(h / k) * (w / k) * c];
    int r = 0;
    for (int i = 0; i + k <= h; i += k) {
      for (int j = 0; j + k <= w; j += k) {
        for (int ch = 0; ch < c; ch++) {
          int best = -1;
          double max = Double.NEGATIVE_INFINITY;
          for (int di = 0; di < k; di++) {
            for (int dj = 0; dj < k; dj++) {
              int idx = ((i + di) * w + (j + dj)) * c + ch;
              if (z[idx] > max) {
                max = z[idx];
                best = idx;
              }
            }
          }
          result[r++] = best;
        }
      }
    }
    return result;
  }
}
