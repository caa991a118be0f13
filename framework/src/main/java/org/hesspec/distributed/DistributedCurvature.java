package org.hesspec.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.ModelGraph;
import org.hesspec.curvature.ProductOps;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.Precision;
import org.hesspec.model.TensorValues;
import org.hesspec.model.grad.SecondOrderGradients;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.RemoteSessions;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Curvature products of one model over one data set, split into shards that run on TensorFlow
 * workers ({@link Worker}, {@code hesspec worker --port N}, by TensorFlow's own distributed
 * runtime) or on several devices of this process ({@link #onDevices}: the mini-batch sum split
 * across GPUs). Below, "worker" stands for either.
 *
 * <p>The data set's mini-batches are dealt round-robin to the workers and copied once into
 * variables on each worker (its shard, padded to equal shapes with zero-weight examples, which add
 * exactly zero). For each worker the whole per-shard product (forward pass, both gradients and the
 * accumulation into that worker's variables) is built in a template graph, every node of which is
 * then placed on {@code /job:worker/replica:0/task:w} before it is imported into the master graph,
 * so that gradient ops are placed too (gradients added after placing only the forward ops would get
 * no device and run on the master). The shard results are summed in the graph ({@code AddN}).
 *
 * <p>One product: {@code v} is sent once to every worker, each worker runs one step per mini-batch
 * of its shard (the master sends only the batch index), and the sum comes back once: one round of
 * p-vectors, no transfer of data.
 *
 * <p>Task 0 is the master the session talks to; the cluster ({@code job worker}, the given
 * addresses as tasks 0..n-1) travels with the session, so workers need not know each other.
 * Before the session is created every worker's port is tried with a TCP connect
 * ({@link DistributedSettings#connectTimeout()}), and session creation and setup are bounded by
 * {@link DistributedSettings#sessionTimeout()}: a worker that is down gives an error naming it,
 * never a hang. Each later step is bounded by {@link DistributedSettings#stepTimeout()}.
 */
public final class DistributedCurvature implements AutoCloseable {

  private static final String SHARD = "hesspec_shard";
  private static final String DIST = "hesspec_dist";

  private final ModelDefinition model;
  private final Loss loss;
  private final ParameterLayout selection;
  private final int selectedTensors;
  private final List<WorkerAddress> workers;
  private final List<LocalDevice> devices;
  private final int shards;
  private final DistributedSettings settings;
  private final Precision precision;
  private final Set<CurvatureOperator> operators;
  private final int numClasses;
  private final int batchesPerWorker;
  private final int[] realBatches;
  private final int size;

  private final Graph graph;
  private Session session;
  private final List<Placeholder<TFloating>> thetaIn = new ArrayList<>();
  private final List<Op> thetaAssign = new ArrayList<>();
  private final List<Placeholder<TFloating>> vIn = new ArrayList<>();
  private final List<Op> vAssign = new ArrayList<>();
  private final List<Operand<TFloating>> sum = new ArrayList<>();
  private final List<Placeholder<TInt32>> batchIndex = new ArrayList<>();
  private final List<GraphOperation> accZero = new ArrayList<>();
  private final Map<CurvatureOperator, List<GraphOperation>> steps = new EnumMap<>(CurvatureOperator.class);
  private final List<GraphOperation> gradientSteps = new ArrayList<>();
  /** The mean gradient over the data set, computed on first need (theta and the data are fixed). */
  private double[] meanGradient;

  /**
   * Builds the graph, opens the session on worker 0 and copies theta and each worker's shard of
   * {@code data} to the workers.
   *
   * @param operators the operators to build (the gradient is always built)
   * @throws WorkerUnavailableException if a worker does not answer in time
   */
  public DistributedCurvature(ModelDefinition model, Loss loss, ParameterLayout selection, BatchedData data, Set<CurvatureOperator> operators,
      List<WorkerAddress> workers, DistributedSettings settings) {
    this(model, loss, selection, data, operators, workers, List.of(), settings, 0);
  }

  /**
   * The products with the mini-batches dealt round-robin to {@code devices} of this process (one
   * shard each, its data resident there, the shard results summed in the graph): several GPUs
   * share one product. CPU devices with index > 0 are logical devices of this session.
   *
   * @param intraOpThreads threads inside one op (0: TensorFlow's default)
   */
  public static DistributedCurvature onDevices(ModelDefinition model, Loss loss, ParameterLayout selection, BatchedData data,
      Set<CurvatureOperator> operators, List<LocalDevice> devices, int intraOpThreads) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("a device split needs at least one device");
    }
    if (new java.util.HashSet<>(devices).size() != devices.size()) {
      throw new IllegalArgumentException("devices " + devices + " name a device twice");
    }
    return new DistributedCurvature(model, loss, selection, data, operators, List.of(), devices, DistributedSettings.defaults(),
        intraOpThreads);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private DistributedCurvature(ModelDefinition model, Loss loss, ParameterLayout selection, BatchedData data, Set<CurvatureOperator> operators,
      List<WorkerAddress> workers, List<LocalDevice> devices, DistributedSettings settings, int intraOpThreads) {
    if (workers.isEmpty() && devices.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one worker");
    }
    this.model = model;
    this.loss = loss;
    this.selection = selection;
    this.workers = List.copyOf(workers);
    this.devices = List.copyOf(devices);
    this.shards = workers.isEmpty() ? devices.size() : workers.size();
    this.settings = settings;
    this.precision = model.precision();
    this.operators = operators.isEmpty() ? EnumSet.noneOf(CurvatureOperator.class) : EnumSet.copyOf(operators);
    this.size = data.size();
    ParameterLayout all = model.layout();
    this.selectedTensors = selection.tensors().size();
    List<BatchedData.Batch> batches = data.batches();
    int w = shards;
    this.batchesPerWorker = (batches.size() + w - 1) / w;
    this.realBatches = new int[w];
    for (int j = 0; j < batches.size(); j++) {
      realBatches[j % w]++;
    }
    int batchSize = batches.get(0).size();
    SecondOrderGradients.ensureRegistered();

    // Check the workers before anything else: a session on a cluster with a dead worker hangs.
    if (!this.workers.isEmpty()) {
      Connectivity.checkReachable(this.workers, settings.connectTimeout());
    }

    this.graph = new Graph();
    try {
      Template t = buildTemplate(batchSize, Math.toIntExact(batches.get(0).targets().shape().get(1)));
      this.numClasses = t.numClasses;
      // the checks of the local session, with the same messages, before any data reaches a worker
      ModelGraph.checkData(model, loss, numClasses, ModelGraph.inputShape(model), data);
      Ops tf = Ops.create(graph).withSubScope(DIST);
      Class<TFloating> type = (Class<TFloating>) precision.tensorType();
      thetaIn.addAll(ModelGraph.thetaPlaceholders(tf, model));
      for (ParameterTensor tensor : selection.tensors()) {
        vIn.add(tf.placeholder(type, Placeholder.shape(Shape.of(tensor.shape()))));
      }
      List<List<Output<TFloating>>> accs = new ArrayList<>();
      for (int s = 0; s < selectedTensors; s++) {
        accs.add(new ArrayList<>());
      }
      for (int wk = 0; wk < w; wk++) {
        String prefix = "w" + wk;
        graph.importGraphDef(placed(t.graphDef, wk), prefix);
        Ops on = tf.withDevice(spec(wk));
        for (int k = 0; k < all.tensors().size(); k++) {
          thetaAssign.add(on.assign(out(prefix + "/" + ModelGraph.thetaVariable(k)), thetaIn.get(k)));
        }
        for (int s = 0; s < selectedTensors; s++) {
          vAssign.add(on.assign(out(prefix + "/" + DIST + "/v_" + s), vIn.get(s)));
          accs.get(s).add(out(prefix + "/" + DIST + "/acc_" + s));
        }
        accZero.add(graph.operationOrThrow(prefix + "/" + DIST + "/acc_zero"));
        batchIndex.add((Placeholder<TInt32>) (Placeholder) new Placeholder<>(graph.operationOrThrow(prefix + "/" + SHARD + "/k")));
        for (CurvatureOperator o : this.operators) {
          steps.computeIfAbsent(o, x -> new ArrayList<>()).add(graph.operationOrThrow(prefix + "/" + DIST + "/step_" + o.name()));
        }
        gradientSteps.add(graph.operationOrThrow(prefix + "/" + DIST + "/step_gradient"));
      }
      for (int s = 0; s < selectedTensors; s++) {
        sum.add((Operand<TFloating>) (Operand) tf.math.addN((Iterable) accs.get(s)));
      }
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    if (this.workers.isEmpty()) {
      try {
        this.session = new Session(graph, false, localConfig(this.devices, intraOpThreads));
        initialise(session, data, batchSize);
      } catch (RuntimeException e) {
        if (session != null) {
          session.close();
        }
        graph.close();
        throw e;
      }
      return;
    }
    try {
      ConfigProto config = ConfigProto.newBuilder()
          .setClusterDef(Worker.clusterDef(this.workers))
          .setIsolateSessionState(true)
          .setAllowSoftPlacement(true)
          .setOperationTimeoutInMs(settings.stepTimeout().toMillis())
          .build();
      // Session creation and the first steps talk to every worker: bounded, never a hang. On a
      // timeout the call is abandoned: it closes what it made if it ever returns (the graph cannot be
      // closed while the call holds it).
      java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
      this.session = Connectivity.withTimeout("creating the TensorFlow session on " + this.workers.get(0)
          + " and copying data to the workers " + this.workers, settings.sessionTimeout(), () -> {
            Session s = RemoteSessions.open(graph, this.workers.get(0).grpcTarget(), config);
            try {
              initialise(s, data, batchSize);
            } catch (RuntimeException e) {
              s.close();
              throw e;
            }
            synchronized (abandoned) {
              if (abandoned.get()) {
                s.close();
                graph.close();
              }
            }
            return s;
          }, () -> {
            synchronized (abandoned) {
              abandoned.set(true);
            }
          });
    } catch (WorkerUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** A local session with as many logical CPU devices as the highest CPU index asks for. */
  private static ConfigProto localConfig(List<LocalDevice> devices, int intraOpThreads) {
    int cpus = 1;
    for (LocalDevice d : devices) {
      if (d.type().equals("CPU")) {
        cpus = Math.max(cpus, d.index() + 1);
      }
    }
    return ConfigProto.newBuilder().putDeviceCount("CPU", cpus).setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(devices.size()).setAllowSoftPlacement(true).build();
  }

  /** Where shard {@code wk}'s ops go, as a device spec. */
  private DeviceSpec spec(int wk) {
    return workers.isEmpty() ? devices.get(wk).spec() : DeviceSpec.newBuilder().job(Worker.JOB).replica(0).task(wk).build();
  }

  private Output<TFloating> out(String name) {
    @SuppressWarnings("unchecked")
    Output<TFloating> o = (Output<TFloating>) (Output<?>) graph.operationOrThrow(name).output(0);
    return o;
  }

  /** The template's GraphDef and C. */
  private record Template(GraphDef graphDef, int numClasses) {}

  /**
   * The per-shard graph of one worker, with no devices yet: theta, v and accumulator variables,
   * the shard's data in variables {@code [batches, batch, ...]}, a batch index placeholder, the
   * model reading batch k, and per product a step {@code acc += product(batch k)}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Template buildTemplate(int batchSize, int targetWidth) {
    ParameterLayout all = model.layout();
    Class<TFloating> type = (Class<TFloating>) precision.tensorType();
    // The shard: data variables and the gathered batch.
    GraphDef shardDef;
    try (Graph s = new Graph()) {
      Ops tf = Ops.create(s).withSubScope(SHARD);
      long[] ex = model.exampleShape();
      long[] xs = new long[ex.length + 2];
      xs[0] = batchesPerWorker;
      xs[1] = batchSize;
      System.arraycopy(ex, 0, xs, 2, ex.length);
      Variable<TFloating> x = tf.withName("x_all").variable(Shape.of(xs), type);
      Variable<TInt32> y = tf.withName("labels_all").variable(Shape.of(batchesPerWorker, batchSize), TInt32.class);
      Variable<TFloating> wts = tf.withName("weights_all").variable(Shape.of(batchesPerWorker, batchSize), type);
      Variable<TFloating> tg = tf.withName("targets_all").variable(Shape.of(batchesPerWorker, batchSize, targetWidth), type);
      Variable<TFloating> xi = tf.withName("noise_all").variable(Shape.of(batchesPerWorker, batchSize, targetWidth), type);
      Placeholder<TInt32> k = tf.withName("k").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      tf.withName("x").gather(x, k, tf.constant(0));
      tf.withName("labels").gather(y, k, tf.constant(0));
      tf.withName("weights").gather(wts, k, tf.constant(0));
      tf.withName("targets").gather(tg, k, tf.constant(0));
      tf.withName("noise").gather(xi, k, tf.constant(0));
      shardDef = s.toGraphDef();
    }
    GraphDef.Builder merged = GraphDef.newBuilder(ModelGraph.bind(model, SHARD + "/x"));
    merged.addAllNode(shardDef.getNodeList());
    try (Graph g = new Graph()) {
      g.importGraphDef(merged.build());
      Ops tf = Ops.create(g).withSubScope(DIST);
      ModelGraph modelGraph = new ModelGraph(g, tf, model, loss, selection);
      List<Variable<TFloating>> vVars = new ArrayList<>();
      List<Variable<TFloating>> acc = new ArrayList<>();
      List<Op> zero = new ArrayList<>();
      for (int s = 0; s < selectedTensors; s++) {
        ParameterTensor t = selection.tensors().get(s);
        vVars.add(tf.withName("v_" + s).variable(Shape.of(t.shape()), type));
        Variable<TFloating> a = tf.withName("acc_" + s).variable(Shape.of(t.shape()), type);
        acc.add(a);
        zero.add(tf.assign(a, tf.dtypes.cast(tf.fill(tf.constant(t.shape()), tf.constant(0.0)), type)));
      }
      tf.withName("acc_zero").withControlDependencies(zero).noOp();
      ModelGraph.BatchInputs in = new ModelGraph.BatchInputs(
          (Operand<TInt32>) (Operand) g.operationOrThrow(SHARD + "/labels").output(0),
          (Operand<TFloating>) (Operand) g.operationOrThrow(SHARD + "/targets").output(0),
          (Operand<TFloating>) (Operand) g.operationOrThrow(SHARD + "/weights").output(0),
          (Operand<TFloating>) (Operand) g.operationOrThrow(SHARD + "/noise").output(0));
      // The loss and every product's ops: ProductOps, shared with CurvatureGraph.
      ProductOps ops = new ProductOps(modelGraph, in, vVars);
      for (CurvatureOperator o : operators) {
        tf.withName("step_" + o.name()).withControlDependencies(ops.accumulation(o, acc).add()).noOp();
      }
      tf.withName("step_gradient").withControlDependencies(ops.gradientAccumulation(acc).add()).noOp();
      int c = modelGraph.numClasses();
      return new Template(g.toGraphDef(), c);
    }
  }

  /**
   * Every node of {@code g} placed on shard {@code wk}: on a worker (job/replica/task) a node's own
   * device type is kept; on a local device, a node the model pins to a device stays there.
   */
  private GraphDef placed(GraphDef g, int wk) {
    GraphDef.Builder b = GraphDef.newBuilder(g).clearNode();
    for (NodeDef n : g.getNodeList()) {
      String own = n.getDevice();
      String d;
      if (workers.isEmpty()) {
        d = own.isEmpty() ? devices.get(wk).name() : own;
      } else {
        String device = Worker.device(wk).replace("/device:CPU:0", "");
        d = own.isEmpty() || own.startsWith("/job:") ? device : device + (own.startsWith("/") ? own : "/" + own);
      }
      b.addNode(NodeDef.newBuilder(n).setDevice(d));
    }
    return b.build();
  }

  /** Zeros v and the accumulators, copies theta, and copies each worker's shard into its variables. */
  @SuppressWarnings("unchecked")
  private void initialise(Session s, BatchedData data, int batchSize) {
    Session.Runner r = s.runner();
    List<Tensor> owned = new ArrayList<>();
    try {
      // v = 0 (so that the accumulators can be built), acc = 0
      double[] zeros = new double[dimension()];
      feedVector(r, zeros, owned);
      vAssign.forEach(r::addTarget);
      accZero.forEach(r::addTarget);
      ParameterLayout all = model.layout();
      double[] theta = model.theta();
      for (int k = 0; k < all.tensors().size(); k++) {
        ParameterTensor t = all.tensors().get(k);
        Tensor value = TensorValues.of(theta, (int) t.offset(), Shape.of(t.shape()), precision);
        owned.add(value);
        r.feed(thetaIn.get(k), value);
      }
      thetaAssign.forEach(r::addTarget);
      r.run().close();
      // The shards: batch j goes to worker j mod W, as slot j div W; padding has weight 0.
      Ops tf = Ops.create(graph).withSubScope(DIST + "_load");
      List<BatchedData.Batch> batches = data.batches();
      int w = shards;
      long exampleSize = 1;
      for (long e : model.exampleShape()) {
        exampleSize *= e;
      }
      int fs = Math.toIntExact(exampleSize);
      for (int wk = 0; wk < w; wk++) {
        double[] x = new double[batchesPerWorker * batchSize * fs];
        int[] y = new int[batchesPerWorker * batchSize];
        double[] wt = new double[batchesPerWorker * batchSize];
        int tw0 = Math.toIntExact(batches.get(0).targets().shape().get(1));
        double[] tg = new double[batchesPerWorker * batchSize * tw0];
        double[] xi = new double[batchesPerWorker * batchSize * tw0];
        for (int j = wk, slot = 0; j < batches.size(); j += w, slot++) {
          BatchedData.Batch b = batches.get(j);
          TensorValues.copyTo(b.x(), x, slot * batchSize * fs);
          TensorValues.copyTo(b.weights(), wt, slot * batchSize);
          TensorValues.copyTo(b.targets(), tg, slot * batchSize * tw0);
          TensorValues.copyTo(b.noise(), xi, slot * batchSize * tw0);
          for (int i = 0; i < b.size(); i++) {
            y[slot * batchSize + i] = b.labels().getInt(i);
          }
        }
        long[] xs = new long[model.exampleShape().length + 2];
        xs[0] = batchesPerWorker;
        xs[1] = batchSize;
        System.arraycopy(model.exampleShape(), 0, xs, 2, model.exampleShape().length);
        Ops on = tf.withDevice(spec(wk));
        String prefix = "w" + wk + "/" + SHARD;
        Class<TFloating> type = (Class<TFloating>) precision.tensorType();
        Placeholder<TFloating> xIn = tf.placeholder(type, Placeholder.shape(Shape.of(xs)));
        Placeholder<TInt32> yIn = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(batchesPerWorker, batchSize)));
        Placeholder<TFloating> wIn = tf.placeholder(type, Placeholder.shape(Shape.of(batchesPerWorker, batchSize)));
        Op ax = on.assign(out(prefix + "/x_all"), xIn);
        Op ay = on.assign((Output<TInt32>) (Output<?>) graph.operationOrThrow(prefix + "/labels_all").output(0), yIn);
        Op aw = on.assign(out(prefix + "/weights_all"), wIn);
        Placeholder<TFloating> tIn = tf.placeholder(type, Placeholder.shape(Shape.of(batchesPerWorker, batchSize, tw0)));
        Op at = on.assign(out(prefix + "/targets_all"), tIn);
        Placeholder<TFloating> nIn = tf.placeholder(type, Placeholder.shape(Shape.of(batchesPerWorker, batchSize, tw0)));
        Op an = on.assign(out(prefix + "/noise_all"), nIn);
        Tensor tx = TensorValues.of(x, 0, Shape.of(xs), precision);
        owned.add(tx);
        Tensor ty = TensorValues.ofInts(y, 0, Shape.of(batchesPerWorker, batchSize));
        owned.add(ty);
        Tensor tw = TensorValues.of(wt, 0, Shape.of(batchesPerWorker, batchSize), precision);
        owned.add(tw);
        Tensor tt = TensorValues.of(tg, 0, Shape.of(batchesPerWorker, batchSize, tw0), precision);
        owned.add(tt);
        Tensor tn = TensorValues.of(xi, 0, Shape.of(batchesPerWorker, batchSize, tw0), precision);
        owned.add(tn);
        s.runner().feed(xIn, tx).feed(yIn, ty).feed(wIn, tw).feed(tIn, tt).feed(nIn, tn)
            .addTarget(ax).addTarget(ay).addTarget(aw).addTarget(at).addTarget(an).run().close();
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  private void feedVector(Session.Runner r, double[] v, List<Tensor> owned) {
    ModelGraph.feedSelected(selection, precision, v, vIn, r, owned);
  }

  /** The dimension of the selected parameters (the operators' p). */
  public int dimension() {
    return Math.toIntExact(selection.dimension());
  }

  /** C, the width of the logits. */
  public int numClasses() {
    return numClasses;
  }

  /** n, the number of examples of the data set. */
  public int size() {
    return size;
  }

  /** The workers (empty for a split over local devices). */
  public List<WorkerAddress> workers() {
    return workers;
  }

  /** The local devices (empty for a cluster of workers). */
  public List<LocalDevice> devices() {
    return devices;
  }

  /**
   * {@code operator} applied to {@code v} over the data set: v is sent to every worker, each
   * accumulates its shard, and the sum is read back; an operator that {@link
   * CurvatureOperator#subtractsMeanGradient subtracts the mean gradient} does so here.
   */
  public synchronized double[] apply(CurvatureOperator operator, double[] v) {
    return apply(operator, v, null);
  }

  /**
   * Like {@link #apply}, and records which device ran each node of the steps: device name to the
   * node names executed there (TensorFlow's step statistics, full trace).
   */
  public synchronized double[] applyTraced(CurvatureOperator operator, double[] v, Map<String, List<String>> devices) {
    return apply(operator, v, devices);
  }

  /** The gradient of the mean loss over the data set (selected parameters). */
  public synchronized double[] gradient() {
    return run("the gradient", gradientSteps, null, null).clone();
  }

  private double[] apply(CurvatureOperator operator, double[] v, Map<String, List<String>> trace) {
    List<GraphOperation> step = steps.get(operator);
    if (step == null) {
      throw new IllegalArgumentException(operator + " was not built; built: " + operators);
    }
    if (v.length != dimension()) {
      throw new IllegalArgumentException("vector of length " + v.length + ", expected " + dimension());
    }
    double[] out = run("the distributed " + operator + " product", step, v, trace);
    if (operator.subtractsMeanGradient()) {
      if (meanGradient == null) {
        meanGradient = run("the gradient", gradientSteps, null, null);
      }
      // Cov v = F v - gbar <gbar, v>
      double dot = 0;
      for (int i = 0; i < v.length; i++) {
        dot += meanGradient[i] * v[i];
      }
      for (int i = 0; i < out.length; i++) {
        out[i] -= meanGradient[i] * dot;
      }
    }
    return out;
  }

  private double[] run(String what, List<GraphOperation> step, double[] v, Map<String, List<String>> trace) {
    try {
      return runSteps(what, step, v, trace);
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw clusterError(what, e);
    }
  }

  /**
   * A TensorFlow error of a step, with the tasks it names translated to worker addresses; a worker
   * that cannot be reached gives a {@link WorkerUnavailableException}.
   */
  private RuntimeException clusterError(String what, RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    String first = m.lines().findFirst().orElse(m);
    String second = m.lines().skip(1).findFirst().orElse("");
    java.util.regex.Matcher t = java.util.regex.Pattern.compile("/job:" + Worker.JOB + "/replica:0/task:(\\d+)").matcher(first);
    String who = workers.isEmpty() ? "devices " + devices : t.find() && Integer.parseInt(t.group(1)) < workers.size()
        ? "worker " + workers.get(Integer.parseInt(t.group(1))) + " (task " + t.group(1) + ")" : "the cluster " + workers;
    if (m.contains("failed to connect") || m.contains("UNAVAILABLE") || m.contains("Connection refused") || m.contains("Socket closed")) {
      WorkerUnavailableException u = new WorkerUnavailableException(what + " failed: " + who + " is not reachable ("
          + (second.isBlank() ? first : second.trim()) + ")");
      u.initCause(e);
      return u;
    }
    return new IllegalStateException(what + " failed on " + who + ": " + m, e);
  }

  private double[] runSteps(String what, List<GraphOperation> step, double[] v, Map<String, List<String>> trace) {
    if (session == null) {
      throw new IllegalStateException("closed");
    }
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      if (v != null) {
        feedVector(r, v, owned);
        vAssign.forEach(r::addTarget);
      }
      accZero.forEach(r::addTarget);
      r.run().close();
      for (int k = 0; k < batchesPerWorker; k++) {
        Session.Runner sr = session.runner();
        try (TInt32 kt = TInt32.scalarOf(k)) {
          for (int wk = 0; wk < shards; wk++) {
            if (k < realBatches[wk]) {
              sr.feed(batchIndex.get(wk), kt).addTarget(step.get(wk));
            }
          }
          if (trace == null) {
            sr.run().close();
          } else {
            sr.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
            try (Result res = sr.runAndFetchMetadata()) {
              RunMetadata md = res.getMetadata().orElseThrow();
              for (DeviceStepStats d : md.getStepStats().getDevStatsList()) {
                List<String> names = trace.computeIfAbsent(d.getDevice(), x -> new ArrayList<>());
                d.getNodeStatsList().forEach(n -> names.add(n.getNodeName()));
              }
            }
          }
        }
      }
      double[] out = TensorValues.fetchVector(session, sum, selection);
      ModelGraph.checkFinite(model, selection, out, what + " over " + size + " examples (" + shards + " shards of " + batchesPerWorker
          + " batches)", this::nonFiniteCause);
      return out;
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /**
   * Why a product can have come out non-finite: the first non-finite parameter, else, the data
   * having been checked to be finite before a run starts, the model's arithmetic.
   */
  private String nonFiniteCause() {
    return ModelGraph.nonFiniteParameter(model, model.theta()).orElse("the model's parameters are finite, so the data (checked to be"
        + " finite before the run) or the model's arithmetic (overflow at these parameters; precision: float64 may avoid it) produced it");
  }

  /** One operator as a {@link LinearOperator}. */
  public LinearOperator operator(CurvatureOperator operator) {
    if (!steps.containsKey(operator)) {
      throw new IllegalArgumentException(operator + " is not a built curvature operator; built: " + operators);
    }
    return new LinearOperator() {
      @Override
      public int dimension() {
        return DistributedCurvature.this.dimension();
      }

      @Override
      public void apply(double[] v, double[] out) {
        System.arraycopy(DistributedCurvature.this.apply(operator, v), 0, out, 0, out.length);
      }
    };
  }

  /** Closes the session (the workers drop its variables) and the graph. */
  @Override
  public synchronized void close() {
    try {
      if (session != null) {
        Session s = session;
        session = null;
        s.close();
      }
    } finally {
      graph.close();
    }
  }
}
