package org.hesspec.spectral;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.hesspec.curvature.KrylovVectors;
import org.hesspec.curvature.LinearOperator;

/**
 * Extreme eigenpairs of a symmetric operator by thick-restart Lanczos (Wu and Simon, "Thick-restart
 * Lanczos method for large symmetric eigenvalue problems", SIAM J. Matrix Anal. Appl. 22, 2000),
 * with full reorthogonalisation, a bounded basis and convergence to a tolerance.
 *
 * <p><b>Expansion.</b> With an orthonormal active basis {@code Q = [q_0 .. q_{n-1}]} and next vector
 * {@code q_n}, a step computes {@code w = A q_n}, removes its components along every basis vector
 * (classical Gram-Schmidt twice), records them as column n of the projection {@code H = Q^T A Q}
 * (symmetric, so row n too), and normalises the rest: {@code q_{n+1} = w / beta_n}. Then {@code A
 * Q_{n+1} = Q_{n+1} H_{n+1} + beta_n q_{n+1} e^T}, so a Ritz pair {@code (theta, Q s)} of {@code H
 * s = theta s} has residual {@code ||A Q s - theta Q s|| = beta_n |s_last|} (Parlett, The Symmetric
 * Eigenvalue Problem, sec. 13-1). Taking H's entries from the computed projections rather than
 * assuming a tridiagonal form keeps the relation exact after restarts.
 *
 * <p><b>Restart.</b> When the basis holds M vectors and not every wanted pair has converged, it is
 * replaced by the l most wanted Ritz vectors {@code Y = Q S_l} and the residual direction {@code
 * q_M}: then {@code A Y = Y Theta + q_M beta (e^T S_l)}, H is {@code diag(theta)} and the expansion
 * continues from {@code q_M}. As in ARPACK (Lehoucq, Sorensen and Yang 1998, "nev adjustment"),
 * {@code l = w + min(converged, (M - w) / 2)} for w wanted pairs, so converged pairs speed up the
 * rest without filling the basis.
 *
 * <p><b>Convergence.</b> A pair is converged when {@code beta |s_last| <= tol * max |theta|}; the
 * iteration goes on to a fraction of that ({@link #margin}) so that the pairs, their residuals
 * recomputed by product, stay within the tolerance after deflation and basis rounding. Every
 * wanted pair converged, they are locked (kept, no longer iterated), and a verification start
 * vector orthogonal to them runs one more cycle on the deflated operator {@code (I - L L^T) A (I -
 * L L^T)}: a single start vector's Krylov space holds only one vector of each eigenspace, so a
 * repeated eigenvalue appears once until rounding brings in its other copies; a fresh vector has
 * O(1) components on them, and a Ritz value from it more extreme than the last locked one (by more
 * than the tolerance) proves a pair was missed: the search resumes on the deflated operator and
 * the best pairs of both are kept. Without such a value the run stops (this verification costs
 * about {@code M - w} products).
 *
 * <p><b>Breakdown.</b> When {@code beta_n} falls below {@link LanczosConfig#DEFAULT_BREAKDOWN_TOLERANCE}
 * times the norm estimate, the space is invariant: the Ritz pairs are exact, and the expansion
 * continues from a random vector orthogonal to the basis (zero coupling, so the relation stays
 * exact). When no such vector is left (the basis spans the whole space) every eigenpair is found.
 *
 * <p><b>Storage.</b> The basis and the work vector w are a {@link KrylovVectors}: the operator's
 * own when it keeps one where its products run ({@link LinearOperator#krylovVectors}; the
 * curvature operators keep it in their TensorFlow session), else Java arrays with products
 * through {@link LinearOperator#apply}. The iteration itself sees only coefficients, norms and
 * the small projection H.
 *
 * <p><b>Determinism.</b> Random vectors come from the config's seed ({@code Seeds.derive(seed, i)}
 * for the i-th vector after the first), and every reduction sums in a fixed order, so the result is
 * a function of the config and the operator; the state ({@link ThickRestartState}) saved after any
 * product resumes bit for bit.
 */
final class ThickRestartLanczos {
  /** A random vector whose part orthogonal to the basis is below this norm is in its span. */
  private static final double SPAN_TOLERANCE = 1e-8;

