package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.List;
import org.hesspec.curvature.CurvatureGraph.Product;
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
 * the update, and fetches two scalars.
 *
 * <p>The update, per parameter tensor s, with {@code a} the accumulated {@code A q_j}, shift c and
 * scale d:
 *
 * <pre>
 *   w1_s   = a_s / d - (c / d) q_j,s - beta_{j-1} q_{j-1},s      (w = A' q_j - beta q_{j-1})
 *   alpha  = sum_s &lt;w1_s, q_j,s&gt;
 *   w2_s   = w1_s - alpha q_j,s
 *   |w|^2  = sum_s &lt;w2_s, w2_s&gt;
 *   q_{j-1},s &lt;- q_j,s;   q_j,s &lt;- w2_s / |w|                  (after every read of q_j)
 * </pre>
 *
 * Several recurrences may share one graph (parallel SLQ runs): the one whose {@code q_j} is in v
 * is its holder; before anyone overwrites v the holder copies it into its slot's {@code saved}
 * variables (inside TensorFlow), and copies it back at its next step.
 */
final class ResidentRecurrence implements RecurrenceVectors {

  /** The variables and ops of one recurrence; reused after it is closed. */
  static final class Slot {
    final List<Variable<TFloating>> previous = new ArrayList<>();
    final List<Variable<TFloating>> saved = new ArrayList<>();
    final List<Placeholder<TFloating>> previousIn = new ArrayList<>();
    final List<Op> previousLoad = new ArrayList<>();
    final List<Op> previousZero = new ArrayList<>();
    final List<Op> save = new ArrayList<>();
    final List<Op> restore = new ArrayList<>();
    final Placeholder<TFloating> inverseScale;
    final Placeholder<TFloating> shiftOverScale;
    final Placeholder<TFloating> betaPrevious;
    final Operand<TFloating> alpha;
    final Operand<TFloating> normSquared;
    final List<Op> move = new ArrayList<>();

    Slot(CurvatureGraph g) {
      Ops tf = g.ops().withSubScope("lanczos");
      Class<TFloating> type = g.type();
      List<Variable<TFloating>> v = g.vectorVariables();
      List<Variable<TFloating>> acc = g.accumulators();
      for (int s = 0; s < v.size(); s++) {
        Shape shape = v.get(s).shape();
        Variable<TFloating> prev = tf.variable(shape, type);
        Variable<TFloating> keep = tf.variable(shape, type);
        previous.add(prev);
        saved.add(keep);
        Placeholder<TFloating> in = tf.placeholder(type, Placeholder.shape(shape));
        previousIn.add(in);
        previousLoad.add(tf.assign(prev, in));
        previousZero.add(tf.assign(prev, g.zerosOf(s)));
        save.add(tf.assign(keep, v.get(s)));
        restore.add(tf.assign(v.get(s), keep));
      }
      inverseScale = tf.placeholder(type, Placeholder.shape(Shape.scalar()));
      shiftOverScale = tf.placeholder(type, Placeholder.shape(Shape.scalar()));
      betaPrevious = tf.placeholder(type, Placeholder.shape(Shape.scalar()));
      // w1 = A' q_j - beta_{j-1} q_{j-1}
      List<Operand<TFloating>> w1 = new ArrayList<>();
      for (int s = 0; s < v.size(); s++) {
        w1.add(tf.math.sub(tf.math.sub(tf.math.mul(acc.get(s), inverseScale), tf.math.mul(v.get(s), shiftOverScale)),
            tf.math.mul(previous.get(s), betaPrevious)));
      }
      // alpha = q_j . w1
      List<Operand<TFloating>> dots = new ArrayList<>();
      for (int s = 0; s < v.size(); s++) {
        dots.add(sumAll(tf, tf.math.mul(w1.get(s), v.get(s))));
      }
      alpha = sum(tf, dots);
      // w2 = w1 - alpha q_j,  |w2|^2
      List<Operand<TFloating>> w2 = new ArrayList<>();
      List<Operand<TFloating>> squares = new ArrayList<>();
      for (int s = 0; s < v.size(); s++) {
        Operand<TFloating> w = tf.math.sub(w1.get(s), tf.math.mul(alpha, v.get(s)));
        w2.add(w);
        squares.add(sumAll(tf, tf.math.square(w)));
      }
      normSquared = sum(tf, squares);
      // q_{j+1} = w2 / |w2|; every read of q_j happens before q_j is moved and overwritten
      Operand<TFloating> inverseNorm = tf.math.rsqrt(normSquared);
      List<Op> next = new ArrayList<>();
      for (int s = 0; s < v.size(); s++) {
        next.add(tf.math.mul(w2.get(s), inverseNorm));
      }
      for (int s = 0; s < v.size(); s++) {
        Op toPrevious = tf.withControlDependencies(next).assign(previous.get(s), v.get(s));
        @SuppressWarnings("unchecked")
        Operand<TFloating> qNext = (Operand<TFloating>) next.get(s);
        move.add(tf.withControlDependencies(List.of(toPrevious)).assign(v.get(s), qNext));
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
  private final Product product;
  private final BatchedData data;
  private final double shift;
  private final double scale;
  private boolean closed;

  ResidentRecurrence(CurvatureGraph graph, Slot slot, Product product, BatchedData data, double shift, double scale) {
    this.graph = graph;
    this.slot = slot;
    this.product = product;
    this.data = data;
    this.shift = shift;
    this.scale = scale;
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
      graph.holdVector(this);
      Session.Runner r = graph.session().runner();
      List<Tensor> owned = new ArrayList<>();
      try {
        List<Op> loadCurrent = graph.vectorLoad(current, r, owned);
        loadCurrent.forEach(r::addTarget);
        if (previous == null) {
          slot.previousZero.forEach(r::addTarget);
        } else {
          requireLength(previous);
          for (int s = 0; s < slot.previous.size(); s++) {
            Tensor t = graph.tensorOf(previous, s);
            owned.add(t);
            r.feed(slot.previousIn.get(s), t).addTarget(slot.previousLoad.get(s));
          }
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
      if (!graph.holdsVector(this)) {
        graph.holdVector(this);
        Session.Runner r = graph.session().runner();
        slot.restore.forEach(r::addTarget);
        r.run().close();
      }
      // a = A q_j, left in the accumulators
      graph.applyInSession(product, data);
      try (Tensor inverse = scalar(1.0 / scale);
          Tensor shifted = scalar(shift / scale);
          Tensor beta = scalar(betaPrevious)) {
        Session.Runner r = graph.session().runner().feed(slot.inverseScale, inverse).feed(slot.shiftOverScale, shifted)
            .feed(slot.betaPrevious, beta).fetch(slot.alpha).fetch(slot.normSquared);
        slot.move.forEach(r::addTarget);
        try (Result res = r.run()) {
          return new double[] {TensorValues.toDoubles(res.get(0))[0], TensorValues.toDoubles(res.get(1))[0]};
        }
      }
    }
  }

  @Override
  public double[] previous() {
    synchronized (graph) {
      requireOpen();
      return graph.read(slot.previous);
    }
  }

  @Override
  public double[] current() {
    synchronized (graph) {
      requireOpen();
      return graph.read(graph.holdsVector(this) ? graph.vectorVariables() : slot.saved);
    }
  }

  /** Copies {@code q_j} out of v into the slot, before v is overwritten by someone else. */
  void saveCurrent() {
    Session.Runner r = graph.session().runner();
    slot.save.forEach(r::addTarget);
    r.run().close();
  }

  @Override
  public void close() {
    synchronized (graph) {
      if (!closed) {
        closed = true;
        graph.release(this, slot);
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
