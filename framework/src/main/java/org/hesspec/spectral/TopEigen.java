package org.hesspec.spectral;

import java.nio.file.Path;
import org.hesspec.curvature.KrylovVectors;
import org.hesspec.curvature.LinearOperator;

/**
 * Extreme eigenpairs of a symmetric operator converged to a tolerance: thick-restart Lanczos with
 * full reorthogonalisation in a bounded basis (Wu and Simon 2000; see {@link ThickRestartLanczos}),
 * the Rayleigh-Ritz procedure on the basis (Parlett, The Symmetric Eigenvalue Problem, ch. 13;
 * Golub and Van Loan, Matrix Computations, sec. 10.1). Papyan (2019) locates the outliers of
 * deepnet Hessians this way.
 *
 * <p>Memory: {@code M + 1} basis vectors in the config's basis precision and the pairs' vectors
 * if kept. Where they live depends on the operator ({@link ThickRestartLanczos#basisFor}): a
 * curvature operator of a {@code CurvatureGraph} keeps them in its TensorFlow session in the
 * model's dtype when that is the basis precision (no p-vector crosses to Java during the
 * iteration; two float64 p-vectors for the final residual products); any other operator keeps
 * them in Java arrays, with two float64 work vectors.
 */
public final class TopEigen {
  private TopEigen() {}

  /** Computes the pairs without progress reports or checkpoints. */
  public static EigenPairs compute(LinearOperator a, TopEigenConfig config) {
    return compute(a, config, RunOptions.sequential());
  }

  /**
   * Computes the pairs; reports progress per product as task {@code "top-eigen"}, and saves its
   * state every {@code checkpointEvery} products to {@code top-eigen.restart} when {@code
   * options} name a checkpoint directory (a computation started again with the same directory and
   * config resumes from it bit for bit). Threads are not used for runs: the products of one
   * Lanczos run are sequential (the basis work is spread over the cores).
   */
  public static EigenPairs compute(LinearOperator a, TopEigenConfig config, RunOptions options) {
    return compute(a, config, options, "top-eigen");
  }

  /** As {@link #compute(LinearOperator, TopEigenConfig, RunOptions)} with checkpoint file {@code name.restart}. */
  public static EigenPairs compute(
      LinearOperator a, TopEigenConfig config, RunOptions options, String name) {
    CheckpointPolicy checkpoint =
        options.checkpointDirectory() == null
            ? null
            : new CheckpointPolicy(
                options.checkpointDirectory().resolve(name + ".restart"), options.checkpointEvery());
    ProgressTracker progress =
        new ProgressTracker("top-eigen", 1, config.maxProducts(), options.listener());
    try (KrylovVectors basis = ThickRestartLanczos.basisFor(a, config)) {
      ThickRestartState s =
          ThickRestartLanczos.runOrResume(
              basis, config, done -> progress.step(0, (int) done), checkpoint);
      progress.finished(0, (int) s.products);
      return finish(a, s);
    }
  }

  /** Resumes the computation saved in {@code file} (written for this config and operator). */
  static EigenPairs resume(LinearOperator a, TopEigenConfig config, Path file, int every) {
    CheckpointPolicy checkpoint = new CheckpointPolicy(file, every);
    try (KrylovVectors basis = ThickRestartLanczos.basisFor(a, config)) {
      return finish(a, ThickRestartLanczos.runOrResume(basis, config, done -> {}, checkpoint));
    }
  }