  private final ThickRestartState s;
  private final TopEigenConfig config;
  private final int p;
  private final int capacity;
  private final int[] ends; // wanted counts {largest end, smallest end}; {k, 0} for single-end orders
  private final long iterationBudget;

  private ThickRestartLanczos(ThickRestartState s) {
    this.s = s;
    this.config = s.config;
    this.p = s.dimension;
    this.capacity = ThickRestartState.capacity(config, p);
    this.ends = wantedCounts(config, p);
    int wanted = ends[0] + ends[1];
    long finalProducts = config.residuals() == TopEigenConfig.ResidualMethod.PRODUCT ? wanted : 0;
    this.iterationBudget = Math.max(1, config.maxProducts() - finalProducts);
  }

  /** The wanted counts at each end for dimension p: the largest end, the smallest end. */
  static int[] wantedCounts(TopEigenConfig config, int p) {
    int k = config.k();
    if (config.which() == TopEigenConfig.Which.BOTH_ENDS) {
      int top = Math.min(k, (p + 1) / 2);
      return new int[] {top, Math.min(k, p - top)};
    }
    return new int[] {Math.min(k, p), 0};
  }

  /** A new state over {@code basis}: the start vector in slot 0. */
  static ThickRestartState start(TopEigenConfig config, KrylovVectors basis) {
    int p = basis.dimension();
    ThickRestartState s = new ThickRestartState(config, p, basis);
    double[] v = new double[p];
    config.startVector().fillUnit(v, config.seed());
    s.basis.set(0, v);
    return s;
  }

  /**
   * Runs until every wanted pair is converged and verified or the product budget (less the final
   * residual products) is spent.
   *
   * @param onProduct called after each product with the number taken so far
   * @param checkpoint where to save the state, or null
   */
  static ThickRestartState run(
      ThickRestartState s, LongConsumer onProduct, CheckpointPolicy checkpoint) {
    new ThickRestartLanczos(s).iterate(onProduct, checkpoint);
    return s;
  }

  /**
   * Resumes from {@code checkpoint.file()} when it exists, otherwise starts afresh, in {@code
   * basis} (which takes the products, see {@link #basisFor}).
   */
  static ThickRestartState runOrResume(
      KrylovVectors basis, TopEigenConfig config, LongConsumer onProduct,
      CheckpointPolicy checkpoint) {
    ThickRestartState s =
        checkpoint != null && Files.exists(checkpoint.file())
            ? ThickRestartState.read(checkpoint.file(), config, basis)
            : start(config, basis);
    return run(s, onProduct, checkpoint);
  }

  /**
   * The basis for a run on {@code a}: the operator's own ({@link LinearOperator#krylovVectors},
   * resident where its products run) when it offers one in the config's basis precision, else
   * Java arrays with products through {@link LinearOperator#apply}.
   */
  static KrylovVectors basisFor(LinearOperator a, TopEigenConfig config) {
    int slots = ThickRestartState.slots(config, a.dimension());
    return a.krylovVectors(slots, config.basisPrecision())
        .orElseGet(() -> new ArrayKrylovVectors(a, slots, config.basisPrecision()));
  }

  private void iterate(LongConsumer onProduct, CheckpointPolicy checkpoint) {
    while (s.phase != ThickRestartState.Phase.DONE && s.products < iterationBudget) {
      step();
      onProduct.accept(s.products);
      if (due()) {
        analyse();
      }
      if (checkpoint != null
          && (s.phase == ThickRestartState.Phase.DONE || s.products % checkpoint.every() == 0)) {
        s.write(checkpoint.file());
      }
    }
  }

  /** Whether the Ritz pairs are examined after this step: cheap for small bases, so always then. */
  private boolean due() {
    int n = s.active;
    int every = capacity <= 128 ? 1 : (capacity + 31) / 32;
    return s.exhausted || n == capacity - s.locked || n % every == 0;
  }

