package org.hesspec.distributed;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph.Product;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.curvature.Loss;
import org.hesspec.curvature.ProductOps;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.ParameterTensor;
import org.hesspec.model.graph.MaxPoolArgmax;
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
  private final int[] selectedIndex;
  private final List<WorkerAddress> workers;
  private final List<LocalDevice> devices;
  private final int shards;
  private final DistributedSettings settings;
  private final Precision precision;
  private final Set<Product> products;
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
  private final Map<Product, List<GraphOperation>> steps = new EnumMap<>(Product.class);

  /**
   * Builds the graph, opens the session on worker 0 and copies theta and each worker's shard of
   * {@code data} to the workers.
   *
   * @param products the products to build (any of GRADIENT, HESSIAN, GAUSS_NEWTON, RESIDUAL_HESSIAN)
   * @throws WorkerUnavailableException if a worker does not answer in time
   */
  public DistributedCurvature(ModelDefinition model, Loss loss, ParameterLayout selection, BatchedData data, Set<Product> products,
      List<WorkerAddress> workers, DistributedSettings settings) {
    this(model, loss, selection, data, products, workers, List.of(), settings, 0);
  }

  /**
   * The products with the mini-batches dealt round-robin to {@code devices} of this process (one
   * shard each, its data resident there, the shard results summed in the graph): several GPUs
   * share one product. CPU devices with index > 0 are logical devices of this session.
   *
   * @param intraOpThreads threads inside one op (0: TensorFlow's default)
   */
  public static DistributedCurvature onDevices(ModelDefinition model, Loss loss, ParameterLayout selection, BatchedData data,
      Set<Product> products, List<LocalDevice> devices, int intraOpThreads) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("a device split needs at least one device");
    }
    if (new java.util.HashSet<>(devices).size() != devices.size()) {
      throw new IllegalArgumentException("devices " + devices + " name a device twice");
    }
    return new DistributedCurvature(model, loss, selection, data, products, List.of(), devices, DistributedSettings.defaults(),
        intraOpThreads);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private DistributedCurvature(ModelDefinition model, Loss loss, ParameterLayout selection, BatchedData data, Set<Product> products,
      List<WorkerAddress> workers, List<LocalDevice> devices, DistributedSettings settings, int intraOpThreads) {
    if (workers.isEmpty() && devices.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one worker");
    }
    if (products.contains(Product.WEIGHTED_VJP)) {
      throw new IllegalArgumentException("WEIGHTED_VJP is not distributed");
    }
    if (loss == Loss.CROSS_ENTROPY && data.labels() == null) {
      throw new IllegalArgumentException(model.source() + ": cross-entropy needs class labels, the data has none");
    }
    this.model = model;
    this.loss = loss;
    this.selection = selection;
    this.workers = List.copyOf(workers);
    this.devices = List.copyOf(devices);
    this.shards = workers.isEmpty() ? devices.size() : workers.size();
    this.settings = settings;
    this.precision = model.precision();
    this.products = products.isEmpty() ? EnumSet.noneOf(Product.class) : EnumSet.copyOf(products);
    this.size = data.size();
    ParameterLayout all = model.layout();
    this.selectedIndex = new int[selection.tensors().size()];
    for (int s = 0; s < selectedIndex.length; s++) {
      selectedIndex[s] = all.tensors().indexOf(all.tensor(selection.tensors().get(s).name()));
    }
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
      Ops tf = Ops.create(graph).withSubScope(DIST);
      Class<TFloating> type = (Class<TFloating>) precision.tensorType();
      for (int k = 0; k < all.tensors().size(); k++) {
        thetaIn.add(tf.placeholder(type, Placeholder.shape(Shape.of(all.tensors().get(k).shape()))));
      }
      for (int s = 0; s < selectedIndex.length; s++) {
        vIn.add(tf.placeholder(type, Placeholder.shape(Shape.of(selection.tensors().get(s).shape()))));
      }
      List<List<Output<TFloating>>> accs = new ArrayList<>();
      for (int s = 0; s < selectedIndex.length; s++) {
        accs.add(new ArrayList<>());
      }
      for (int wk = 0; wk < w; wk++) {
        String prefix = "w" + wk;
        graph.importGraphDef(placed(t.graphDef, wk), prefix);
        Ops on = tf.withDevice(spec(wk));
        for (int k = 0; k < all.tensors().size(); k++) {
          thetaAssign.add(on.assign(out(prefix + "/" + thetaVariable(k)), thetaIn.get(k)));
        }
        for (int s = 0; s < selectedIndex.length; s++) {
          vAssign.add(on.assign(out(prefix + "/" + DIST + "/v_" + s), vIn.get(s)));
          accs.get(s).add(out(prefix + "/" + DIST + "/acc_" + s));
        }
        accZero.add(graph.operationOrThrow(prefix + "/" + DIST + "/acc_zero"));
        batchIndex.add((Placeholder<TInt32>) (Placeholder) new Placeholder<>(graph.operationOrThrow(prefix + "/" + SHARD + "/k")));
        for (Product p : this.products) {
          steps.computeIfAbsent(p, x -> new ArrayList<>()).add(graph.operationOrThrow(prefix + "/" + DIST + "/step_" + p.name()));
        }
      }
      for (int s = 0; s < selectedIndex.length; s++) {
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
    String inputNode = model.inputTensor().contains(":") ? model.inputTensor().substring(0, model.inputTensor().lastIndexOf(':'))
        : model.inputTensor();
    if (model.inputTensor().contains(":") && !model.inputTensor().endsWith(":0")) {
      throw new IllegalArgumentException(model.source() + ": input '" + model.inputTensor() + "' is not output 0 of a placeholder");
    }
    long modelWidth = model.outputWidth();
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
      Placeholder<TInt32> k = tf.withName("k").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      tf.withName("x").gather(x, k, tf.constant(0));
      tf.withName("labels").gather(y, k, tf.constant(0));
      tf.withName("weights").gather(wts, k, tf.constant(0));
      tf.withName("targets").gather(tg, k, tf.constant(0));
      shardDef = s.toGraphDef();
    }
    GraphDef.Builder merged = GraphDef.newBuilder(MaxPoolArgmax.rewrite(bindParameters(model.graph(), all, inputNode, type)));
    merged.addAllNode(shardDef.getNodeList());
    try (Graph g = new Graph()) {
      g.importGraphDef(merged.build());
      Ops tf = Ops.create(g).withSubScope(DIST);
      List<Output<TFloating>> params = new ArrayList<>();
      List<Variable<TFloating>> vVars = new ArrayList<>();
      List<Variable<TFloating>> acc = new ArrayList<>();
      List<Op> zero = new ArrayList<>();
      for (int s = 0; s < selectedIndex.length; s++) {
        ParameterTensor t = all.tensors().get(selectedIndex[s]);
        params.add((Output<TFloating>) (Output<?>) g.operationOrThrow(ModelDefinition.parameterNode(selectedIndex[s])).output(0));
        vVars.add(tf.withName("v_" + s).variable(Shape.of(t.shape()), type));
        Variable<TFloating> a = tf.withName("acc_" + s).variable(Shape.of(t.shape()), type);
        acc.add(a);
        zero.add(tf.assign(a, tf.dtypes.cast(tf.fill(tf.constant(t.shape()), tf.constant(0.0)), type)));
      }
      tf.withName("acc_zero").withControlDependencies(zero).noOp();
      Operand<TInt32> labels = (Operand<TInt32>) (Operand) g.operationOrThrow(SHARD + "/labels").output(0);
      Operand<TFloating> weights = (Operand<TFloating>) (Operand) g.operationOrThrow(SHARD + "/weights").output(0);
      Operand<TFloating> out = (Operand<TFloating>) g.outputOrThrow(model.outputTensor());
      if (out.shape().numDimensions() == 1) {
        out = tf.expandDims(out, tf.constant(1));
      }
      Operand<TFloating> logits = switch (model.outputKind()) {
        case LOGITS, LOG_PROBABILITIES -> out;
        case PROBABILITIES -> tf.math.log(out);
      };
      int c = Math.toIntExact(out.shape().get(1) > 0 ? out.shape().get(1) : modelWidth);
      if (c <= 0) {
        throw new IllegalArgumentException(model.source() + ": output '" + model.outputTensor() + "' has an unknown width; expected [batch, C]");
      }
      Operand<TFloating> targets = (Operand<TFloating>) (Operand) g.operationOrThrow(SHARD + "/targets").output(0);
      // The loss and every product's ops: ProductOps, shared with CurvatureGraph.
      ProductOps ops = new ProductOps(g, tf, loss, logits, labels, targets, weights, null, params, vVars, type);
      for (Product p : products) {
        tf.withName("step_" + p.name()).withControlDependencies(ops.accumulate(p, acc)).noOp();
      }
      return new Template(g.toGraphDef(), c);
    }
  }

  static String thetaVariable(int k) {
    return "hesspec/theta/" + k;
  }

  /**
   * The model graph with parameter placeholder k turned into {@code Identity(hesspec/theta/k)} of a
   * {@code VariableV2}, and the input placeholder into {@code Identity(hesspec_shard/x)}.
   */
  private static GraphDef bindParameters(GraphDef g, ParameterLayout layout, String inputNode, Class<TFloating> type) {
    GraphDef.Builder b = GraphDef.newBuilder(g).clearNode();
    boolean inputFound = false;
    for (NodeDef n : g.getNodeList()) {
      if (n.getName().startsWith(ModelDefinition.PARAMETER_PREFIX) && n.getOp().equals("Placeholder")) {
        int k = Integer.parseInt(n.getName().substring(ModelDefinition.PARAMETER_PREFIX.length()));
        AttrValue dtype = n.getAttrOrThrow("dtype");
        b.addNode(NodeDef.newBuilder().setName(thetaVariable(k)).setOp("VariableV2")
            .putAttr("dtype", dtype).putAttr("shape", n.getAttrOrThrow("shape"))
            .putAttr("container", AttrValue.newBuilder().setS(ByteString.EMPTY).build())
            .putAttr("shared_name", AttrValue.newBuilder().setS(ByteString.EMPTY).build()));
        b.addNode(NodeDef.newBuilder().setName(n.getName()).setOp("Identity").addInput(thetaVariable(k)).putAttr("T", dtype));
      } else if (n.getName().equals(inputNode)) {
        if (!n.getOp().equals("Placeholder")) {
          throw new IllegalArgumentException("model input '" + inputNode + "' is a " + n.getOp() + ", expected a Placeholder");
        }
        inputFound = true;
        b.addNode(NodeDef.newBuilder().setName(n.getName()).setOp("Identity").addInput(SHARD + "/x").putAttr("T", n.getAttrOrThrow("dtype")));
      } else {
        b.addNode(n);
      }
    }
    if (!inputFound) {
      throw new IllegalArgumentException("model input node '" + inputNode + "' not found");
    }
    return b.build();
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
        for (int j = wk, slot = 0; j < batches.size(); j += w, slot++) {
          BatchedData.Batch b = batches.get(j);
          TensorValues.copyTo(b.x(), x, slot * batchSize * fs);
          TensorValues.copyTo(b.weights(), wt, slot * batchSize);
          TensorValues.copyTo(b.targets(), tg, slot * batchSize * tw0);
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
        Tensor tx = TensorValues.of(x, 0, Shape.of(xs), precision);
        owned.add(tx);
        Tensor ty = TensorValues.ofInts(y, 0, Shape.of(batchesPerWorker, batchSize));
        owned.add(ty);
        Tensor tw = TensorValues.of(wt, 0, Shape.of(batchesPerWorker, batchSize), precision);
        owned.add(tw);
        Tensor tt = TensorValues.of(tg, 0, Shape.of(batchesPerWorker, batchSize, tw0), precision);
        owned.add(tt);
        s.runner().feed(xIn, tx).feed(yIn, ty).feed(wIn, tw).feed(tIn, tt).addTarget(ax).addTarget(ay).addTarget(aw).addTarget(at).run().close();
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  private void feedVector(Session.Runner r, double[] v, List<Tensor> owned) {
    for (int s = 0; s < selectedIndex.length; s++) {
      ParameterTensor t = selection.tensors().get(s);
      Tensor value = TensorValues.of(v, (int) t.offset(), Shape.of(t.shape()), precision);
      owned.add(value);
      r.feed(vIn.get(s), value);
    }
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
   * {@code product} applied to {@code v} (ignored for GRADIENT) over the data set: v is sent to every
   * worker, each accumulates its shard, and the sum is read back.
   */
  public synchronized double[] apply(Product product, double[] v) {
    return run(product, v, null);
  }

  /**
   * Like {@link #apply}, and records which device ran each node of the steps: device name to the
   * node names executed there (TensorFlow's step statistics, full trace).
   */
  public synchronized double[] applyTraced(Product product, double[] v, Map<String, List<String>> devices) {
    return run(product, v, devices);
  }

  private double[] run(Product product, double[] v, Map<String, List<String>> trace) {
    try {
      return runSteps(product, v, trace);
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw clusterError("the " + product + " product", e);
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

  private double[] runSteps(Product product, double[] v, Map<String, List<String>> trace) {
    List<GraphOperation> step = steps.get(product);
    if (step == null) {
      throw new IllegalArgumentException(product + " was not built; built: " + products);
    }
    if (v.length != dimension()) {
      throw new IllegalArgumentException("vector of length " + v.length + ", expected " + dimension());
    }
    if (session == null) {
      throw new IllegalStateException("closed");
    }
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      if (product != Product.GRADIENT) {
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
      for (int i = 0; i < out.length; i++) {
        if (!Double.isFinite(out[i])) {
          throw new ArithmeticException(model.source() + ": the distributed " + product + " product over " + size
              + " examples (" + shards + " shards of " + batchesPerWorker + " batches) is " + out[i] + " at index " + i + "; "
              + thetaFiniteness());
        }
      }
      return out;
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /**
   * Whether the model's parameters are finite, for the message of a non-finite product (the data
   * are checked to be finite before a run starts, so finite parameters mean the model's
   * arithmetic overflowed).
   */
  private String thetaFiniteness() {
    double[] theta = model.theta();
    for (int i = 0; i < theta.length; i++) {
      if (!Double.isFinite(theta[i])) {
        return "the model's parameters are not finite (theta[" + i + "] = " + theta[i] + ")";
      }
    }
    return "the model's parameters are finite, so the data (checked to be finite before the run) or the model's arithmetic"
        + " (overflow at these parameters; precision: float64 may avoid it) produced it";
  }

  /** One product as a {@link LinearOperator}. */
  public LinearOperator operator(Product product) {
    if (!steps.containsKey(product) || product == Product.GRADIENT) {
      throw new IllegalArgumentException(product + " is not a built curvature product; built: " + products);
    }
    return new LinearOperator() {
      @Override
      public int dimension() {
        return DistributedCurvature.this.dimension();
      }

      @Override
      public void apply(double[] v, double[] out) {
        System.arraycopy(DistributedCurvature.this.apply(product, v), 0, out, 0, out.length);
      }
    };
  }

  /** The Hessian of the mean loss (needs HESSIAN built). */
  public LinearOperator hessian() {
    return operator(Product.HESSIAN);
  }

  /** G, the Gauss-Newton part (needs GAUSS_NEWTON built). */
  public LinearOperator gaussNewton() {
    return operator(Product.GAUSS_NEWTON);
  }

  /** H, the residual part (needs RESIDUAL_HESSIAN built). */
  public LinearOperator residualHessian() {
    return operator(Product.RESIDUAL_HESSIAN);
  }

  /** Devices of the products' nodes, for messages: worker address to device. */
  public Map<WorkerAddress, String> placement() {
    Map<WorkerAddress, String> m = new LinkedHashMap<>();
    for (int i = 0; i < workers.size(); i++) {
      m.put(workers.get(i), Worker.device(i));
    }
    return m;
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
