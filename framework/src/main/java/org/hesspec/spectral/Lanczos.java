package org.hesspec.spectral;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.RecurrenceVectors;

/**
 * The Lanczos process for a symmetric operator known only by its products (Lanczos 1950; in the
 * form of Paige 1972, which is the stable ordering of the three-term recurrence).
 *
 * <p>From a random unit vector {@code q_0}, with {@code beta_{-1} = 0}, step {@code j} computes
 *
 * <pre>
 *   w       = A q_j - beta_{j-1} q_{j-1}
 *   alpha_j = q_j . w
 *   w      <- w - alpha_j q_j            (and, with full reorthogonalisation, w <- w - Q Q^T w twice)
 *   beta_j  = ||w||,   q_{j+1} = w / beta_j
 * </pre>
 *
 * so that {@code A Q_m = Q_m T_m + beta_{m-1} q_m e_m^T} with {@code T_m} tridiagonal. The plain
 * recurrence is Papyan's (2019) FASTLANCZOS: it holds three p-vectors (the product's output, {@code
 * q_{j-1}}, {@code q_j}) and allocates nothing per step; the step's own work is three passes over
 * the vectors (subtract and dot, subtract and norm, scale), memory-bound and small next to the
 * product.
 *
 * <p><b>Where the vectors live.</b> When the operator keeps vectors where its products run ({@link
 * LinearOperator#recurrence}: the curvature operators keep them in TensorFlow), the plain
 * recurrence runs there and a step returns only {@code alpha_j} and {@code ||w||^2} to Java; the
 * vectors cross only for checkpoints. Otherwise, and always with full reorthogonalisation, they are
 * Java arrays.
 *
 * <p><b>Breakdown.</b> When {@code beta_j <= tol * scale} (see {@link
 * LanczosConfig#breakdownTolerance()}) the Krylov space is invariant: {@code T} already holds exact
 * eigenvalues of {@code A}, and the run stops with {@link LanczosResult#breakdown()} set and fewer
 * steps than requested. An operator with r distinct eigenvalues breaks down after r steps.
 *
 * <p><b>Checkpoints.</b> With a {@link CheckpointPolicy} the state is saved every k steps and when
 * the run finishes; {@link #resume} continues from a saved state and produces the same {@code T}
 * bit for bit as an uninterrupted run, because the state holds every number the next step reads.
 */
public final class Lanczos {
  private Lanczos() {}

  /** Runs Lanczos on {@code a} with the given parameters, without progress or checkpoints. */
  public static LanczosResult run(LinearOperator a, LanczosConfig config) {
    return run(a, config, step -> {}, null);
  }

  /**
   * Runs Lanczos on {@code a}.
   *
   * @param onStep called after each step with the number of steps taken so far
   * @param checkpoint where to save the state, or null for no checkpoints
   */
  public static LanczosResult run(
      LinearOperator a, LanczosConfig config, IntConsumer onStep, CheckpointPolicy checkpoint) {
    return iterate(a, State.start(a.dimension(), config), 0, onStep, checkpoint);
  }

  /**
   * Continues the run saved in {@code saved} (a finished one is returned without products).
   *
   * @param a the same operator the run was started on
   * @param checkpoint where to keep saving the state, or null
   */
  public static LanczosResult resume(
      LinearOperator a, LanczosCheckpoint saved, IntConsumer onStep, CheckpointPolicy checkpoint) {
    if (saved.dimension() != a.dimension()) {
      throw new IllegalArgumentException(
          "checkpoint is for dimension " + saved.dimension() + ", the operator has dimension "
              + a.dimension());
    }
    return iterate(a, State.of(saved), 0, onStep, checkpoint);
  }

  /**
   * Resumes from {@code checkpoint.file()} when it exists (it must have been written for the same
   * config and dimension), otherwise starts a new run; saves the state as it goes.
   */
  public static LanczosResult runOrResume(
      LinearOperator a, LanczosConfig config, IntConsumer onStep, CheckpointPolicy checkpoint) {
    return runOrResume(a, config, 0, onStep, checkpoint);
  }

  /**
   * As {@link #runOrResume(LinearOperator, LanczosConfig, IntConsumer, CheckpointPolicy)}, judging
   * breakdown relative to at least {@code breakdownScale}: {@code beta_j <= tol * max(scale,
   * breakdownScale)}. For an operator mapped onto [-1, 1] the natural scale is 1, known before the
   * first step; without it, a point spectrum mapped to {@code 0 * I + rounding} would have only
   * rounding noise to compare its rounding noise with, and never break down.
   *
   * @param breakdownScale >= 0; 0 gives the plain relative test
   */
  public static LanczosResult runOrResume(
      LinearOperator a,
      LanczosConfig config,
      double breakdownScale,
      IntConsumer onStep,
      CheckpointPolicy checkpoint) {
    if (!(breakdownScale >= 0) || Double.isInfinite(breakdownScale)) {
      throw new IllegalArgumentException(
          "breakdownScale must be finite and >= 0, got " + breakdownScale);
    }
    if (checkpoint != null && Files.exists(checkpoint.file())) {
      LanczosCheckpoint saved = LanczosCheckpoint.read(checkpoint.file());
      if (!saved.config().equals(config)) {
        throw new IllegalArgumentException(
            "checkpoint " + checkpoint.file() + " was written for " + saved.config()
                + ", not for " + config);
      }
      if (saved.dimension() != a.dimension()) {
        throw new IllegalArgumentException(
            "checkpoint " + checkpoint.file() + " is for dimension " + saved.dimension()
                + ", the operator has dimension " + a.dimension());
      }
      return iterate(a, State.of(saved), breakdownScale, onStep, checkpoint);
    }
    return iterate(a, State.start(a.dimension(), config), breakdownScale, onStep, checkpoint);
  }