  /**
   * The pairs of a finished (or budget-limited) run: the locked pairs, or when the budget ran out
   * in a search, the best of the locked and the active wanted Ritz pairs; then their residuals,
   * by product when the config asks for it.
   */
  static EigenPairs finish(LinearOperator a, ThickRestartState s) {
    TopEigenConfig config = s.config;
    int p = s.dimension;
    Candidates c = Candidates.of(s);
    int count = c.values.length;
    double norm = s.ritzNorm;
    for (double v : c.allValues) {
      norm = Math.max(norm, Math.abs(v));
    }
    double[] residuals = new double[count];
    boolean[] converged = new boolean[count];
    double[][] vectors = config.keepVectors() ? new double[count][] : null;
    boolean byProduct = config.residuals() == TopEigenConfig.ResidualMethod.PRODUCT;
    double[] x = null;
    double[] ax = null;
    long products = s.products;
    for (int i = 0; i < count; i++) {
      if (byProduct && vectors == null && c.source[i] >= 0) {
        // a locked pair's vector is a slot: its residual is computed where the basis lives
        residuals[i] = s.basis.residual(c.source[i], c.values[i]);
        products++;
        converged[i] = residuals[i] <= config.tolerance() * norm;
        continue;
      }
      if (byProduct || vectors != null) {
        if (x == null) {
          x = new double[p];
          ax = byProduct ? new double[p] : null;
        }
        c.vector(s, i, x);
        // Q s is a unit vector up to the basis' orthogonality (rounding level, in the basis
        // precision); normalising makes the residual that of a unit vector exactly.
        Vectors.scale(1.0 / Vectors.norm(x), x);
      }
      if (byProduct) {
        a.apply(x, ax);
        products++;
        double r2 = 0;
        for (int e = 0; e < p; e++) {
          double r = ax[e] - c.values[i] * x[e];
          r2 += r * r;
        }
        residuals[i] = Math.sqrt(r2);
      } else {
        residuals[i] = c.estimates[i];
      }
      converged[i] = residuals[i] <= config.tolerance() * norm;
      if (vectors != null) {
        vectors[i] = x.clone();
      }
    }
    int fromLargest =
        switch (config.which()) {
          case LARGEST -> count;
          case SMALLEST -> 0;
          case BOTH_ENDS -> Math.min(count, c.topCount);
          case LARGEST_MAGNITUDE -> -1;
        };
    EigenPairs.Stop stop =
        s.phase != ThickRestartState.Phase.DONE
            ? EigenPairs.Stop.BUDGET
            : s.exhausted ? EigenPairs.Stop.SPACE_EXHAUSTED : EigenPairs.Stop.CONVERGED;
    return new EigenPairs(
        config, products, s.restarts, c.values, fromLargest, residuals, config.tolerance() * norm,
        converged, vectors, c.estimates.clone(), stop);
  }

  /** The pairs to report, in report order, with where their vectors are. */
  private static final class Candidates {
    double[] values;
    double[] estimates;
    double[] allValues;
    int topCount;
    /** Per pair: a locked slot (>= 0), or -1 - j for active Ritz vector j. */
    int[] source;
    ThickRestartLanczos.Ritz ritz;

    static Candidates of(ThickRestartState s) {
      Candidates c = new Candidates();
      int nl = s.locked;
      double[] values = s.lockedValues;
      double[] estimates = s.lockedResiduals;
      int[] source = new int[nl];
      for (int i = 0; i < nl; i++) {
        source[i] = i;
      }
      c.allValues = values;
      if (s.phase == ThickRestartState.Phase.SEARCH && s.active > 0) {
        // The budget ran out in a search: the best of the locked and the active wanted pairs.
        ThickRestartLanczos.Ritz r = ThickRestartLanczos.ritzOf(s);
        c.ritz = r;
        int[] ends = ThickRestartLanczos.wantedCounts(s.config, s.dimension);
        int n = s.active;
        int top = Math.min(ends[0], n);
        int[] wanted =
            ThickRestartLanczos.select(r.values(), s.config.which(), top, Math.min(ends[1], n - top));
        double[] allV = new double[nl + wanted.length];
        double[] allE = new double[nl + wanted.length];
        int[] allS = new int[nl + wanted.length];
        for (int i = 0; i < nl; i++) {
          allV[i] = values[i];
          allE[i] = estimates[i];
          allS[i] = i;
        }
        for (int j = 0; j < wanted.length; j++) {
          allV[nl + j] = r.values()[wanted[j]];
          allE[nl + j] = r.estimates()[wanted[j]];
          allS[nl + j] = -1 - wanted[j];
        }
        double[] every = new double[nl + r.values().length];
        System.arraycopy(values, 0, every, 0, nl);
        System.arraycopy(r.values(), 0, every, nl, r.values().length);
        c.allValues = every;
        int[] best = ThickRestartLanczos.selectAny(allV, s.config.which(), ends[0], ends[1]);
        values = new double[best.length];
        estimates = new double[best.length];
        source = new int[best.length];
        for (int t = 0; t < best.length; t++) {
          values[t] = allV[best[t]];
          estimates[t] = allE[best[t]];
          source[t] = allS[best[t]];
        }
      }
      c.values = values;
      c.estimates = estimates;
      c.source = source;
      c.topCount = countTop(s.config, values, ThickRestartLanczos.wantedCounts(s.config, s.dimension));
      return c;
    }

    private static int countTop(TopEigenConfig config, double[] values, int[] ends) {
      return config.which() == TopEigenConfig.Which.BOTH_ENDS
          ? Math.min(ends[0], values.length)
          : 0;
    }

    void vector(ThickRestartState s, int i, double[] out) {
      int src = source[i];
      if (src >= 0) {
        s.basis.get(src, out);
      } else {
        int j = -1 - src;
        double[] coefficients = new double[s.active];
        for (int r = 0; r < s.active; r++) {
          coefficients[r] = ritz.vectors()[r][j];
        }
        s.basis.combine(s.locked, coefficients, out);
      }
    }
  }
}
