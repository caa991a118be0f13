package org.hesspec.curvature;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hesspec.model.ParameterLayout;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The plain Lanczos recurrence of a float32 {@link CurvatureGraph} with its update fused into two
 * sweeps over host memory ({@link FusedLanczosKernels}) instead of thirteen TensorFlow passes
 * ({@link ResidentRecurrence}): a step is the product's session run and nothing else in
 * TensorFlow. {@code q_j} and {@code q_{j-1}} live in float32 tensors this class allocates;
 * {@code q_j}'s tensors are bound as the values of the graph's product vector v (v's variables then
 * share their buffers: a resource variable assigned a fed tensor keeps that tensor's buffer), and
 * the accumulators, where the product leaves {@code a = A q_j}, are read in place.
 *
 * <p>With shift c, scale d and {@code s = d beta_{j-1}}, a step computes, as {@link
 * ResidentRecurrence} does,
 *
 * <pre>
 *   x       = a - s q_{j-1}
 *   t       = &lt;x, q_j&gt;                    (= d alpha_j + c, using |q_j|^2 = 1)
 *   alpha_j = (t - c) / d
 *   w       = x - t q_j                    (= d times the Lanczos residual)
 *   q_{j-1} &lt;- q_j,   q_j &lt;- w / |w|,   returned ||w / d||^2
 * </pre>
 *
 * in two sweeps: the first sums {@code t}, {@code |x|^2} and {@code |q_j|^2}; the second writes the
 * new vectors, scaled by {@code r = 1 / |w|} with {@code |w|^2 = |x|^2 - 2 t^2 + t^2 |q_j|^2} from
 * those sums, and sums the new {@code |q_j|^2 = r^2 |w|^2} exactly. The identity cancels where
 * {@code |w|} is small next to {@code |x|} (q_j near an invariant subspace); it is used only while
 * {@code |w|^2 > 1e-4 |x|^2}, where the float32-accumulated sums' relative error (about 1e-7 of
 * {@code |x|^2}) moves r by less than 1e-3, and otherwise r = 1 / |x|. In both cases, when the new
 * {@code |q_j|^2} misses 1 by more than {@value #NORM_TOLERANCE} (a few times the rounding of
 * TensorFlow's float32 norm in {@link ResidentRecurrence}), a third pass divides q_j by its norm.
 * The returned norm is the second sweep's exact sum, not the identity.
 *
 * <p>Only for graphs whose variables live in host memory: {@link #open} checks that v really shares
 * the bound buffers and declines otherwise (a GPU session, say), and the caller uses {@link
 * ResidentRecurrence}. Needs the JDK's incubating vector API ({@code --add-modules
 * jdk.incubator.vector}, which the launcher and the build pass); {@link #available} says whether
 * this JVM has it.
 */
final class FusedRecurrence implements RecurrenceVectors, VectorHolder {
  /** Largest {@code | |q_j|^2 - 1 |} left after the second sweep without a rescaling pass. */
  static final double NORM_TOLERANCE = 1e-5;
  /** The identity for {@code |w|^2} is used while {@code |w|^2 > IDENTITY_FLOOR |x|^2}. */
  static final double IDENTITY_FLOOR = 1e-4;

  private final CurvatureGraph graph;
  private final CurvatureOperator product;
  private final BatchedData data;
  private final double shift;
  private final double scale;
  private final int threads;
  /** {@code q_j} (bound as v) and {@code q_{j-1}}, one tensor per selected parameter tensor. */
  private final List<TFloat32> current = new ArrayList<>();
  private final List<TFloat32> previous = new ArrayList<>();
  /** The fetched accumulators: they share the variables' buffers, which the product writes in place. */
  private final Result accumulators;
  private final FusedLanczosKernels.Parts parts;
  private boolean accumulatorsChecked;
  private boolean closed;

  /** Whether this JVM can run the fused update: the vector API is loaded and the CPU has SIMD lanes. */
  static boolean available() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && FusedLanczosKernels.worthwhile();
  }

  /**
   * A fused recurrence on {@code graph} (float32), or empty when its variables do not share host
   * memory with Java (then nothing of it is left behind).
   */
  static Optional<FusedRecurrence> open(CurvatureGraph graph, CurvatureOperator product, BatchedData data, double shift, double scale,
      int threads) {
    FusedRecurrence r = new FusedRecurrence(graph, product, data, shift, scale, threads);
    boolean shared;
    synchronized (graph) {
      graph.slots().hold(r);
      shared = r.bind();
      if (!shared) {
        graph.slots().release(r);
      }
    }
    if (!shared) {
      r.close();
      return Optional.empty();
    }
    return Optional.of(r);
  }

  private FusedRecurrence(CurvatureGraph graph, CurvatureOperator product, BatchedData data, double shift, double scale, int threads) {
    this.graph = graph;
    this.product = product;
    this.data = data;
    this.shift = shift;
    this.scale = scale;
    this.threads = threads;
    List<ByteBuffer> a = new ArrayList<>();
    List<ByteBuffer> u = new ArrayList<>();
    List<ByteBuffer> v = new ArrayList<>();
    Result fetched = null;
    try {
      for (var t : graph.selection().tensors()) {
        current.add(TFloat32.tensorOf(Shape.of(t.shape())));
        previous.add(TFloat32.tensorOf(Shape.of(t.shape())));
      }
      Session.Runner r = graph.session().runner();
      graph.accumulators().forEach(r::fetch);
      fetched = r.run();
      for (int s = 0; s < current.size(); s++) {
        a.add(HostMemory.view(fetched.get(s)));
        u.add(HostMemory.view(previous.get(s)));
        v.add(HostMemory.view(current.get(s)));
        zero(u.get(s));
        zero(v.get(s));
      }
    } catch (RuntimeException e) {
      if (fetched != null) {
        fetched.close();
      }
      current.forEach(Tensor::close);
      previous.forEach(Tensor::close);
      throw e;
    }
    this.accumulators = fetched;
    this.parts = new FusedLanczosKernels.Parts(a, u, v);
  }

  @Override
  public int dimension() {
    return graph.dimension();
  }

  @Override
  public void load(double[] previous, double[] current) {
    synchronized (graph) {
      requireOpen();
      requireLength(current);
      if (previous != null) {
        requireLength(previous);
      }
      write(current, parts.v());
      if (previous == null) {
        parts.u().forEach(FusedRecurrence::zero);
      } else {
        write(previous, parts.u());
      }
      holdV();
    }
  }

  @Override
  public double[] step(double betaPrevious) {
    synchronized (graph) {
      requireOpen();
      holdV();
      // a = A q_j, left in the accumulators
      graph.applyInSession(product, data);
      checkAccumulatorsOnce();
      float s = (float) (scale * betaPrevious);
      FusedLanczosKernels.Projection x = FusedLanczosKernels.project(parts, s, threads);
      double t = x.t();
      double alpha = (t - shift) / scale;
      double estimate = x.xNormSquared() - 2 * t * t + t * t * x.vNormSquared(); // |x - t q_j|^2
      if (!Double.isFinite(alpha) || !Double.isFinite(x.xNormSquared())) {
        throw new ArithmeticException(graph.model().source() + ": the " + product + " product in a Lanczos step is not finite; "
            + graph.nonFiniteCause(data));
      }
      double r = estimate > IDENTITY_FLOOR * x.xNormSquared() ? 1 / Math.sqrt(estimate)
          : x.xNormSquared() > 0 ? 1 / Math.sqrt(x.xNormSquared()) : 1;
      // u <- q_j, v <- r w; |v|^2 = r^2 |w|^2
      double vNormSquared = FusedLanczosKernels.update(parts, s, (float) t, (float) r, threads);
      double wNormSquared = vNormSquared / (r * r);
      if (vNormSquared > 0 && Double.isFinite(vNormSquared) && Math.abs(vNormSquared - 1) > NORM_TOLERANCE) {
        FusedLanczosKernels.scale(parts, (float) (1 / Math.sqrt(vNormSquared)), threads);
      }
      double normSquared = wNormSquared / (scale * scale);
      if (!Double.isFinite(normSquared)) {
        throw new ArithmeticException(graph.model().source() + ": the " + product + " product in a Lanczos step is not finite; "
            + graph.nonFiniteCause(data));
      }
      return new double[] {alpha, normSquared};
    }
  }

  @Override
  public double[] previous() {
    synchronized (graph) {
      requireOpen();
      return read(parts.u());
    }
  }

  @Override
  public double[] current() {
    synchronized (graph) {
      requireOpen();
      return read(parts.v());
    }
  }

  /** Nothing to save: v shares this recurrence's own {@code q_j} buffers, which stay when v is overwritten. */
  @Override
  public void saveCurrent() {}

  @Override
  public void close() {
    synchronized (graph) {
      if (!closed) {
        closed = true;
        graph.slots().release(this);
        accumulators.close();
        // v may still share q_j's buffers: TensorFlow keeps them alive until v is assigned again
        current.forEach(Tensor::close);
        previous.forEach(Tensor::close);
      }
    }
  }

  /** Makes this recurrence the holder of v, binding its {@code q_j} as v's value when someone else held v. */
  private void holdV() {
    if (!graph.slots().holds(this)) {
      graph.slots().hold(this);
      if (!bind()) {
        throw new IllegalStateException("the product vector v no longer shares host memory with the Lanczos vectors");
      }
    }
  }

  /** Assigns {@code q_j}'s tensors to v; whether v's variables now share their buffers. */
  private boolean bind() {
    return graph.bindVector(current);
  }

  /**
   * The product writes the accumulators in place (reference variables assigned a value of their
   * own shape keep their buffer); checked once, after the first product, since everything here
   * rests on it.
   */
  private void checkAccumulatorsOnce() {
    if (accumulatorsChecked) {
      return;
    }
    Session.Runner r = graph.session().runner();
    graph.accumulators().forEach(r::fetch);
    try (Result now = r.run()) {
      for (int s = 0; s < current.size(); s++) {
        if (HostMemory.address(now.get(s)) != HostMemory.address(accumulators.get(s))) {
          throw new IllegalStateException("the product moved accumulator " + s + " to a new buffer");
        }
      }
    }
    accumulatorsChecked = true;
  }

  private static void zero(ByteBuffer b) {
    for (int i = 0; i < b.capacity(); i += Float.BYTES) {
      b.putFloat(i, 0f);
    }
  }

  private void write(double[] x, List<ByteBuffer> into) {
    ParameterLayout layout = graph.selection();
    for (int s = 0; s < into.size(); s++) {
      ByteBuffer b = into.get(s);
      int offset = (int) layout.tensors().get(s).offset();
      for (int i = 0; i < b.capacity() / Float.BYTES; i++) {
        b.putFloat(Float.BYTES * i, (float) x[offset + i]);
      }
    }
  }

  private double[] read(List<ByteBuffer> from) {
    ParameterLayout layout = graph.selection();
    double[] out = new double[dimension()];
    for (int s = 0; s < from.size(); s++) {
      ByteBuffer b = from.get(s);
      int offset = (int) layout.tensors().get(s).offset();
      for (int i = 0; i < b.capacity() / Float.BYTES; i++) {
        out[offset + i] = b.getFloat(Float.BYTES * i);
      }
    }
    return out;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("recurrence is closed");
    }
  }

  private void requireLength(double[] v) {
    if (v.length != dimension()) {
      throw new IllegalArgumentException("vector of length " + v.length + ", expected p=" + dimension());
    }
  }
}