  /** The mutable state of a run: exactly what a checkpoint holds. */
  private static final class State {
    final LanczosConfig config;
    final int dimension;
    final int target;
    final double[] alpha;
    final double[] beta;
    int step;
    boolean complete;
    boolean breakdown;
    double[] previous; // q_{step-1}; zero before the first step
    double[] current; // q_step
    final double[][] basis; // FULL only: q_0 .. q_step

    State(LanczosConfig config, int dimension) {
      this.config = config;
      this.dimension = dimension;
      // More steps than the dimension cannot add information: with exact arithmetic the process
      // breaks down by step p.
      this.target = Math.min(config.steps(), dimension);
      this.alpha = new double[target];
      this.beta = new double[target];
      this.basis = config.reorthogonalization() == Reorthogonalization.FULL
          ? new double[target + 1][]
          : null;
    }

    static State start(int dimension, LanczosConfig config) {
      State s = new State(config, dimension);
      s.current = new double[dimension];
      config.startVector().fillUnit(s.current, config.seed());
      if (s.basis != null) {
        s.basis[0] = s.current;
      }
      // a plain run's q_{-1} = 0 is allocated by the array steps only: resident vectors need no Java copy
      return s;
    }

    static State of(LanczosCheckpoint c) {
      State s = new State(c.config(), c.dimension());
      if (c.step() > s.target) {
        throw new IllegalArgumentException(
            "checkpoint has " + c.step() + " steps, more than the run's " + s.target);
      }
      System.arraycopy(c.alpha(), 0, s.alpha, 0, c.step());
      System.arraycopy(c.beta(), 0, s.beta, 0, c.step());
      s.step = c.step();
      s.complete = c.complete();
      s.breakdown = c.breakdown();
      double[][] v = c.vectors();
      if (s.basis != null) {
        int expected = s.complete ? s.step : s.step + 1;
        requireCount(v, expected);
        System.arraycopy(v, 0, s.basis, 0, expected);
        if (!s.complete) {
          s.current = s.basis[s.step];
          s.previous = s.step > 0 ? s.basis[s.step - 1] : null;
        }
      } else if (!s.complete) {
        requireCount(v, 2);
        s.previous = v[0];
        s.current = v[1];
      }
      return s;
    }

    private static void requireCount(double[][] v, int expected) {
      if (v.length != expected) {
        throw new IllegalArgumentException(
            "checkpoint holds " + v.length + " vectors, expected " + expected);
      }
    }

    LanczosCheckpoint snapshot(java.util.function.Supplier<double[][]> plainVectors) {
      double[][] vectors;
      if (basis != null) {
        vectors = Arrays.copyOf(basis, complete ? step : step + 1);
      } else {
        vectors = complete ? new double[0][] : plainVectors.get();
      }
      return new LanczosCheckpoint(
          config, dimension, step, complete, breakdown, Arrays.copyOf(alpha, step),
          Arrays.copyOf(beta, step), vectors);
    }

    LanczosResult result() {
      int m = step;
      return new LanczosResult(
          config, dimension, Arrays.copyOf(alpha, m), Arrays.copyOf(beta, m), breakdown,
          basis == null ? null : Arrays.copyOf(basis, m));
    }
  }

  private static LanczosResult iterate(
      LinearOperator a,
      State s,
      double breakdownScale,
      IntConsumer onStep,
      CheckpointPolicy checkpoint) {
    if (s.basis == null && !s.complete) {
      Optional<RecurrenceVectors> resident = a.recurrence(0.0, 1.0);
      if (resident.isPresent()) {
        try (RecurrenceVectors r = resident.get()) {
          r.load(s.step > 0 ? s.previous : null, s.current);
          // from here on q_{j-1} and q_j live in r; the state reads them only for checkpoints
          s.previous = null;
          s.current = null;
          return iterate(new ResidentSteps(r), s, breakdownScale, onStep, checkpoint);
        }
      }
    }
    return iterate(new ArraySteps(a, s), s, breakdownScale, onStep, checkpoint);
  }