  /** One product and the expansion of the active basis by one vector. */
  private void step() {
    int n = s.active;
    int base = s.locked;
    double total = s.basis.product(base + n);
    s.products++;
    if (!Double.isFinite(total)) {
      throw new ArithmeticException(
          "top-eigen product " + s.products + ": the operator product contains NaN or infinity");
    }
    double[] c = s.basis.orthogonalizeTwice(base + n + 1);
    for (int r = 0; r <= n; r++) {
      s.h[r][n] = c[base + r];
      s.h[n][r] = c[base + r];
    }
    s.active = n + 1;
    s.scale = Math.max(s.scale, Math.sqrt(total));
    double beta = s.basis.norm();
    if (s.locked + s.active >= p) {
      s.exhausted = true; // the basis spans the space: the remainder is rounding
      s.lastBeta = 0;
    } else if (beta <= LanczosConfig.DEFAULT_BREAKDOWN_TOLERANCE * s.scale) {
      s.lastBeta = 0; // invariant subspace: zero coupling to whatever comes next
      if (!inject(base + s.active)) {
        s.exhausted = true;
      }
    } else {
      s.lastBeta = beta;
      s.basis.storeScaled(base + s.active, 1.0 / beta);
    }
  }

  /** Puts a fresh random unit vector orthogonal to slots {@code [0, slot)} into {@code slot}. */
  private boolean inject(int slot) {
    if (slot >= p) {
      return false;
    }
    s.injections++;
    double[] v = new double[p];
    config.startVector().fillUnit(v, Seeds.derive(config.seed(), s.injections));
    s.basis.load(v);
    s.basis.orthogonalizeTwice(slot);
    double norm = s.basis.norm();
    if (!(norm > SPAN_TOLERANCE)) {
      return false;
    }
    s.basis.storeScaled(slot, 1.0 / norm);
    return true;
  }

  /** The Ritz pairs of the active projection: ascending values, {@code vectors[i][j]} = s_j[i]. */
  record Ritz(double[] values, double[][] vectors, double[] estimates) {}

  Ritz ritz() {
    return ritzOf(s);
  }

