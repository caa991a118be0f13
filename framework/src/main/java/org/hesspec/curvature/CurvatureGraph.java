package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.Precision;
import org.hesspec.model.TensorValues;
import org.hesspec.model.grad.SecondOrderGradients;
import org.hesspec.model.graph.MaxPoolArgmax;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The TensorFlow graph and session that compute every curvature product of one model: owns both,
 * builds each product's ops once (on first use), and runs them over mini-batches.
 *
 * <p>Memory layout: theta, the product vector v and the accumulator of the result live in
 * TensorFlow variables (one per parameter tensor). A product over a data subset copies v into the
 * session once, runs one accumulation step per mini-batch (feeding resident batch tensors; the
 * first batch assigns, so nothing is zeroed), and copies the accumulated result out once: no
 * p-length copy per mini-batch. Lanczos keeps its vectors here too ({@link #recurrence}): then
 * no p-vector crosses to Java at all.
 *
 * <p>The model in the graph (theta binding, logits, C, finite checks) is a {@link ModelGraph},
 * shared with the distributed session; the loss and the ops of each product (with their formulas)
 * come from {@link ProductOps} and {@link CurvatureOperator}; here the per-example weights {@code
 * w_i} of a batch are 1/n.
 */
public final class CurvatureGraph implements AutoCloseable {

  private final ModelDefinition model;
  /** Why the current theta can make a product non-finite (its first non-finite value), if it can. */
  private java.util.Optional<String> nonFiniteTheta = java.util.Optional.empty();
  private final Loss loss;
  private final ParameterLayout selection;
  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final Precision precision;
  private final int numClasses;
  private final ModelGraph modelGraph;

  private final List<Placeholder<TFloating>> thetaIn;
  private final List<Op> thetaAssign = new ArrayList<>();
  /**
   * The product vector v: resource variables, so that the Lanczos update can hand a new vector's
   * buffer to v and v's old buffer to {@code q_{j-1}} without copying either ({@link
   * ResidentRecurrence}); {@link #vValues} are their reads, which the products take as input.
   */
  private final List<Operand<?>> vVars = new ArrayList<>();
  private final List<Operand<TFloating>> vValues = new ArrayList<>();
  private final List<Placeholder<TFloating>> vIn;
  private final List<Op> vAssign = new ArrayList<>();
  private final List<Variable<TFloating>> acc = new ArrayList<>();
  private final List<Op> accZero = new ArrayList<>();
  /** The mean gradient gbar of {@link #meanGradientOf}, for products that subtract gbar gbar^T v. */
  private final List<Variable<TFloating>> meanGradient = new ArrayList<>();
  private final List<Op> meanGradientStore = new ArrayList<>();
  /** The data set whose mean gradient {@link #meanGradient} holds at the current theta, or null. */
  private BatchedData meanGradientOf;

  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloating> targets;
  private final Placeholder<TFloating> weights;
  private final Placeholder<TFloating> noise;
  private final Placeholder<TFloating> vjpWeights;
  private final Output<TFloating> input;
  private final Operand<TFloating> logits;
  private final Operand<TFloating> lossSum;
  private final Operand<TFloating> probabilities;
  private final ProductOps productOps;

  private final Map<CurvatureOperator, ProductOps.Accumulation> accumulate = new EnumMap<>(CurvatureOperator.class);
  private ProductOps.Accumulation gradientStep;
  private ProductOps.Accumulation vjpStep;
  private List<Op> subtractMeanGradient;

  /** The Lanczos recurrences' bookkeeping: who holds v, and storage for the next ones. */
  private final ResidentRecurrence.Slots slots = new ResidentRecurrence.Slots();
  /** Threads of the fused Lanczos update: the session's intra-op threads. */
  private final int updateThreads;
  private boolean fusedUpdate = FusedRecurrence.available();
  private long productNanos;
  private int resourceVariables;
  private final ProductCache cache;

  /**
   * Builds the graph for {@code model} and {@code loss}, differentiating with respect to the
   * parameter tensors in {@code selection} (a {@link ParameterLayout#select} of the model's layout).
   */
  @SuppressWarnings("unchecked")
  public CurvatureGraph(ModelDefinition model, Loss loss, ParameterLayout selection, SessionSettings settings) {
    SecondOrderGradients.ensureRegistered();
    this.model = model;
    this.loss = loss;
    this.selection = selection;
    this.updateThreads = settings.intraOpThreads() > 0 ? settings.intraOpThreads() : Runtime.getRuntime().availableProcessors();
    if (fusedUpdate && model.precision() == Precision.FLOAT32 && selection.dimension() >= FusedLanczosKernels.WARM_UP_FROM) {
      FusedLanczosKernels.warmUpInBackground();
    }
    this.precision = model.precision();
    this.graph = new Graph();
    this.cache = new ProductCache(settings.productCacheBytes());
    try {
      graph.importGraphDef(ModelGraph.bind(model, null));
      this.tf = Ops.create(graph).withSubScope("hesspec");
      this.modelGraph = new ModelGraph(graph, tf, model, loss, selection);
      Class<TFloating> type = modelGraph.type();
      this.thetaIn = ModelGraph.thetaPlaceholders(tf, model);
      for (int k = 0; k < thetaIn.size(); k++) {
        thetaAssign.add(tf.assign(modelGraph.thetaVariables().get(k), thetaIn.get(k)));
      }
      this.vIn = modelGraph.vectorPlaceholders(tf);
      for (int s = 0; s < selection.tensors().size(); s++) {
        ParameterTensor t = selection.tensors().get(s);
        Operand<?> v = resourceVariable(tf, "v", Shape.of(t.shape()));
        vVars.add(v);
        vValues.add(tf.readVariableOp(v, type));
        vAssign.add(tf.assignVariableOp(v, vIn.get(s)));
        Variable<TFloating> a = tf.variable(Shape.of(t.shape()), type);
        acc.add(a);
        // Zeros made in the graph: resetting the accumulators copies nothing from Java.
        accZero.add(tf.assign(a, zeros(t.shape(), type)));
        Variable<TFloating> m = tf.variable(Shape.of(t.shape()), type);
        meanGradient.add(m);
        meanGradientStore.add(tf.assign(m, a));
      }
      this.input = (Output<TFloating>) graph.outputOrThrow(model.inputTensor());
      this.logits = modelGraph.logits();
      this.numClasses = modelGraph.numClasses();
      this.labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      this.targets = tf.placeholder(type, Placeholder.shape(Shape.of(-1, numClasses)));
      this.weights = tf.placeholder(type, Placeholder.shape(Shape.of(-1)));
      this.noise = tf.placeholder(type, Placeholder.shape(Shape.of(-1, -1)));
      this.vjpWeights = tf.placeholder(type, Placeholder.shape(Shape.of(-1, numClasses)));
      this.productOps = new ProductOps(modelGraph, new ModelGraph.BatchInputs(labels, targets, weights, noise), vValues);
      this.probabilities = productOps.probabilities();
      this.lossSum = productOps.lossSum();
      ConfigProto config = settings.toConfigProto();
      this.session = new Session(graph, false, config);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    try {
      Session.Runner init = session.runner();
      for (int s = 0; s < vVars.size(); s++) {
        init.addTarget(tf.assignVariableOp(vVars.get(s), zeros(selection.tensors().get(s).shape(), (Class<TFloating>) precision.tensorType())));
      }
      for (Op z : accZero) {
        init.addTarget(z);
      }
      runAndClose(init);
      setTheta(model.theta());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A zero tensor of {@code shape} made in the graph (no copy from Java). */
  private Operand<TFloating> zeros(long[] shape, Class<TFloating> type) {
    int[] dims = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    return tf.zeros(tf.constant(dims), type);
  }

  /** Runs targets that fetch nothing; the (empty) result is closed at once. */
  private static void runAndClose(Session.Runner r) {
    r.run().close();
  }

  /** Sets the parameter vector theta (length of the model's full layout). */
  public synchronized void setTheta(double[] theta) {
    Session.Runner r = session.runner();
    List<Tensor> owned = new ArrayList<>();
    try {
      ModelGraph.feedTheta(model, theta, thetaIn, r, owned);
      thetaAssign.forEach(r::addTarget);
      runAndClose(r);
      // Remembered for the message of a non-finite product (nonFiniteCause).
      nonFiniteTheta = ModelGraph.nonFiniteParameter(model, theta);
      cache.clear(); // the v-independent part of every product changes with theta
      meanGradientOf = null; // and so does the mean gradient
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /** The dimension of the selected parameters (the operators' p). */
  public int dimension() {
    return Math.toIntExact(selection.dimension());
  }

  public ParameterLayout selection() {
    return selection;
  }

  public ModelDefinition model() {
    return model;
  }

  public Loss loss() {
    return loss;
  }

  /** C, the width of the logits. */
  public int numClasses() {
    return numClasses;
  }

  /** {@code operator} applied to {@code v} over {@code data}; returns the result. */
  public synchronized double[] apply(CurvatureOperator operator, double[] v, BatchedData data) {
    double[] out = new double[dimension()];
    apply(operator, v, data, out);
    return out;
  }

  /** As {@link #apply(CurvatureOperator, double[], BatchedData)}, writing the result into {@code out} (length p, not {@code v}). */
  public synchronized void apply(CurvatureOperator operator, double[] v, BatchedData data, double[] out) {
    load(v);
    applyInSession(operator, data);
    TensorValues.fetchVector(session, acc, selection, out);
    checkFinite("the " + operator + " product", out, data);
  }

  /** {@code operator} over {@code data} as a {@link LinearOperator} (its Lanczos vectors kept in this session). */
  public LinearOperator operator(CurvatureOperator operator, BatchedData data) {
    return new ProductOperator(this, data, operator);
  }

  /** The gradient {@code dL/dtheta} of the mean loss over {@code data} (selected parameters). */
  public synchronized double[] gradient(BatchedData data) {
    gradientInSession(data);
    double[] out = read(acc);
    checkFinite("the gradient", out, data);
    return out;
  }

  /** Sums the gradient over {@code data} into the session's accumulators (no p-vector crosses to Java). */
  public synchronized void gradientInSession(BatchedData data) {
    validate(data);
    ProductOps.Accumulation step = gradientStep();
    long start = System.nanoTime();
    int i = 0;
    for (BatchedData.Batch b : data.batches()) {
      Session.Runner r = feedBatch(session.runner(), b);
      (i++ == 0 ? step.first() : step.add()).forEach(r::addTarget);
      runAndClose(r);
    }
    productNanos += System.nanoTime() - start;
  }

  /** Copies {@code v} into the session's product vector, where {@link #applyInSession} reads it. */
  public synchronized void load(double[] v) {
    slots.releaseVector();
    loadVector(v);
  }

  /**
   * Computes {@code operator} of the vector held in the session over {@code data} and leaves the
   * result in the session's accumulators: no p-vector crosses to Java. This is the product as
   * Lanczos runs it, and as the benchmark compares it with PyTorch, whose vectors also stay in its
   * own memory.
   */
  public synchronized void applyInSession(CurvatureOperator operator, BatchedData data) {
    validate(data);
    if (operator.subtractsMeanGradient() && meanGradientOf != data) {
      // gbar of these data at this theta, kept for every later product (the accumulators are overwritten below)
      gradientInSession(data);
      Session.Runner r = session.runner();
      meanGradientStore.forEach(r::addTarget);
      runAndClose(r);
      meanGradientOf = data;
    }
    ProductOps.Accumulation step = accumulation(operator);
    long start = System.nanoTime();
    List<Output<?>> frontier = cache.enabled() ? cache.frontierOf(operator, () -> productTargets(operator), vVariableNames()) : null;
    List<Result> cached = frontier == null ? null : cache.lookup(operator, data);
    if (frontier != null && cached == null && !cache.overBudget(operator, data) && !frontier.isEmpty()) {
      cached = fillCache(operator, data, frontier);
    }
    int i = 0;
    for (BatchedData.Batch b : data.batches()) {
      Session.Runner r = feedBatch(session.runner(), b);
      (i == 0 ? step.first() : step.add()).forEach(r::addTarget);
      if (cached != null) {
        ProductCache.feed(r, frontier, cached.get(i));
      }
      runAndClose(r);
      i++;
    }
    if (operator.subtractsMeanGradient()) {
      Session.Runner r = session.runner();
      subtractMeanGradient().forEach(r::addTarget);
      runAndClose(r);
    }
    productNanos += System.nanoTime() - start;
  }

  /**
   * Computes the frontier of every batch in runs of its own (fetching only the frontier), and
   * stores it; returns it, or null when it is over budget. Every product then runs the same
   * pruned graph, the first one included: TensorFlow's graph optimisations depend on what is fed
   * and fetched, and a product must not change in its last bit between the first call and later
   * ones (a resumed Lanczos run starts with an empty cache and must repeat the interrupted one).
   */
  private List<Result> fillCache(CurvatureOperator product, BatchedData data, List<Output<?>> frontier) {
    cache.clear(); // the previous entry's memory first
    List<Result> filled = new ArrayList<>();
    long bytes = 0;
    try {
      for (BatchedData.Batch b : data.batches()) {
        Session.Runner r = feedBatch(session.runner(), b);
        frontier.forEach(r::fetch);
        Result result = r.run();
        filled.add(result);
        bytes += ProductCache.bytes(result);
        if (bytes > cache.budgetBytes()) { // stop at once: the rest of the data would not fit either
          filled.forEach(Result::close);
          cache.markOverBudget(product, data);
          return null;
        }
      }
    } catch (RuntimeException e) {
      filled.forEach(Result::close);
      throw e;
    }
    cache.store(product, data, filled);
    return cache.lookup(product, data);
  }

  /** Node names of the product vector's variables. */
  private java.util.Set<String> vVariableNames() {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Operand<?> v : vVars) {
      names.add(v.op().name());
    }
    return names;
  }

  /**
   * The target operations one batch of {@code operator} runs (its accumulation into the session's
   * result), for inspecting or counting what the product computes; built on first use.
   */
  public synchronized List<GraphOperation> productTargets(CurvatureOperator operator) {
    return operations(accumulation(operator).add());
  }

  /** As {@link #productTargets} for the gradient. */
  public synchronized List<GraphOperation> gradientTargets() {
    return operations(gradientStep().add());
  }

  private static List<GraphOperation> operations(List<Op> ops) {
    List<GraphOperation> out = new ArrayList<>();
    for (Op op : ops) {
      out.add((GraphOperation) op.op());
    }
    return out;
  }

  /**
   * The tensors fed instead of computed when {@code operator} runs over {@code data} (the product
   * cache's frontier, when it holds this pair), or an empty list: everything upstream of them does
   * not run.
   */
  public synchronized List<Output<?>> productFeeds(CurvatureOperator operator, BatchedData data) {
    if (!cache.enabled() || cache.lookup(operator, data) == null) {
      return List.of();
    }
    return cache.frontierOf(operator, () -> productTargets(operator), vVariableNames());
  }

  /** Bytes the product cache holds now (0 when empty or disabled). */
  public synchronized long productCacheBytes() {
    return cache.bytes();
  }

  /** Nanoseconds spent in product runs since this graph was made (for measuring what a step costs besides them). */
  public synchronized long productNanos() {
    return productNanos;
  }

  /**
   * Vectors of a plain Lanczos recurrence on {@code (A - shift I) / scale}, {@code A} the {@code
   * operator} over {@code data}, kept where the products run: a step costs the product and a few
   * passes over the vectors, and returns two numbers. In float32, with the vector API loaded, the
   * passes are two fused sweeps in Java over the vectors' host memory ({@link FusedRecurrence});
   * otherwise TensorFlow ops ({@link ResidentRecurrence}). The recurrence computes in the model's
   * precision, the precision its products have anyway. Close it to let the next one reuse its storage.
   */
  public synchronized RecurrenceVectors recurrence(CurvatureOperator operator, BatchedData data, double shift, double scale) {
    if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(shift)) {
      throw new IllegalArgumentException("recurrence needs a finite shift and a finite scale > 0, got " + shift + ", " + scale);
    }
    if (fusedUpdate && precision == Precision.FLOAT32) {
      Optional<FusedRecurrence> fused = FusedRecurrence.open(this, operator, data, shift, scale, updateThreads);
      if (fused.isPresent()) {
        return fused.get();
      }
      fusedUpdate = false; // v does not share host memory (a device session): no use trying again
    }
    return new ResidentRecurrence(this, slots.take(this), operator, data, shift, scale);
  }

  /**
   * Waits until the background compilation of the fused Lanczos update, which building a large
   * float32 graph starts (1-3 s of one core, once per JVM), has finished, if one runs. Benchmarks
   * call it so that nothing runs beside what they time.
   */
  public static void awaitLanczosWarmUp() throws InterruptedException {
    if (FusedRecurrence.available()) {
      FusedLanczosKernels.awaitWarmUp();
    }
  }

  /**
   * Whether {@link #recurrence} may fuse the update into two sweeps in Java ({@link
   * FusedRecurrence}, float32 only); otherwise it runs as TensorFlow ops ({@link
   * ResidentRecurrence}). On when the JVM has the vector API; tests turn it off to compare the two.
   */
  synchronized void useFusedUpdate(boolean on) {
    fusedUpdate = on && FusedRecurrence.available();
  }

  /**
   * Assigns {@code parts} (one host tensor per selected tensor) as the product vector v's values;
   * returns whether v's variables now share their buffers (false in a session whose variables live
   * on a device). The caller holds v ({@link #slots}).
   */
  synchronized boolean bindVector(List<? extends Tensor> parts) {
    Session.Runner r = session.runner();
    for (int s = 0; s < parts.size(); s++) {
      r.feed(vIn.get(s), parts.get(s)).addTarget(vAssign.get(s));
    }
    runAndClose(r);
    Session.Runner check = session.runner();
    vValues.forEach(check::fetch);
    try (Result res = check.run()) {
      for (int s = 0; s < parts.size(); s++) {
        long bound = HostMemory.address(res.get(s));
        if (bound <= 0 || bound != HostMemory.address(parts.get(s))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A basis of {@code slots} vectors for thick-restart Lanczos on {@code operator} over {@code
   * data}, kept in this session in the model's dtype ({@link ResidentKrylovBasis}): a step costs
   * the product and a few passes over the basis in TensorFlow, and returns coefficients and norms.
   * Close it to free its memory.
   */
  public synchronized KrylovVectors krylovVectors(CurvatureOperator operator, BatchedData data, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("a Krylov basis needs at least one slot, got " + slots);
    }
    return new ResidentKrylovBasis(this, operator, data, slots);
  }

  /** Who holds the product vector v, and the storage of finished recurrences. */
  ResidentRecurrence.Slots slots() {
    return slots;
  }

  Ops ops() {
    return tf;
  }

  Session session() {
    return session;
  }

  /**
   * A new resource variable of the model's type. Its shared name is unique in this graph: a {@code
   * VarHandleOp} without one would address the session's single variable of the empty name.
   */
  synchronized Operand<?> resourceVariable(Ops scope, String base, Shape shape) {
    String name = "hesspec_" + base + "_" + resourceVariables++;
    return scope.withName(name).varHandleOp(type(), shape, VarHandleOp.sharedName(name));
  }

  /** The handles of the product vector's resource variables, one per selected tensor. */
  List<Operand<?>> vectorHandles() {
    return vVars;
  }

  /** The product vector's values (reads of {@link #vectorHandles}), one per selected tensor. */
  List<Operand<TFloating>> vectorValues() {
    return vValues;
  }

  List<Variable<TFloating>> accumulators() {
    return acc;
  }

  @SuppressWarnings("unchecked")
  Class<TFloating> type() {
    return (Class<TFloating>) precision.tensorType();
  }

  /** Fetches {@code vars} (one per selected tensor) into one p-vector. */
  double[] read(List<? extends Operand<TFloating>> vars) {
    return TensorValues.fetchVector(session, vars, selection);
  }

  /** Zeros of the selected tensor {@code s}'s shape, made in the graph. */
  Operand<TFloating> zerosOf(int s) {
    return zeros(selection.tensors().get(s).shape(), type());
  }

  /**
   * The weighted vector-Jacobian product {@code sum_i J_i^T W_i} over {@code data}, where row i of
   * {@code w} ({@code n x C}, examples in the data's batch order) weights example i's logits.
   * The batches' own 1/n weights are not applied.
   */
  public synchronized double[] weightedVjp(double[][] w, BatchedData data) {
    if (w.length != data.size()) {
      throw new IllegalArgumentException(w.length + " weight rows for " + data.size() + " examples");
    }
    validate(data);
    ProductOps.Accumulation step = vjpStep();
    boolean first = true;
    int row = 0;
    for (BatchedData.Batch b : data.batches()) {
      double[] flat = new double[b.size() * numClasses];
      for (int i = 0; i < b.size(); i++) {
        if (w[row + i].length != numClasses) {
          throw new IllegalArgumentException("weight row " + (row + i) + " has length " + w[row + i].length + ", expected C=" + numClasses);
        }
        System.arraycopy(w[row + i], 0, flat, i * numClasses, numClasses);
      }
      row += b.size();
      try (Tensor wt = TensorValues.of(flat, 0, Shape.of(b.size(), numClasses), precision)) {
        Session.Runner r = feedBatch(session.runner(), b).feed(vjpWeights, wt);
        (first ? step.first() : step.add()).forEach(r::addTarget);
        runAndClose(r);
        first = false;
      }
    }
    double[] out = read(acc);
    checkFinite("the weighted VJP", out, data);
    return out;
  }

  /** Mean loss over {@code data}. */
  public synchronized double loss(BatchedData data) {
    validate(data);
    double total = 0;
    for (BatchedData.Batch b : data.batches()) {
      try (Result r = feedBatch(session.runner(), b).fetch(lossSum).run()) {
        total += TensorValues.toDoubles(r.get(0))[0];
      }
    }
    return total;
  }

  /** Softmax probabilities {@code p_i} of every example ({@code n x C}, batch order). */
  public synchronized double[][] probabilities(BatchedData data) {
    return perExample(probabilities, data);
  }

  /** Logits {@code z_i} of every example ({@code n x C}, batch order). */
  public synchronized double[][] logits(BatchedData data) {
    return perExample(logits, data);
  }

  /**
   * The values of any tensor of the model graph for every example, flattened per example ({@code n x d},
   * batch order), e.g. the penultimate features {@code h_i} named by {@link org.hesspec.model.FeatureTensor}.
   *
   * @throws IllegalArgumentException when the graph has no such tensor (the message names it)
   */
  @SuppressWarnings("unchecked")
  public synchronized double[][] tensorPerExample(String tensorName, BatchedData data) {
    Output<?> t;
    try {
      t = graph.outputOrThrow(tensorName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(model.source() + ": the model graph has no tensor '" + tensorName + "'");
    }
    validate(data);
    double[][] out = new double[data.size()][];
    int row = 0;
    for (BatchedData.Batch b : data.batches()) {
      try (Result r = session.runner().feed(input, b.x()).fetch(t).run()) {
        double[] flat = TensorValues.toDoubles(r.get(0));
        int width = flat.length / b.size();
        for (int i = 0; i < b.size(); i++) {
          out[row++] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
      }
    }
    return out;
  }

  private double[][] perExample(Operand<TFloating> t, BatchedData data) {
    validate(data);
    double[][] out = new double[data.size()][];
    int row = 0;
    for (BatchedData.Batch b : data.batches()) {
      try (Result r = session.runner().feed(input, b.x()).fetch(t).run()) {
        double[] flat = TensorValues.toDoubles(r.get(0));
        for (int i = 0; i < b.size(); i++) {
          out[row++] = java.util.Arrays.copyOfRange(flat, i * numClasses, (i + 1) * numClasses);
        }
      }
    }
    return out;
  }

  private final java.util.Set<BatchedData> validated = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  /** Checks once per data set that its labels and example shape fit the model; names the tensor otherwise. */
  private void validate(BatchedData data) {
    if (validated.contains(data)) {
      return;
    }
    ModelGraph.checkData(model, loss, numClasses, input.shape(), data);
    validated.add(data);
  }

  private Session.Runner feedBatch(Session.Runner r, BatchedData.Batch b) {
    r.feed(input, b.x()).feed(weights, b.weights()).feed(noise, b.noise());
    if (loss == Loss.CROSS_ENTROPY) {
      r.feed(labels, b.labels());
    } else {
      r.feed(targets, b.targets());
    }
    return r;
  }

  private void loadVector(double[] v) {
    Session.Runner r = session.runner();
    List<Tensor> owned = new ArrayList<>();
    try {
      vectorLoad(v, r, owned).forEach(r::addTarget);
      runAndClose(r);
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /** Feeds {@code v} to {@code r} (its tensors added to {@code owned}); returns the ops that assign it to the product vector. */
  List<Op> vectorLoad(double[] v, Session.Runner r, List<Tensor> owned) {
    feed(v, vIn, r, owned);
    return vAssign;
  }

  /** Feeds the p-vector {@code v} to {@code r}, one tensor per selected parameter tensor into {@code ins}; tensors go to {@code owned}. */
  void feed(double[] v, List<Placeholder<TFloating>> ins, Session.Runner r, List<Tensor> owned) {
    ModelGraph.feedSelected(selection, precision, v, ins, r, owned);
  }

  private void checkFinite(String what, double[] out, BatchedData data) {
    ModelGraph.checkFinite(model, selection, out, what, () -> nonFiniteCause(data));
  }

  /**
   * Why a product over {@code data} can have come out NaN or infinite: the first batch whose
   * inputs or targets are not finite, else the first non-finite parameter, else neither (the
   * model's arithmetic overflowed at this theta).
   */
  synchronized String nonFiniteCause(BatchedData data) {
    List<BatchedData.Batch> batches = data.batches();
    for (int b = 0; b < batches.size(); b++) {
      BatchedData.Batch batch = batches.get(b);
      for (String part : List.of("x", "targets")) {
        TFloating values = part.equals("x") ? batch.x() : batch.targets();
        long bad = values == null ? -1 : firstNonFinite(values);
        if (bad >= 0) {
          long perExample = Math.max(1, values.shape().size() / Math.max(1, batch.size()));
          int row = (int) (bad / perExample);
          int example = batch.indices() != null && row < batch.indices().length ? batch.indices()[row] : row;
          return "the data are not finite: batch " + (b + 1) + " of " + batches.size() + " holds a non-finite " + part
              + " value (example " + example + ")";
        }
      }
    }
    if (nonFiniteTheta.isPresent()) {
      return nonFiniteTheta.get();
    }
    return "the data (" + batches.size() + " batches) and the model's parameters are finite: the model's arithmetic overflowed"
        + " at these parameters (" + precision.name().toLowerCase() + "; precision: float64 may avoid it)";
  }

  private static long firstNonFinite(TFloating values) {
    @SuppressWarnings("unchecked")
    org.tensorflow.ndarray.NdArray<? extends Number> a = (org.tensorflow.ndarray.NdArray<? extends Number>) values;
    long[] k = {0};
    long[] found = {-1};
    a.scalars().forEach(x -> {
      if (found[0] < 0 && !Double.isFinite(x.getObject().doubleValue())) {
        found[0] = k[0];
      }
      k[0]++;
    });
    return found[0];
  }

  private synchronized ProductOps.Accumulation accumulation(CurvatureOperator operator) {
    return accumulate.computeIfAbsent(operator, o -> productOps.accumulation(o, acc));
  }

  private ProductOps.Accumulation gradientStep() {
    if (gradientStep == null) {
      gradientStep = productOps.gradientAccumulation(acc);
    }
    return gradientStep;
  }

  private ProductOps.Accumulation vjpStep() {
    if (vjpStep == null) {
      vjpStep = productOps.weightedVjpAccumulation(vjpWeights, acc);
    }
    return vjpStep;
  }

  private List<Op> subtractMeanGradient() {
    if (subtractMeanGradient == null) {
      subtractMeanGradient = productOps.subtractMeanGradient(meanGradient, acc);
    }
    return subtractMeanGradient;
  }

  @Override
  public void close() {
    try {
      cache.close();
      if (session != null) {
        session.close();
      }
    } finally {
      graph.close();
    }
  }
}
