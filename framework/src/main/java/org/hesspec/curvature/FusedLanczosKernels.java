package org.hesspec.curvature;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The plain Lanczos update on float32 p-vectors in host memory, fused into two sweeps (SIMD, with
 * the JDK's vector API): what {@link FusedRecurrence} runs between products. Each vector is a list
 * of parts (one per selected parameter tensor, native-order float32 buffers of equal lengths across
 * the three vectors); {@code a} is the product {@code A q_j}, {@code v} is {@code q_j} and {@code
 * u} is {@code q_{j-1}}. With {@code x = a - s u} (s = d beta_{j-1}):
 *
 * <pre>
 *   project:  returns  t = &lt;x, v&gt;,  |x|^2,  |v|^2                    reads a, u, v; writes nothing
 *   update:   u &lt;- v,  v &lt;- r (x - t v);  returns |v|^2 (the new v)   reads a, u, v; writes u, v
 *   scale:    v &lt;- f v;                   returns |v|^2               reads v; writes v
 * </pre>
 *
 * Two sweeps make seven passes over p-vectors where TensorFlow's one-op-per-pass update makes
 * thirteen: the norm that normalises the new v in the same sweep comes from the first sweep's
 * sums, {@code |x - t v|^2 = |x|^2 - 2 t <x, v> + t^2 |v|^2}, and {@code scale} corrects it
 * where that identity loses digits (see {@link FusedRecurrence}).
 *
 * <p>Element-wise arithmetic is float32 as TensorFlow's would be: {@code x_i = fma(-s, u_i, a_i)},
 * {@code w_i = fma(-t, v_i, x_i)}. Sums are accumulated in float32 lanes over blocks of {@value
 * #BLOCK} elements (at most {@value #BLOCK}/lanes terms per lane) and the block sums in float64, so
 * their rounding error stays at a few float32 units, as TensorFlow's tree reductions do. The work
 * is split into {@code threads} contiguous ranges of the concatenated vector, always the same ones
 * for the same p and thread count, and the ranges' sums are added in range order: the results are
 * bit-for-bit reproducible for a given thread count.
 */
final class FusedLanczosKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();
  /** Elements per block whose lane sums are moved into float64. */
  static final int BLOCK = 512;
  /** Helper threads for the ranges after the first, which the calling thread works on itself. */
  private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hesspec-lanczos-update");
    t.setDaemon(true);
    return t;
  });

  private FusedLanczosKernels() {}

  /** Whether this CPU has SIMD lanes for float32 (8 or more); without them the vector API runs as slow scalar code. */
  static boolean worthwhile() {
    return F.length() >= 8;
  }

  /**
   * Part lengths of the warm-up vectors: several parts, with tails shorter than the lanes and
   * ranges split between two threads, so that every branch the real sweeps take has run (code
   * compiled without a branch is thrown away when it is first taken).
   */
  private static final int[] WARM_UP_PARTS = {3001, 10, 5003};
  private static final int WARM_UP_ROUNDS = 1000;

  private static final Thread WARM_UP = new Thread(FusedLanczosKernels::warmUp, "hesspec-lanczos-warm-up");
  /**
   * The smallest p worth a warm-up: below it the first, interpreted sweeps cost a few milliseconds
   * and megabytes, less than the warm-up itself.
   */
  static final long WARM_UP_FROM = 1 << 17;

  /**
   * Starts compiling the kernels in the background, once per JVM. Until the JIT has compiled them,
   * vector API loops run interpreted, allocating an object per vector operation: at p = 1.9 M the
   * first sweeps took 0.1-1 s each and left about 150 MB of garbage. Running them on small vectors
   * first (1-3 s of one core) leaves a few MB; a float32 {@link CurvatureGraph} of p >= {@value
   * #WARM_UP_FROM} starts it when it is built, so that it overlaps with building the graph and
   * loading data.
   */
  static synchronized void warmUpInBackground() {
    if (WARM_UP.getState() == Thread.State.NEW) {
      WARM_UP.setDaemon(true);
      WARM_UP.start();
    }
  }

  /** Waits for the warm-up, if one was started, to finish. */
  static void awaitWarmUp() throws InterruptedException {
    Thread t;
    synchronized (FusedLanczosKernels.class) {
      t = WARM_UP;
    }
    if (t.getState() != Thread.State.NEW) {
      t.join();
    }
  }

  /** Runs the three kernels on small vectors until the JIT has compiled them (results discarded). */
  private static void warmUp() {
    List<ByteBuffer> a = new ArrayList<>();
    List<ByteBuffer> u = new ArrayList<>();
    List<ByteBuffer> v = new ArrayList<>();
    for (int n : WARM_UP_PARTS) {
      ByteBuffer x = ByteBuffer.allocateDirect(4 * n).order(ORDER);
      ByteBuffer y = ByteBuffer.allocateDirect(4 * n).order(ORDER);
      for (int i = 0; i < n; i++) {
        x.putFloat(4 * i, (float) Math.sin(i));
        y.putFloat(4 * i, (float) Math.cos(i) / 90);
      }
      a.add(x);
      u.add(ByteBuffer.allocateDirect(4 * n).order(ORDER));
      v.add(y);
    }
    Parts parts = new Parts(a, u, v);
    double sink = 0;
    for (int round = 0; round < WARM_UP_ROUNDS; round++) {
      Projection x = project(parts, 0.5f, 2);
      double norm = update(parts, 0.5f, (float) x.t(), 1f, 2);
      sink += scale(parts, 1f / (float) Math.sqrt(Math.max(1e-30, norm)), 2);
    }
    if (sink == 42.4242) { // keeps the loop from being optimised away
      System.err.print("");
    }
  }

  /** The three vectors' parts: {@code a} read only, {@code u} and {@code v} read and written. */
  record Parts(List<ByteBuffer> a, List<ByteBuffer> u, List<ByteBuffer> v) {
    Parts {
      if (a.size() != u.size() || a.size() != v.size()) {
        throw new IllegalArgumentException("a, u and v need one part per tensor each");
      }
      for (int s = 0; s < a.size(); s++) {
        if (a.get(s).capacity() != u.get(s).capacity() || a.get(s).capacity() != v.get(s).capacity()) {
          throw new IllegalArgumentException("part " + s + " differs in length between a, u and v");
        }
      }
    }

    long length() {
      long n = 0;
      for (ByteBuffer b : a) {
        n += b.capacity() / Float.BYTES;
      }
      return n;
    }
  }

  /** The first sweep's sums: {@code t = <x, v>}, {@code |x|^2}, {@code |v|^2}, with {@code x = a - s u}. */
  record Projection(double t, double xNormSquared, double vNormSquared) {}

  /** Sweep 1: {@code x = a - s u}; returns {@code <x, v>}, {@code |x|^2} and {@code |v|^2}. Modifies nothing. */
  static Projection project(Parts parts, float s, int threads) {
    double[] sums = inRanges(parts, threads, 3, (k, lo, hi, out) -> project(parts.a().get(k), parts.u().get(k), parts.v().get(k), lo, hi, s, out));
    return new Projection(sums[0], sums[1], sums[2]);
  }

  /**
   * Sweep 2: {@code u <- v} and {@code v <- r (a - s u - t v)} (the old u and v on the right);
   * returns the new {@code |v|^2}.
   */
  static double update(Parts parts, float s, float t, float r, int threads) {
    return inRanges(parts, threads, 1, (k, lo, hi, out) -> update(parts.a().get(k), parts.u().get(k), parts.v().get(k), lo, hi, s, t, r, out))[0];
  }

  /** {@code v <- f v}; returns the new {@code |v|^2}. Modifies v only. */
  static double scale(Parts parts, float f, int threads) {
    return inRanges(parts, threads, 1, (k, lo, hi, out) -> scale(parts.v().get(k), lo, hi, f, out))[0];
  }

  /** Work on the elements [lo, hi) of part k, adding sums into {@code out}. */
  private interface RangeKernel {
    void run(int part, int lo, int hi, double[] out);
  }

  /**
   * Splits the concatenated vector into {@code threads} contiguous ranges; the first runs on the
   * calling thread, the others on helpers. Returns the ranges' sums added in range order.
   */
  private static double[] inRanges(Parts parts, int threads, int sums, RangeKernel kernel) {
    long p = parts.length();
    int n = (int) Math.max(1, Math.min(threads, p / (4L * BLOCK))); // small vectors: one range
    List<Future<double[]>> others = new ArrayList<>();
    for (int k = 1; k < n; k++) {
      long from = p * k / n;
      long to = p * (k + 1) / n;
      others.add(HELPERS.submit((Callable<double[]>) () -> range(parts, from, to, sums, kernel)));
    }
    double[] total = range(parts, 0, p / n, sums, kernel);
    for (Future<double[]> f : others) {
      double[] x = join(f);
      for (int i = 0; i < sums; i++) {
        total[i] += x[i];
      }
    }
    return total;
  }

  private static double[] range(Parts parts, long from, long to, int sums, RangeKernel kernel) {
    double[] out = new double[sums];
    long offset = 0;
    for (int k = 0; k < parts.a().size() && offset < to; k++) {
      long n = parts.a().get(k).capacity() / Float.BYTES;
      long lo = Math.max(from, offset);
      long hi = Math.min(to, offset + n);
      if (lo < hi) {
        kernel.run(k, (int) (lo - offset), (int) (hi - offset), out);
      }
      offset += n;
    }
    return out;
  }

  private static double[] join(Future<double[]> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in the Lanczos update", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private static void project(ByteBuffer a, ByteBuffer u, ByteBuffer v, int lo, int hi, float s, double[] out) {
    FloatVector minusS = FloatVector.broadcast(F, -s);
    int lanes = F.length();
    double xv = 0;
    double xx = 0;
    double vv = 0;
    int i = lo;
    while (i + lanes <= hi) {
      int end = Math.min(hi - lanes + 1, i + BLOCK);
      FloatVector sxv = FloatVector.zero(F);
      FloatVector sxx = sxv;
      FloatVector svv = sxv;
      for (; i < end; i += lanes) {
        FloatVector x = load(u, i).fma(minusS, load(a, i));
        FloatVector y = load(v, i);
        sxv = x.fma(y, sxv);
        sxx = x.fma(x, sxx);
        svv = y.fma(y, svv);
      }
      xv += sxv.reduceLanes(VectorOperators.ADD);
      xx += sxx.reduceLanes(VectorOperators.ADD);
      vv += svv.reduceLanes(VectorOperators.ADD);
    }
    for (; i < hi; i++) {
      float x = Math.fma(-s, u.getFloat(4 * i), a.getFloat(4 * i));
      float y = v.getFloat(4 * i);
      xv += x * y;
      xx += x * x;
      vv += y * y;
    }
    out[0] += xv;
    out[1] += xx;
    out[2] += vv;
  }

  private static void update(ByteBuffer a, ByteBuffer u, ByteBuffer v, int lo, int hi, float s, float t, float r, double[] out) {
    FloatVector minusS = FloatVector.broadcast(F, -s);
    FloatVector minusT = FloatVector.broadcast(F, -t);
    FloatVector factor = FloatVector.broadcast(F, r);
    int lanes = F.length();
    double ww = 0;
    int i = lo;
    while (i + lanes <= hi) {
      int end = Math.min(hi - lanes + 1, i + BLOCK);
      FloatVector sww = FloatVector.zero(F);
      for (; i < end; i += lanes) {
        FloatVector y = load(v, i);
        FloatVector x = load(u, i).fma(minusS, load(a, i));
        FloatVector w = y.fma(minusT, x).mul(factor);
        y.intoByteBuffer(u, 4 * i, ORDER);
        w.intoByteBuffer(v, 4 * i, ORDER);
        sww = w.fma(w, sww);
      }
      ww += sww.reduceLanes(VectorOperators.ADD);
    }
    for (; i < hi; i++) {
      float y = v.getFloat(4 * i);
      float x = Math.fma(-s, u.getFloat(4 * i), a.getFloat(4 * i));
      float w = Math.fma(-t, y, x) * r;
      u.putFloat(4 * i, y);
      v.putFloat(4 * i, w);
      ww += w * w;
    }
    out[0] += ww;
  }

  private static void scale(ByteBuffer v, int lo, int hi, float f, double[] out) {
    FloatVector factor = FloatVector.broadcast(F, f);
    int lanes = F.length();
    double ww = 0;
    int i = lo;
    while (i + lanes <= hi) {
      int end = Math.min(hi - lanes + 1, i + BLOCK);
      FloatVector sww = FloatVector.zero(F);
      for (; i < end; i += lanes) {
        FloatVector w = load(v, i).mul(factor);
        w.intoByteBuffer(v, 4 * i, ORDER);
        sww = w.fma(w, sww);
      }
      ww += sww.reduceLanes(VectorOperators.ADD);
    }
    for (; i < hi; i++) {
      float w = v.getFloat(4 * i) * f;
      v.putFloat(4 * i, w);
      ww += w * w;
    }
    out[0] += ww;
  }

  private static FloatVector load(ByteBuffer b, int i) {
    return FloatVector.fromByteBuffer(F, b, 4 * i, ORDER);
  }
}