  /** The Ritz pairs of the state's active projection (at least one product taken). */
  static Ritz ritzOf(ThickRestartState s) {
    int n = s.active;
    DMatrixRMaj m = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        m.set(i, j, s.h[i][j]);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(m)) {
      throw new ArithmeticException("the eigendecomposition of the " + n + " x " + n + " projection failed");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> eig.getEigenvalue(i).getReal()));
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    double[] estimates = new double[n];
    for (int j = 0; j < n; j++) {
      values[j] = eig.getEigenvalue(order[j]).getReal();
      DMatrixRMaj v = eig.getEigenVector(order[j]);
      double norm = 0;
      for (int i = 0; i < n; i++) {
        norm += v.get(i) * v.get(i);
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        vectors[i][j] = v.get(i) / norm;
      }
      estimates[j] = s.lastBeta * Math.abs(vectors[n - 1][j]);
    }
    return new Ritz(values, vectors, estimates);
  }

  /**
   * The largest |Ritz value| seen so far, these included: the scale of the tolerance (an estimate
   * of ||A|| from below, whichever end is wanted).
   */
  private double norm(double[] ritzValues) {
    for (double v : ritzValues) {
      s.ritzNorm = Math.max(s.ritzNorm, Math.abs(v));
    }
    return s.ritzNorm;
  }

  /**
   * The fraction of the tolerance the iteration converges its pairs to: {@code min(0.1, 0.5 /
   * sqrt(w))}. A pair found after locking is a Ritz pair of the deflated operator {@code P A P}; its
   * residual for A adds {@code L R^T y}, R the residuals of the w locked pairs, at most {@code
   * sqrt(w)} times their bound. With this margin the sum stays below {@code 0.6 tol}, and the
   * residuals recomputed by product in the basis precision stay within the tolerance.
   */
  private double margin() {
    return Math.min(0.1, 0.5 / Math.sqrt(Math.max(1, ends[0] + ends[1])));
  }

  private void analyse() {
    Ritz r = ritz();
    int n = s.active;
    double threshold = margin() * config.tolerance() * norm(r.values());
    if (s.phase == ThickRestartState.Phase.VERIFY) {
      if (beatsLocked(r.values(), config.tolerance() * norm(r.values()))) {
        s.phase = ThickRestartState.Phase.SEARCH;
      } else {
        if (n == capacity - s.locked || s.exhausted) {
          s.phase = ThickRestartState.Phase.DONE;
          s.basis.clearFrom(s.locked);
          s.active = 0;
        }
        return;
      }
    }
    int[] counts = activeWanted();
    int top = Math.min(counts[0], n);
    int[] wanted = select(r.values(), config.which(), top, Math.min(counts[1], n - top));
    int converged = 0;
    for (int j : wanted) {
      converged += r.estimates()[j] <= threshold ? 1 : 0;
    }
    boolean enough = s.exhausted || wanted.length == counts[0] + counts[1];
    if (enough && converged == wanted.length) {
      lock(r, wanted);
      return;
    }
    // No restart once the budget is spent: the result is then read from the full basis, whose Ritz
    // pairs carry their Lanczos estimates beta |s_last|. Right after a restart the projection is
    // diag(theta) and the coupling of the kept vectors to the residual direction is not in it
    // until the next product, so their estimates would read 0.
    if (n == capacity - s.locked && s.products < iterationBudget) {
      restart(r, converged);
    }
  }

  /**
   * The wanted counts of the active basis: all w while nothing is locked; after a verification
   * found a missed pair, as many as the active room allows (the best w of locked and active are
   * kept).
   */
  private int[] activeWanted() {
    if (s.locked == 0) {
      return ends;
    }
    int room = capacity - s.locked - 1;
    int top = Math.min(ends[0], room);
    return new int[] {top, Math.min(ends[1], room - top)};
  }

  /** Whether a Ritz value of the fresh cycle is more extreme than the last locked one at its end. */
  private boolean beatsLocked(double[] ascending, double threshold) {
    if (ascending.length == 0 || s.locked == 0) {
      return ascending.length > 0;
    }
    double top = ascending[ascending.length - 1];
    double bottom = ascending[0];
    double[] v = s.lockedValues;
    switch (config.which()) {
      case LARGEST:
        return top > v[s.locked - 1] + threshold;
      case SMALLEST:
        return bottom < v[s.locked - 1] - threshold;
      case LARGEST_MAGNITUDE:
        return Math.max(Math.abs(top), Math.abs(bottom)) > Math.abs(v[s.locked - 1]) + threshold;
      case BOTH_ENDS: {
        // locked values: the largest end (descending), then the smallest end (ascending)
        int nTop = ends[0];
        boolean topBeats = nTop > 0 && top > v[nTop - 1] + threshold;
        boolean bottomBeats = ends[1] > 0 && bottom < v[s.locked - 1] - threshold;
        return topBeats || bottomBeats;
      }
      default:
        throw new IllegalStateException();
    }
  }

  /**
   * Thick restart: keeps the l most wanted Ritz vectors, with l = w + min(converged, (M' - w) / 2)
   * for the active capacity M', and the residual direction.
   */
  private void restart(Ritz r, int converged) {
    int n = s.active;
    int room = capacity - s.locked;
    int[] counts = activeWanted();
    int wanted = counts[0] + counts[1];
    int extra = Math.max(0, Math.min(converged, (room - wanted) / 2));
    int[] keep;
    if (config.which() == TopEigenConfig.Which.BOTH_ENDS) {
      int top = Math.min(counts[0] + (extra + 1) / 2, n);
      keep = select(r.values(), config.which(), top, Math.min(counts[1] + extra / 2, n - top));
    } else {
      keep = select(r.values(), config.which(), Math.min(wanted + extra, n), 0);
    }
    int l = Math.min(keep.length, room - 1);
    double[][] sKept = new double[n][l];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < l; c++) {
        sKept[i][c] = r.vectors()[i][keep[c]];
      }
    }
    int base = s.locked;
    s.basis.transform(base, n, sKept, l);
    if (!s.exhausted) {
      s.basis.move(base + n, base + l);
    }
    // The slots after the kept vectors keep their arrays: the next cycle overwrites them, so the
    // basis is allocated once (no garbage of M - l p-vectors per cycle).
    for (double[] row : s.h) {
      Arrays.fill(row, 0);
    }
    for (int c = 0; c < l; c++) {
      s.h[c][c] = r.values()[keep[c]];
    }
    s.active = l;
    s.restarts++;
  }

  /**
   * Locks the best w pairs among the locked ones and the wanted active ones, then starts a
   * verification cycle (or finishes when the space is exhausted).
   */
  private void lock(Ritz r, int[] activeWanted) {
    int nl = s.locked;
    int na = activeWanted.length;
    double[] values = new double[nl + na];
    double[] residuals = new double[nl + na];
    for (int i = 0; i < nl; i++) {
      values[i] = s.lockedValues[i];
      residuals[i] = s.lockedResiduals[i];
    }
    for (int c = 0; c < na; c++) {
      values[nl + c] = r.values()[activeWanted[c]];
      residuals[nl + c] = r.estimates()[activeWanted[c]];
    }
    int[] best = selectAny(values, config.which(), ends[0], ends[1]);
    // Active chosen vectors Q s go to the front of the active slots, then everything is reordered.
    List<Integer> fromActive = new ArrayList<>();
    for (int b : best) {
      if (b >= nl) {
        fromActive.add(b - nl);
      }
    }
    int n = s.active;
    double[][] sChosen = new double[n][fromActive.size()];
    for (int c = 0; c < fromActive.size(); c++) {
      for (int i = 0; i < n; i++) {
        sChosen[i][c] = r.vectors()[i][activeWanted[fromActive.get(c)]];
      }
    }
    s.basis.transform(nl, n, sChosen, fromActive.size());
    int[] order = new int[best.length];
    double[] newValues = new double[best.length];
    double[] newResiduals = new double[best.length];
    int activeIndex = 0;
    for (int t = 0; t < best.length; t++) {
      int b = best[t];
      order[t] = b < nl ? b : nl + activeIndex++;
      newValues[t] = values[b];
      newResiduals[t] = residuals[b];
    }
    s.basis.permute(order);
    s.locked = best.length;
    s.lockedValues = newValues;
    s.lockedResiduals = newResiduals;
    s.active = 0;
    s.lastBeta = 0;
    for (double[] row : s.h) {
      Arrays.fill(row, 0);
    }
    boolean wasExhausted = s.exhausted;
    s.exhausted = false;
    if (wasExhausted || s.locked >= capacity || !inject(s.locked)) {
      s.phase = ThickRestartState.Phase.DONE;
      s.exhausted = true;
    } else {
      s.phase = ThickRestartState.Phase.VERIFY;
    }
  }

  /**
   * Indices of the {@code top} largest (descending) then {@code bottom} smallest (ascending) of
   * the ascending values, or by the single-end order of {@code which} with count {@code top}.
   */
  static int[] select(double[] ascending, TopEigenConfig.Which which, int top, int bottom) {
    return selectAny(ascending, which, top, bottom);
  }

  /** As {@link #select} for values in any order; ties keep the lower index first. */
  static int[] selectAny(double[] values, TopEigenConfig.Which which, int top, int bottom) {
    int m = values.length;
    Comparator<Integer> descending = Comparator.comparingDouble(i -> -values[i]);
    Comparator<Integer> ascending = Comparator.comparingDouble(i -> values[i]);
    switch (which) {
      case LARGEST:
        return sorted(m, descending, Math.min(top, m));
      case SMALLEST:
        return sorted(m, ascending, Math.min(top, m));
      case LARGEST_MAGNITUDE:
        return sorted(m, Comparator.comparingDouble(i -> -Math.abs(values[i])), Math.min(top, m));
      case BOTH_ENDS: {
        int[] high = sorted(m, descending, Math.min(top, m));
        boolean[] taken = new boolean[m];
        for (int i : high) {
          taken[i] = true;
        }
        int[] low =
            IntStream.range(0, m).filter(i -> !taken[i]).boxed().sorted(ascending)
                .limit(Math.max(0, bottom)).mapToInt(i -> i).toArray();
        int[] both = Arrays.copyOf(high, high.length + low.length);
        System.arraycopy(low, 0, both, high.length, low.length);
        return both;
      }
      default:
        throw new IllegalStateException();
    }
  }

  private static int[] sorted(int m, Comparator<Integer> order, int count) {
    return IntStream.range(0, m).boxed().sorted(order.thenComparingInt(i -> i)).limit(count)
        .mapToInt(i -> i).toArray();
  }
}