  /** The vector work of a step, on Java arrays or where the operator keeps its vectors. */
  private interface Steps {
    /** {@code {alpha_j, ||w||^2}} of step j, w orthogonalised as the run requires. */
    double[] step(int j, double betaPrevious);

    /** Makes {@code q_{j+1} = w / beta} current (called only when the run goes on). */
    void advance(double beta);

    /** {@code {q_{j-1}, q_j}} of a plain run, for a checkpoint. */
    double[][] plainVectors();
  }

  private static LanczosResult iterate(
      Steps steps, State s, double breakdownScale, IntConsumer onStep, CheckpointPolicy checkpoint) {
    // The operator-norm estimate is a pure function of alpha and beta, so a resumed run recomputes
    // exactly the value the interrupted run had.
    double scale = breakdownScale;
    for (int i = 0; i < s.step; i++) {
      scale = Math.max(scale, Math.abs(s.alpha[i]) + (i > 0 ? s.beta[i - 1] : 0));
    }
    while (!s.complete) {
      int j = s.step;
      double betaPrevious = j > 0 ? s.beta[j - 1] : 0;
      double[] alphaAndNorm = steps.step(j, betaPrevious);
      double alpha = alphaAndNorm[0];
      double beta = Math.sqrt(alphaAndNorm[1]);
      if (!Double.isFinite(alpha) || !Double.isFinite(beta)) {
        throw new ArithmeticException(
            "Lanczos step " + (j + 1) + ": the operator product contains NaN or infinity");
      }
      s.alpha[j] = alpha;
      s.beta[j] = beta;
      s.step = j + 1;
      scale = Math.max(scale, Math.abs(alpha) + betaPrevious);
      if (beta <= s.config.breakdownTolerance() * scale) {
        s.breakdown = true;
        s.complete = true;
      } else if (s.step == s.target) {
        s.complete = true;
      } else {
        steps.advance(beta);
      }
      onStep.accept(s.step);
      if (checkpoint != null && (s.complete || s.step % checkpoint.every() == 0)) {
        s.snapshot(steps::plainVectors).write(checkpoint.file());
      }
    }
    return s.result();
  }

  /**
   * Steps on Java arrays: the product through {@link LinearOperator#apply}, then three passes
   * over the vectors (subtract and dot, subtract and norm, scale), with full reorthogonalisation
   * against the kept basis when the run asks for it.
   */
  private static final class ArraySteps implements Steps {
    private final LinearOperator a;
    private final State s;
    private final double[] w;
    private final double[] coefficients;

    ArraySteps(LinearOperator a, State s) {
      this.a = a;
      this.s = s;
      this.w = s.complete ? null : new double[s.dimension];
      if (s.basis == null && s.previous == null && !s.complete) {
        s.previous = new double[s.dimension]; // q_{-1} = 0
      }
      this.coefficients = s.basis != null ? new double[s.target + 1] : null;
    }

    @Override
    public double[] step(int j, double betaPrevious) {
      int p = s.dimension;
      double[] q = s.current;
      double[] qPrevious = s.previous;
      a.apply(q, w);
      double alpha = 0;
      if (j > 0) {
        for (int i = 0; i < p; i++) {
          double wi = w[i] - betaPrevious * qPrevious[i];
          w[i] = wi;
          alpha += wi * q[i];
        }
      } else {
        alpha = Vectors.dot(w, q);
      }
      double normSquared = 0;
      for (int i = 0; i < p; i++) {
        double wi = w[i] - alpha * q[i];
        w[i] = wi;
        normSquared += wi * wi;
      }
      if (s.basis != null) {
        Vectors.orthogonalizeTwice(w, s.basis, j + 1, coefficients);
        normSquared = Vectors.dot(w, w);
      }
      return new double[] {alpha, normSquared};
    }

    @Override
    public void advance(double beta) {
      double inverse = 1.0 / beta;
      double[] next;
      if (s.basis != null) {
        next = new double[s.dimension]; // kept as a basis vector, not scratch
        s.basis[s.step] = next;
      } else {
        next = s.previous; // q_{j-1} is no longer needed: reuse its storage
      }
      for (int i = 0; i < next.length; i++) {
        next[i] = w[i] * inverse;
      }
      s.previous = s.current;
      s.current = next;
    }

    @Override
    public double[][] plainVectors() {
      return new double[][] {s.previous, s.current};
    }
  }

  /** Steps on vectors the operator keeps ({@link RecurrenceVectors}): two numbers cross per step. */
  private static final class ResidentSteps implements Steps {
    private final RecurrenceVectors r;

    ResidentSteps(RecurrenceVectors r) {
      this.r = r;
    }

    @Override
    public double[] step(int j, double betaPrevious) {
      return r.step(betaPrevious);
    }

    @Override
    public void advance(double beta) {
      // the step has already moved q_{j+1} = w / ||w|| into place
    }

    @Override
    public double[][] plainVectors() {
      return new double[][] {r.previous(), r.current()};
    }
  }
}
