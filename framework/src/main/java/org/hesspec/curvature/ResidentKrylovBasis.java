package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.List;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.Precision;
import org.hesspec.model.TensorValues;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Empty;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The basis of a thick-restart Lanczos run kept in a {@link CurvatureGraph}'s session, in the
 * model's dtype: a step copies no p-vector to Java, it fetches the coefficients of the
 * orthogonalisation and two norms.
 *
 * <p>Layout: one variable {@code B} of shape {@code [slots, P]}, a slot a row holding the
 * parameter vector flattened in the selection's order, and a work vector {@code W} of length P.
 * P is p rounded up to a multiple of 16 entries (64 bytes), zeros after p: then a slice of the
 * first rows of B is a view of B's buffer (TensorFlow's Slice shares a dim-0 range whose row is
 * a multiple of its alignment, 64 bytes), so the reorthogonalisation reads the basis in place.
 * One flattened variable rather than one per parameter tensor makes the reorthogonalisation one
 * matrix product per column chunk and pass, instead of a sum of per-tensor ones (about 30 for a
 * VGG11).
 *
 * <p>Operations (with {@code Q = B[0:count]}):
 *
 * <pre>
 *   product(i):       v_s = B[i, off_s : off_s + size_s] (reshaped), A v into the accumulators,
 *                     W = [flatten(acc_s) ..., 0]; fetches |W|^2
 *   orthogonalize:    c = Q W (one matmul on the view); W -= Q^T c; c' = Q W (float64, by
 *                     column chunks); W -= Q^T c'; returns c + c'; W is updated in place
 *   norm:             |W| (float64, by column chunks)
 *   storeScaled(i,f): B[i] = f W                                   (ScatterUpdate, in place)
 *   transform:        B[o : o+l, cols] = S^T B[o : o+n, cols]       per column chunk
 *   residual(i, t):   B[i] /= |B[i]|; product(i); fetches |W - t B[i]|^2
 * </pre>
 *
 * The restart transform runs in column chunks of {@link #CHUNK} entries, so its temporaries are
 * n x CHUNK, never a second basis. A permutation is the transform by a 0/1 matrix (exact: every
 * output is one input plus zeros). Every reduction is TensorFlow's matmul or sum on the CPU, whose
 * blocking depends only on the shapes and the thread pool: the same calls give the same bits in
 * the same session settings, which a bit-for-bit resume needs.
 *
 * <p>Arithmetic is in the model's dtype except the second orthogonalisation pass and the norms,
 * which accumulate in float64 whatever the dtype; a float64 model stays float64 throughout. Closing the basis shrinks B and W to
 * empty tensors, which frees their memory (graph variables cannot be removed).
 */
final class ResidentKrylovBasis implements KrylovVectors {
  /** Columns per session run of a restart transform: temporaries of n x CHUNK entries. */
  static final int CHUNK = 1 << 19;

  /**
   * Columns per session run of the float64 dot products: temporaries of count x DOT_CHUNK entries
   * in float64 (84 MB for 41 slots), about 110 runs per pass at p = 28 M.
   */
  static final int DOT_CHUNK = 1 << 18;

  private final CurvatureGraph graph;
  private final CurvatureOperator operator;
  private final BatchedData data;
  private final Precision precision;
  private final int p;
  private final int padded;
  private final int slots;

  private final Variable<TFloating> basis;
  private final Variable<TFloating> work;
  private final Placeholder<TInt32> slot;
  private final List<Op> loadSlot = new ArrayList<>();
  private final Operand<TFloating> gatherNormSquared;
  private final Placeholder<TInt32> count;
  private final Placeholder<TInt32> dotBegin;
  private final Placeholder<TInt32> dotSize;
  private final Placeholder<TInt32> workBegin;
  private final Placeholder<TInt32> workSize;
  private final Operand<TFloat64> chunkDots;
  private final Operand<TFloat64> chunkNormSquared;
  private final Placeholder<TFloating> subtractCoefficients;
  private final Operand<TFloating> viewDots;
  private final Op subtract;
  private final Placeholder<TFloating> factor;
  private final Op storeScaled;
  private final Placeholder<TFloating> vector;
  private final Op setSlot;
  private final Op loadWork;
  private final Operand<TFloating> row;
  /** {@code B[dotBegin : dotBegin + dotSize]} in the basis dtype (checkpoint chunks). */
  private final Operand<TFloating> rawSlice;
  private final Placeholder<TFloating> coefficients;
  private final Placeholder<TInt32> offset;
  private final Operand<TFloating> combination;
  private final Placeholder<TInt32> chunkBegin;
  private final Placeholder<TInt32> chunkSize;
  private final Placeholder<TInt32> chunkEnd;
  private final Placeholder<TFloating> transposedS;
  private final Op transformChunk;
  private final Placeholder<TInt32> from;
  private final Op copyRow;
  private final List<Op> release = new ArrayList<>();
  private final Operand<TFloating> rowNormSquared;
  private final Op scaleRow;
  private final Placeholder<TFloating> theta;
  private final Operand<TFloating> residualSquared;

  /** |W|^2 after the last orthogonalisation, or NaN when W changed since. */
  private double cachedNormSquared = Double.NaN;
  private boolean closed;

  ResidentKrylovBasis(CurvatureGraph graph, CurvatureOperator operator, BatchedData data, int slots) {
    this.graph = graph;
    this.operator = operator;
    this.data = data;
    this.precision = graph.model().precision();
    this.p = graph.dimension();
    this.padded = (p + 15) / 16 * 16;
    this.slots = slots;
    Ops tf = graph.ops().withSubScope("krylov");
    Class<TFloating> type = graph.type();
    basis = tf.variable(Shape.of(slots, padded), type);
    work = tf.variable(Shape.of(padded), type);
    Operand<TFloating> one = tf.dtypes.cast(tf.constant(1.0f), type);
    Operand<TFloating> two = tf.dtypes.cast(tf.constant(2.0f), type);
    Operand<TInt32> flat = tf.constant(new int[] {-1});
    Operand<TInt32> asColumn = tf.constant(new int[] {padded, 1});
    Operand<TInt32> asRow = tf.constant(new int[] {1, padded});
    Operand<TFloating> padding = tf.zeros(tf.constant(new int[] {padded - p}), type);

    // product: the slot into the product vector v, tensor by tensor; the result into W
    slot = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt32> slotVector = tf.reshape(slot, tf.constant(new int[] {1}));
    List<Operand<?>> v = graph.vectorHandles();
    List<Variable<TFloating>> acc = graph.accumulators();
    List<ParameterTensor> tensors = graph.selection().tensors();
    long expectedOffset = 0;
    List<Operand<TFloating>> parts = new ArrayList<>();
    for (int s = 0; s < v.size(); s++) {
      ParameterTensor t = tensors.get(s);
      if (t.offset() != expectedOffset) {
        throw new IllegalStateException("the selected tensors are not laid out contiguously: " + t.name());
      }
      int size = Math.toIntExact(t.size());
      expectedOffset += size;
      Operand<TInt32> begin = tf.concat(List.of(slotVector, tf.constant(new int[] {Math.toIntExact(t.offset())})), tf.constant(0));
      Operand<TFloating> part = tf.slice(basis, begin, tf.constant(new int[] {1, size}));
      loadSlot.add(tf.assignVariableOp(v.get(s), tf.reshape(part, tf.constant(toInts(t.shape())))));
      parts.add(tf.reshape(acc.get(s), flat));
    }
    parts.add(padding);
    Operand<TFloating> gathered = tf.assign(work, tf.concat(parts, tf.constant(0)));
    gatherNormSquared = tf.math.mul(two, tf.nn.l2Loss(gathered));

    // Classical Gram-Schmidt twice against Q = B[0:count]. The second pass's coefficients Q^T W
    // and |W|^2 are accumulated in float64, column chunk by column chunk (the chunks' sums added
    // in Java in chunk order). Accumulated in float32 over p = 28 M entries they lost enough that
    // a float32 VGG11's top 20 (results/bench/README.md) ended with its top pair at a residual of
    // 1.3e-4 of |theta|, above the 1e-4 tolerance; in float64 it is 2.7e-7, as with the Java
    // basis (whose arithmetic is double). The first pass is one matmul in the model's dtype on
    // the view: its error, small against |W|, is what the second pass measures and removes, so
    // the sum of both passes' coefficients has the second pass's accuracy (Parlett, The
    // Symmetric Eigenvalue Problem, sec. 6-9, "twice is enough"), at a quarter of its memory
    // traffic. The update W -= Q^T c runs in the model's dtype, in place, reading Q as a view.
    count = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt32> countVector = tf.reshape(count, tf.constant(new int[] {1}));
    dotBegin = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    dotSize = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    workBegin = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(1)));
    workSize = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(1)));
    Operand<TFloat64> workChunk = tf.dtypes.cast(tf.slice(work, workBegin, workSize), TFloat64.class);
    rawSlice = tf.slice(basis, dotBegin, dotSize);
    chunkDots = tf.reshape(tf.linalg.matMul(tf.dtypes.cast(tf.slice(basis, dotBegin, dotSize), TFloat64.class),
        tf.reshape(workChunk, tf.constant(new int[] {-1, 1}))), flat);
    chunkNormSquared = tf.reduceSum(tf.math.square(workChunk), tf.constant(0));
    Operand<TFloating> q =
        tf.slice(basis, tf.constant(new int[] {0, 0}), tf.concat(List.of(countVector, tf.constant(new int[] {-1})), tf.constant(0)));
    viewDots = tf.reshape(tf.linalg.matMul(q, tf.reshape(work, asColumn)), flat);
    subtractCoefficients = tf.placeholder(type, Placeholder.shape(Shape.of(1, -1)));
    subtract = tf.train.applyGradientDescent(work, one, tf.reshape(tf.linalg.matMul(subtractCoefficients, q), flat));

    // B[i] = f W
    factor = tf.placeholder(type, Placeholder.shape(Shape.scalar()));
    storeScaled = tf.scatterUpdate(basis, slotVector, tf.reshape(tf.math.mul(work, factor), asRow));
    // B[i] = v, W = v (v of length p from Java)
    vector = tf.placeholder(type, Placeholder.shape(Shape.of(p)));
    Operand<TFloating> paddedVector = tf.concat(List.of(vector, padding), tf.constant(0));
    setSlot = tf.scatterUpdate(basis, slotVector, tf.reshape(paddedVector, asRow));
    loadWork = tf.assign(work, paddedVector);
    // B[i, 0:p]
    row = tf.reshape(tf.slice(basis, tf.concat(List.of(slotVector, tf.constant(new int[] {0})), tf.constant(0)),
        tf.constant(new int[] {1, p})), flat);
    // s^T B[o : o + n] (a view of B), its first p entries
    coefficients = tf.placeholder(type, Placeholder.shape(Shape.of(1, -1)));
    offset = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Operand<TInt32> rows = tf.concat(List.of(tf.reshape(offset, tf.constant(new int[] {1})), tf.constant(new int[] {0})), tf.constant(0));
    Operand<TInt32> rowCount = tf.concat(List.of(tf.slice(tf.shape(coefficients), tf.constant(new int[] {1}), tf.constant(new int[] {1})),
        tf.constant(new int[] {-1})), tf.constant(0));
    combination = tf.reshape(tf.slice(tf.linalg.matMul(coefficients, tf.slice(basis, rows, rowCount)),
        tf.constant(new int[] {0, 0}), tf.constant(new int[] {1, p})), flat);
    // B[o : o + l, c0 : c1] = S^T B[o : o + n, c0 : c1]
    chunkBegin = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    chunkSize = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    chunkEnd = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    transposedS = tf.placeholder(type, Placeholder.shape(Shape.of(-1, -1)));
    Operand<TFloating> chunk = tf.linalg.matMul(transposedS, tf.slice(basis, chunkBegin, chunkSize));
    transformChunk = tf.stridedSliceAssign(basis, chunkBegin, chunkEnd, tf.constant(new int[] {1, 1}), chunk);
    // B[to] = B[from] (the source row a view of B)
    from = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Operand<TFloating> source = tf.slice(basis,
        tf.concat(List.of(tf.reshape(from, tf.constant(new int[] {1})), tf.constant(new int[] {0})), tf.constant(0)),
        tf.constant(new int[] {1, -1}));
    copyRow = tf.scatterUpdate(basis, slotVector, source);
    // residuals: B[i] *= f (f = 1 / |B[i]|), then |W - theta B[i]|^2 after the product of slot i
    rowNormSquared = tf.math.mul(two, tf.nn.l2Loss(row));
    Operand<TFloating> fullRow = tf.slice(basis,
        tf.concat(List.of(slotVector, tf.constant(new int[] {0})), tf.constant(0)), tf.constant(new int[] {1, -1}));
    scaleRow = tf.scatterUpdate(basis, slotVector, tf.math.mul(fullRow, factor));
    theta = tf.placeholder(type, Placeholder.shape(Shape.scalar()));
    residualSquared = tf.math.mul(two, tf.nn.l2Loss(tf.math.sub(work, tf.math.mul(theta, tf.reshape(fullRow, flat)))));
    // closing: empty tensors in place of B and W free their memory
    release.add(tf.assign(basis, tf.zeros(tf.constant(new int[] {0, padded}), type), Assign.validateShape(false)));
    release.add(tf.assign(work, tf.zeros(tf.constant(new int[] {0}), type), Assign.validateShape(false)));

    // Uninitialised storage (Empty, init false): its pages are not touched until a row is
    // written, and no row is read before it is (every read is of slots in use, every slot in use
    // was written). Assigning zeros instead would touch the whole basis at once and, measured on a
    // 704 MB basis, leave twice its size resident (the zeros' buffer is kept by the allocator).
    Session.Runner init = graph.session().runner();
    init.addTarget(tf.assign(basis, tf.empty(tf.constant(new int[] {slots, padded}), type, Empty.init(false)),
        Assign.validateShape(false)));
    init.addTarget(tf.assign(work, tf.empty(tf.constant(new int[] {padded}), type, Empty.init(false)),
        Assign.validateShape(false)));
    init.run().close();
  }

  private static int[] toInts(long[] shape) {
    int[] dims = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    return dims;
  }

  @Override
  public int dimension() {
    return p;
  }

  @Override
  public Precision precision() {
    return precision;
  }

  @Override
  public double product(int i) {
    synchronized (graph) {
      requireOpen(i);
      // whoever holds the product vector v saves it before it is overwritten
      graph.slots().releaseVector();
      try (TInt32 index = TInt32.scalarOf(i)) {
        Session.Runner r = graph.session().runner().feed(slot, index);
        loadSlot.forEach(r::addTarget);
        r.run().close();
      }
      graph.applyInSession(operator, data);
      cachedNormSquared = Double.NaN;
      double total = fetchScalar(graph.session().runner().fetch(gatherNormSquared));
      if (!Double.isFinite(total)) {
        throw new ArithmeticException(graph.model().source() + ": the " + operator
            + " product in a top-eigen step is not finite; " + graph.nonFiniteCause(data));
      }
      return total;
    }
  }

  @Override
  public void load(double[] v) {
    synchronized (graph) {
      requireOpen(0);
      try (Tensor t = TensorValues.of(requireLength(v), 0, Shape.of(p), precision)) {
        graph.session().runner().feed(vector, t).addTarget(loadWork).run().close();
      }
      cachedNormSquared = Double.NaN;
    }
  }

  @Override
  public double[] orthogonalizeTwice(int n) {
    synchronized (graph) {
      requireOpen(0);
      if (n < 0 || n > slots) {
        throw new IllegalArgumentException("count " + n + " outside [0, " + slots + "]");
      }
      double[] total = new double[n];
      if (n == 0) {
        return total;
      }
      for (int pass = 0; pass < 2; pass++) {
        double[] c = pass == 0 ? viewDots(n) : dots(n);
        for (int i = 0; i < n; i++) {
          total[i] += c[i];
        }
        try (TInt32 k = TInt32.scalarOf(n);
            Tensor coefficients = TensorValues.of(c, 0, Shape.of(1, n), precision)) {
          graph.session().runner().feed(count, k).feed(subtractCoefficients, coefficients)
              .addTarget(subtract).run().close();
        }
      }
      cachedNormSquared = Double.NaN;
      return total;
    }
  }

  /** {@code Q^T W} over slots {@code [0, n)} in the model's dtype: one matmul reading Q in place. */
  private double[] viewDots(int n) {
    try (TInt32 k = TInt32.scalarOf(n);
        Result res = graph.session().runner().feed(count, k).fetch(viewDots).run()) {
      return TensorValues.toDoubles(res.get(0));
    }
  }

  /** {@code Q^T W} over slots {@code [0, n)}, in float64, summed chunk by chunk in chunk order. */
  private double[] dots(int n) {
    double[] sum = new double[n];
    for (int c0 = 0; c0 < padded; c0 += DOT_CHUNK) {
      int width = Math.min(DOT_CHUNK, padded - c0);
      try (TInt32 begin = TInt32.vectorOf(0, c0); TInt32 size = TInt32.vectorOf(n, width);
          TInt32 wBegin = TInt32.vectorOf(c0); TInt32 wSize = TInt32.vectorOf(width);
          Result res = graph.session().runner().feed(dotBegin, begin).feed(dotSize, size)
              .feed(workBegin, wBegin).feed(workSize, wSize).fetch(chunkDots).run()) {
        double[] part = TensorValues.toDoubles(res.get(0));
        for (int i = 0; i < n; i++) {
          sum[i] += part[i];
        }
      }
    }
    return sum;
  }

  @Override
  public double norm() {
    synchronized (graph) {
      requireOpen(0);
      if (Double.isNaN(cachedNormSquared)) {
        double sum = 0;
        for (int c0 = 0; c0 < padded; c0 += DOT_CHUNK) {
          int width = Math.min(DOT_CHUNK, padded - c0);
          try (TInt32 begin = TInt32.vectorOf(c0); TInt32 size = TInt32.vectorOf(width);
              Result res = graph.session().runner().feed(workBegin, begin).feed(workSize, size)
                  .fetch(chunkNormSquared).run()) {
            sum += TensorValues.toDoubles(res.get(0))[0];
          }
        }
        cachedNormSquared = sum;
      }
      return Math.sqrt(cachedNormSquared);
    }
  }

  @Override
  public void storeScaled(int i, double f) {
    synchronized (graph) {
      requireOpen(i);
      try (TInt32 index = TInt32.scalarOf(i); Tensor t = scalar(f)) {
        graph.session().runner().feed(slot, index).feed(factor, t).addTarget(storeScaled).run().close();
      }
    }
  }

  @Override
  public void set(int i, double[] v) {
    synchronized (graph) {
      requireOpen(i);
      try (Tensor t = TensorValues.of(requireLength(v), 0, Shape.of(p), precision)) {
        setFed(i, t);
      }
    }
  }

  private void setFed(int i, Tensor t) {
    try (TInt32 index = TInt32.scalarOf(i)) {
      graph.session().runner().feed(slot, index).feed(vector, t).addTarget(setSlot).run().close();
    }
  }

  @Override
  public void get(int i, double[] out) {
    synchronized (graph) {
      requireOpen(i);
      try (TInt32 index = TInt32.scalarOf(i);
          Result res = graph.session().runner().feed(slot, index).fetch(row).run()) {
        TensorValues.copyTo(res.get(0), out, 0);
      }
    }
  }

  @Override
  public void combine(int o, double[] s, double[] out) {
    synchronized (graph) {
      if (s.length == 0) {
        java.util.Arrays.fill(out, 0, p, 0.0);
        return;
      }
      requireOpen(o + s.length - 1);
      try (TInt32 at = TInt32.scalarOf(o);
          Tensor c = TensorValues.of(s, 0, Shape.of(1, s.length), precision);
          Result res = graph.session().runner().feed(offset, at).feed(coefficients, c).fetch(combination).run()) {
        TensorValues.copyTo(res.get(0), out, 0);
      }
    }
  }

  @Override
  public void transform(int o, int n, double[][] s, int l) {
    synchronized (graph) {
      if (l == 0 || n == 0) {
        return;
      }
      requireOpen(o + Math.max(n, l) - 1);
      double[] transposed = new double[l * n];
      for (int r = 0; r < l; r++) {
        for (int i = 0; i < n; i++) {
          transposed[r * n + i] = s[i][r];
        }
      }
      try (Tensor st = TensorValues.of(transposed, 0, Shape.of(l, n), precision)) {
        for (int c0 = 0; c0 < padded; c0 += CHUNK) {
          int width = Math.min(CHUNK, padded - c0);
          try (TInt32 begin = TInt32.vectorOf(o, c0);
              TInt32 size = TInt32.vectorOf(n, width);
              TInt32 end = TInt32.vectorOf(o + l, c0 + width)) {
            graph.session().runner().feed(chunkBegin, begin).feed(chunkSize, size).feed(chunkEnd, end)
                .feed(transposedS, st).addTarget(transformChunk).run().close();
          }
        }
      }
    }
  }

  @Override
  public void move(int source, int to) {
    synchronized (graph) {
      requireOpen(Math.max(source, to));
      if (source == to) {
        return;
      }
      try (TInt32 f = TInt32.scalarOf(source); TInt32 t = TInt32.scalarOf(to)) {
        graph.session().runner().feed(from, f).feed(slot, t).addTarget(copyRow).run().close();
      }
    }
  }

  @Override
  public void permute(int[] order) {
    int n = 0;
    for (int o : order) {
      n = Math.max(n, o + 1);
    }
    double[][] selection = new double[n][order.length];
    for (int t = 0; t < order.length; t++) {
      selection[order[t]][t] = 1;
    }
    transform(0, n, selection, order.length);
  }

  @Override
  public void clearFrom(int f) {
    // Unused rows are never read: every reduction is over B[0:count] of the slots in use.
  }

  @Override
  public double residual(int i, double value) {
    synchronized (graph) {
      requireOpen(i);
      double squared;
      try (TInt32 index = TInt32.scalarOf(i)) {
        squared = fetchScalar(graph.session().runner().feed(slot, index).fetch(rowNormSquared));
      }
      try (TInt32 index = TInt32.scalarOf(i); Tensor f = scalar(1.0 / Math.sqrt(squared))) {
        graph.session().runner().feed(slot, index).feed(factor, f).addTarget(scaleRow).run().close();
      }
      product(i);
      try (TInt32 index = TInt32.scalarOf(i); Tensor t = scalar(value)) {
        return Math.sqrt(fetchScalar(graph.session().runner().feed(slot, index).feed(theta, t).fetch(residualSquared)));
      }
    }
  }

  @Override
  public void rawChunk(int i, int from, double[] out, int n) {
    if (precision != Precision.FLOAT64) {
      throw new IllegalStateException("a " + precision + " basis has no float64 entries");
    }
    synchronized (graph) {
      try (Result r = fetchChunk(i, from, n)) {
        ((TFloat64) r.get(0)).copyTo(DataBuffers.of(out, false, false).narrow(n));
      }
    }
  }

  @Override
  public void rawChunk(int i, int from, float[] out, int n) {
    if (precision != Precision.FLOAT32) {
      throw new IllegalStateException("a " + precision + " basis has no float32 entries");
    }
    synchronized (graph) {
      try (Result r = fetchChunk(i, from, n)) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false).narrow(n));
      }
    }
  }

  /** {@code B[i, from : from + n]}, fetched in the basis dtype. */
  private Result fetchChunk(int i, int from, int n) {
    requireOpen(i);
    if (from < 0 || n < 0 || from + n > p) {
      throw new IllegalArgumentException("entries [" + from + ", " + (from + n) + ") are outside [0, " + p + ")");
    }
    try (TInt32 begin = TInt32.vectorOf(i, from); TInt32 size = TInt32.vectorOf(1, n)) {
      return graph.session().runner().feed(dotBegin, begin).feed(dotSize, size).fetch(rawSlice).run();
    }
  }

  @Override
  public void setRaw(int i, double[] v) {
    synchronized (graph) {
      requireOpen(i);
      try (Tensor t = TensorValues.of(requireLength(v), 0, Shape.of(p), precision)) {
        setFed(i, t);
      }
    }
  }

  @Override
  public void setRaw(int i, float[] v) {
    if (v.length != p) {
      throw new IllegalArgumentException("vector of length " + v.length + ", expected p=" + p);
    }
    synchronized (graph) {
      requireOpen(i);
      try (Tensor t = TensorValues.of(v, 0, Shape.of(p), precision)) {
        setFed(i, t);
      }
    }
  }

  @Override
  public void close() {
    synchronized (graph) {
      if (!closed) {
        closed = true;
        Session.Runner r = graph.session().runner();
        release.forEach(r::addTarget);
        r.run().close();
      }
    }
  }

  private double fetchScalar(Session.Runner r) {
    try (Result res = r.run()) {
      return TensorValues.toDoubles(res.get(0))[0];
    }
  }

  private Tensor scalar(double x) {
    return TensorValues.of(new double[] {x}, 0, Shape.scalar(), precision);
  }

  private void requireOpen(int i) {
    if (closed) {
      throw new IllegalStateException("the Krylov basis is closed");
    }
    if (i < 0 || i >= slots) {
      throw new IndexOutOfBoundsException("slot " + i + " outside [0, " + slots + ")");
    }
  }

  private double[] requireLength(double[] v) {
    if (v.length != p) {
      throw new IllegalArgumentException("vector of length " + v.length + ", expected p=" + p);
    }
    return v;
  }
}
