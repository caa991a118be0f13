package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.List;

import org.hesspec.model.TensorValues;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * The plain Lanczos recurrence kept in a {@link CurvatureGraph}'s session: {@code q_j} is the
 * graph's product vector v, {@code A q_j} lands in its accumulators, and {@code q_{j-1}} lives in
 * this recurrence's own variables ({@link Slot}). One step is two session runs, the product and
 * the update, and fetches two scalars. Float32 graphs whose variables live in host memory use
 * {@link FusedRecurrence} instead, which does the same update in two sweeps; this one serves
 * float64, device sessions and JVMs without the vector API.
 *
 * <p>The update, per parameter tensor s, with {@code a} the accumulated {@code A q_j}, shift c and
 * scale d, works in place on the accumulator (TensorFlow does not fuse element-wise ops on the CPU,
 * so every op is a pass over the vectors: in-place {@code ApplyGradientDescent}, {@code x <- x -
 * t y}, does an axpy in one pass and allocates nothing):
 *
 * <pre>
 *   a_s   <- a_s - (d beta_{j-1}) q_{j-1},s (= A q_j - d beta_{j-1} q_{j-1})
 *   t      = sum_s &lt;a_s, q_j,s&gt;             (= d alpha_j + c, using |q_j|^2 = 1)
 *   alpha  = (t - c) / d
 *   a_s   <- a_s - t q_j,s                  (= d w: the shift and the projection in one pass)
 *   |w|^2  = sum_s |a_s|^2 / d^2
 *   q_{j-1},s &lt;- q_j,s;   q_j,s &lt;- a_s / (d |w|)         (after every read of q_j)
 * </pre>
 *
 * v and {@code q_{j-1}} are resource variables, so the last line moves buffers instead of copying:
 * v adopts the buffer of the new {@code a_s / (d |w|)} and {@code q_{j-1}} adopts v's old one. A
 * step makes 13 passes over p-vectors (3 + 4 + 3 + 1 + 2, in the order above) instead of the 17
 * that two copies would add up to.
 *
 * Subtracting c q_j together with alpha's projection saves a pass over the vectors against
 * subtracting it first; the two differ by {@code c (|q_j|^2 - 1)}, a rounding error of the
 * normalisation (q_j was divided by its computed norm), below the product's own rounding.
 *
 * Several recurrences may share one graph (parallel SLQ runs): the one whose {@code q_j} is in v
 * is its holder; before anyone overwrites v the holder saves it into its slot's {@code saved}
 * variables (inside TensorFlow: the variable shares v's buffer), and restores it at its next step.
 */
final class ResidentRecurrence implements RecurrenceVectors, VectorHolder {

  /**
   * The bookkeeping of the recurrences of one graph: the one whose {@code q_j} is held in v (it
   * saves it before v is overwritten), and the storage of finished recurrences, reused by the next
   * ones (variables cannot be freed from a graph). Guarded by the graph's lock.
   */
  static final class Slots {
    private VectorHolder holder;
    private final java.util.Deque<Slot> free = new java.util.ArrayDeque<>();

    /** Storage for a new recurrence: a finished one's, or new variables in {@code graph}. */
    Slot take(CurvatureGraph graph) {
      return free.isEmpty() ? new Slot(graph) : free.pop();
    }

    /** Makes {@code r} the holder of v, saving the previous holder's {@code q_j} first. */
    void hold(VectorHolder r) {
      if (holder != r) {
        releaseVector();
        holder = r;
      }
    }

    boolean holds(VectorHolder r) {
      return holder == r;
    }

    /** Before v is overwritten: the recurrence that holds it saves its {@code q_j} (a copy inside TensorFlow). */
    void releaseVector() {
      if (holder != null) {
        VectorHolder r = holder;
        holder = null;
        r.saveCurrent();
      }
    }

    /** Called by a closed recurrence: its storage is reused by the next one. */
    void release(ResidentRecurrence r, Slot slot) {
      release(r);
      free.push(slot);
    }

    /** Called by a closed holder: it no longer holds v. */
    void release(VectorHolder r) {
      if (holder == r) {
        holder = null;
      }
    }
  }

  /** The variables and ops of one recurrence; reused after it is closed. */
  static final class Slot {
    /** {@code q_{j-1}} and the copy of {@code q_j} kept while another recurrence holds v: resource variables. */
    final List<Operand<?>> previous = new ArrayList<>();
    final List<Operand<?>> saved = new ArrayList<>();
    final List<Operand<TFloating>> previousValue = new ArrayList<>();
    final List<Operand<TFloating>> savedValue = new ArrayList<>();
    final List<Placeholder<TFloating>> previousIn = new ArrayList<>();
    final List<Op> previousLoad = new ArrayList<>();
    final List<Op> previousZero = new ArrayList<>();
    final List<Op> save = new ArrayList<>();
    final List<Op> restore = new ArrayList<>();
    final Placeholder<TFloating> shift;
    final Placeholder<TFloating> scale;
    final Placeholder<TFloating> betaPrevious;
    final Operand<TFloating> alpha;
    final Operand<TFloating> normSquared;
    final List<Op> move = new ArrayList<>();

    Slot(CurvatureGraph g) {
      Ops tf = g.ops().withSubScope("lanczos");
      Class<TFloating> type = g.type();
      List<Operand<?>> vHandle = g.vectorHandles();
      List<Operand<TFloating>> v = g.vectorValues();
      List<Variable<TFloating>> acc = g.accumulators();
      for (int s = 0; s < v.size(); s++) {
        Shape shape = v.get(s).shape();
        Operand<?> prev = g.resourceVariable(tf, "lanczos_previous", shape);
        Operand<?> keep = g.resourceVariable(tf, "lanczos_saved", shape);
        previous.add(prev);
        saved.add(keep);
        previousValue.add(tf.readVariableOp(prev, type));
        savedValue.add(tf.readVariableOp(keep, type));
        Placeholder<TFloating> in = tf.placeholder(type, Placeholder.shape(shape));
        previousIn.add(in);
        previousLoad.add(tf.assignVariableOp(prev, in));
        previousZero.add(tf.assignVariableOp(prev, g.zerosOf(s)));
        // Assigning a read shares the buffer (a resource variable is copied only when written in place).
        save.add(tf.assignVariableOp(keep, tf.readVariableOp(vHandle.get(s), type)));
        restore.add(tf.assignVariableOp(vHandle.get(s), tf.readVariableOp(keep, type)));
      }
      shift = tf.placeholder(type, Placeholder.shape(Shape.scalar()));
      scale = tf.placeholder(type, Placeholder.shape(Shape.scalar()));
      betaPrevious = tf.placeholder(type, Placeholder.shape(Shape.scalar()));
      // a <- a - (d beta_{j-1}) q_{j-1};  t = q_j . a = d alpha + c
      Operand<TFloating> scaledBeta = tf.math.mul(scale, betaPrevious);
      List<Operand<TFloating>> w = new ArrayList<>();
      List<Operand<TFloating>> dots = new ArrayList<>();
      for (int s = 0; s < v.size(); s++) {
        Operand<TFloating> ws = tf.train.applyGradientDescent(acc.get(s), scaledBeta, previousValue.get(s));
        w.add(ws);
        dots.add(sumAll(tf, tf.math.mul(ws, v.get(s))));
      }
      Operand<TFloating> projection = sum(tf, dots);
      alpha = tf.math.div(tf.math.sub(projection, shift), scale);
      // a <- a - t q_j = d w,  |w|^2 = |a|^2 / d^2
      List<Operand<TFloating>> orthogonal = new ArrayList<>();
      List<Operand<TFloating>> squares = new ArrayList<>();
      Operand<TFloating> two = tf.dtypes.cast(tf.constant(2.0f), type);
      for (int s = 0; s < v.size(); s++) {
        Operand<TFloating> ws = tf.train.applyGradientDescent(w.get(s), projection, v.get(s));
        orthogonal.add(ws);
        squares.add(tf.math.mul(two, tf.nn.l2Loss(ws)));
      }
      Operand<TFloating> scaledNormSquared = sum(tf, squares);
      normSquared = tf.math.div(scaledNormSquared, tf.math.square(scale));
      // q_{j+1} = a / (d |w|), a new buffer; every read of q_j above happens before it exists.
      Operand<TFloating> inverseNorm = tf.math.rsqrt(scaledNormSquared);
      for (int s = 0; s < v.size(); s++) {
        Operand<TFloating> next = tf.math.mul(orthogonal.get(s), inverseNorm);
        // The move copies nothing: v adopts the new buffer (its only reader), then q_{j-1} adopts
        // v's old buffer, read before and held only by this read (so TensorFlow forwards it).
        Operand<TFloating> old = tf.readVariableOp(vHandle.get(s), type);
        Op toCurrent = tf.withControlDependencies(List.of(old)).assignVariableOp(vHandle.get(s), next);
        move.add(tf.withControlDependencies(List.of(toCurrent)).assignVariableOp(previous.get(s), old));
      }
    }

    private static Operand<TFloating> sumAll(Ops tf, Operand<TFloating> x) {
      int rank = x.shape().numDimensions();
      int[] axes = new int[rank];
      for (int i = 0; i < rank; i++) {
        axes[i] = i;
      }
      return tf.reduceSum(x, tf.constant(axes));
    }

    private static Operand<TFloating> sum(Ops tf, List<Operand<TFloating>> terms) {
      return terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
    }
  }

  private final CurvatureGraph graph;
  private final Slot slot;
  private final CurvatureOperator product;
  private final BatchedData data;
  /** The shift c and scale d, fed to every step: made once, not per step (a tensor costs tens of microseconds). */
  private final Tensor shift;
  private final Tensor scale;
  private boolean closed;

  ResidentRecurrence(CurvatureGraph graph, Slot slot, CurvatureOperator product, BatchedData data, double shift, double scale) {
    this.graph = graph;
    this.slot = slot;
    this.product = product;
    this.data = data;
    this.shift = scalar(shift);
    this.scale = scalar(scale);
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
      graph.slots().hold(this);
      Session.Runner r = graph.session().runner();
      List<Tensor> owned = new ArrayList<>();
      try {
        List<Op> loadCurrent = graph.vectorLoad(current, r, owned);
        loadCurrent.forEach(r::addTarget);
        if (previous == null) {
          slot.previousZero.forEach(r::addTarget);
        } else {
          graph.feed(previous, slot.previousIn, r, owned);
          slot.previousLoad.forEach(r::addTarget);
        }
        r.run().close();
      } finally {
        owned.forEach(Tensor::close);
      }
    }
  }

  @Override
  public double[] step(double betaPrevious) {
    synchronized (graph) {
      requireOpen();
      if (!graph.slots().holds(this)) {
        graph.slots().hold(this);
        Session.Runner r = graph.session().runner();
        slot.restore.forEach(r::addTarget);
        r.run().close();
      }
      // a = A q_j, left in the accumulators
      graph.applyInSession(product, data);
      try (Tensor beta = scalar(betaPrevious)) {
        Session.Runner r = graph.session().runner().feed(slot.shift, shift).feed(slot.scale, scale)
            .feed(slot.betaPrevious, beta).fetch(slot.alpha).fetch(slot.normSquared);
        slot.move.forEach(r::addTarget);
        try (Result res = r.run()) {
          double[] alphaAndNorm = {TensorValues.toDoubles(res.get(0))[0], TensorValues.toDoubles(res.get(1))[0]};
          if (!Double.isFinite(alphaAndNorm[0]) || !Double.isFinite(alphaAndNorm[1])) {
            throw new ArithmeticException(graph.model().source() + ": the " + product + " product in a Lanczos step is not finite; "
                + graph.nonFiniteCause(data));
          }
          return alphaAndNorm;
        }
      }
    }
  }

  @Override
  public double[] previous() {
    synchronized (graph) {
      requireOpen();
      return graph.read(slot.previousValue);
    }
  }

  @Override
  public double[] current() {
    synchronized (graph) {
      requireOpen();
      return graph.read(graph.slots().holds(this) ? graph.vectorValues() : slot.savedValue);
    }
  }

  /** Copies {@code q_j} out of v into the slot, before v is overwritten by someone else. */
  @Override
  public void saveCurrent() {
    Session.Runner r = graph.session().runner();
    slot.save.forEach(r::addTarget);
    r.run().close();
  }

  @Override
  public void close() {
    synchronized (graph) {
      if (!closed) {
        closed = true;
        shift.close();
        scale.close();
        graph.slots().release(this, slot);
      }
    }
  }

  private Tensor scalar(double x) {
    return TensorValues.of(new double[] {x}, 0, Shape.scalar(), graph.model().precision());
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
