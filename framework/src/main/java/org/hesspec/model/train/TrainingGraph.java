package org.hesspec.model.train;

import java.util.ArrayList;
import java.util.List;
import org.hesspec.data.Dataset;
import org.hesspec.model.zoo.Architecture;
import org.hesspec.model.zoo.Network;
import org.hesspec.model.zoo.NetworkBuilder;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The graph and session in which a network is trained: the network's two forward paths, the mean
 * softmax cross-entropy of the training-mode logits, its gradient, and SGD with momentum and
 * weight decay written with raw ops ({@code ApplyMomentum} on each parameter and a zero-initialised
 * momentum variable {@code optimizer/momentum/<parameter>}). Owns the {@link Graph} and the
 * {@link Session}; nothing of it is exported.
 */
final class TrainingGraph implements AutoCloseable {

  private final Graph graph;
  private final Session session;
  private final Network net;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> learningRate;
  private final Operand<TFloat32> loss;
  private final Op step;
  private final List<Placeholder<TFloat32>> initFeeds = new ArrayList<>();
  private final Op init;
  private final List<Variable<TFloat32>> momenta = new ArrayList<>();
  private final int numClasses;

  TrainingGraph(Architecture arch, TrainingConfig config) {
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      net = NetworkBuilder.training(graph, arch);
      numClasses = arch.numClasses();
      labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

      Ops lossScope = tf.withSubScope("loss");
      Operand<TFloat32> onehot = lossScope.oneHot(labels, lossScope.constant(numClasses), lossScope.constant(1f), lossScope.constant(0f));
      Operand<TFloat32> perExample = lossScope.nn.softmaxCrossEntropyWithLogits(net.trainingLogits(), onehot).loss();
      loss = lossScope.withName("mean").math.mean(perExample, lossScope.constant(0));

      List<Network.Parameter> params = net.parameters();
      Output<?>[] xs = new Output<?>[params.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = params.get(i).variable().asOutput();
      }
      Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);

      Ops opt = tf.withSubScope("optimizer");
      List<Operand<TFloat32>> finalGrads = new ArrayList<>();
      for (int i = 0; i < grads.length; i++) {
        Operand<TFloat32> g = grads[i].expect(TFloat32.class);
        if (config.weightDecay() > 0) {
          g = opt.math.add(g, opt.math.mul(opt.constant((float) config.weightDecay()), params.get(i).variable()));
        }
        finalGrads.add(g);
      }
      // Every update waits for every gradient: a parameter must not change while a backward op
      // that reads it (a ref variable, no snapshot) has yet to run.
      List<org.tensorflow.Operation> gradOps = new ArrayList<>();
      for (Operand<TFloat32> g : finalGrads) {
        gradOps.add(g.op());
      }
      Ops update = opt.withControlDependencyOps(gradOps);
      Operand<TFloat32> mu = opt.constant((float) config.momentum());
      List<Op> applies = new ArrayList<>();
      List<Op> assigns = new ArrayList<>();
      Ops initScope = tf.withSubScope("init");
      for (int i = 0; i < params.size(); i++) {
        Variable<TFloat32> w = params.get(i).variable();
        long[] shape = params.get(i).spec().shape();
        Variable<TFloat32> v = new Variable<>(graph.opBuilder(Variable.OP_NAME, "optimizer/momentum/" + params.get(i).spec().name(), tf.scope())
            .setAttr("shape", Shape.of(shape)).setAttr("dtype", DataType.DT_FLOAT).build());
        momenta.add(v);
        applies.add(update.train.applyMomentum(w, v, learningRate, finalGrads.get(i), mu));
        assigns.add(assignFromFeed(initScope, w, shape));
      }
      // Momentum buffers after the parameters and statistics in the feed order (see initialise).
      List<Op> momentumAssigns = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        momentumAssigns.add(assignFromFeed(initScope, momenta.get(i), params.get(i).spec().shape()));
      }
      for (Network.Statistic s : net.statistics()) {
        assigns.add(assignFromFeed(initScope, s.variable(), s.shape()));
      }
      assigns.addAll(momentumAssigns);
      List<Op> stepDeps = new ArrayList<>(applies);
      stepDeps.addAll(net.statisticUpdates());
      step = tf.withControlDependencies(stepDeps).withName("train_step").noOp();
      init = tf.withControlDependencies(assigns).withName("init_all").noOp();

      ConfigProto.Builder cfg = ConfigProto.newBuilder();
      if (config.intraOpThreads() > 0) {
        cfg.setIntraOpParallelismThreads(config.intraOpThreads());
      }
      if (config.interOpThreads() > 0) {
        cfg.setInterOpParallelismThreads(config.interOpThreads());
      }
      session = new Session(graph, cfg.build());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  private Op assignFromFeed(Ops s, Variable<TFloat32> target, long[] shape) {
    Placeholder<TFloat32> p = s.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    initFeeds.add(p);
    return s.assign(target, p);
  }

  Network network() {
    return net;
  }

  /** Sets the parameters and statistics to {@code state} and the momentum to zero. */
  void initialise(ModelState state) {
    List<NamedTensor> zeros = new ArrayList<>();
    for (NamedTensor t : state.parameters()) {
      zeros.add(new NamedTensor(t.name(), t.shape(), new float[t.values().length]));
    }
    initialise(state, zeros);
  }

  /**
   * Sets the parameters and statistics to {@code state} and the momentum buffers to {@code momentum}
   * (one per parameter, in the same order): the whole optimiser state, for resuming training.
   */
  void initialise(ModelState state, List<NamedTensor> momentum) {
    List<Network.Parameter> params = net.parameters();
    if (state.parameters().size() != params.size() || momentum.size() != params.size()
        || state.statistics().size() != net.statistics().size()) {
      throw new IllegalArgumentException("state holds " + state.parameters().size() + " parameters, " + momentum.size()
          + " momentum buffers and " + state.statistics().size() + " statistics; the network has " + params.size()
          + " parameters and " + net.statistics().size() + " statistics");
    }
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      int k = 0;
      for (List<NamedTensor> group : List.of(state.parameters(), momentum)) {
        for (int i = 0; i < params.size(); i++) {
          NamedTensor t = group.get(i);
          if (!t.name().equals(params.get(i).spec().name())) {
            throw new IllegalArgumentException("state holds " + t.name() + " where the network has " + params.get(i).spec().name());
          }
          k = feed(r, k, t, feeds);
        }
      }
      for (int i = 0; i < net.statistics().size(); i++) {
        NamedTensor t = state.statistics().get(i);
        if (!t.name().equals(net.statistics().get(i).name())) {
          throw new IllegalArgumentException("state holds " + t.name() + " where the network has " + net.statistics().get(i).name());
        }
        k = feed(r, k, t, feeds);
      }
      r.addTarget(init).run().close();
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  private int feed(Session.Runner r, int k, NamedTensor t, List<Tensor> feeds) {
    TFloat32 v = Tensors.floats(t.values(), t.shape());
    feeds.add(v);
    r.feed(initFeeds.get(k), v);
    return k + 1;
  }

  /** The momentum buffers, one per parameter in construction order, named like the parameters. */
  List<NamedTensor> momentum() {
    Session.Runner r = session.runner();
    momenta.forEach(r::fetch);
    List<NamedTensor> out = new ArrayList<>();
    try (Result res = r.run()) {
      for (int i = 0; i < momenta.size(); i++) {
        Network.Parameter p = net.parameters().get(i);
        out.add(new NamedTensor(p.spec().name(), p.spec().shape(), Tensors.read(res.get(i))));
      }
    }
    return out;
  }

  /** One SGD step on a batch; returns the batch's mean training-mode loss (before the step). */
  float step(Dataset batch, float lr) {
    try (TFloat32 x = Tensors.batch(batch.features(), batch.exampleShape(), 0, batch.size());
        TInt32 y = Tensors.ints(batch.labels());
        TFloat32 rate = TFloat32.scalarOf(lr);
        Result r = session.runner().feed(net.x(), x).feed(labels, y).feed(learningRate, rate)
            .addTarget(step).fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** Inference-mode logits [n, C] of a data set, row-major, in batches of {@code batchSize}. */
  float[] logits(Dataset data, int batchSize) {
    return Tensors.logits(session, net, data, batchSize, numClasses);
  }

  /** Training-mode logits [n, C] of one batch (batch norm uses the batch's statistics); changes nothing. */
  float[] trainingLogits(Dataset batch) {
    try (TFloat32 x = Tensors.batch(batch.features(), batch.exampleShape(), 0, batch.size());
        Result r = session.runner().feed(net.x(), x).fetch(net.trainingLogits()).run()) {
      return Tensors.read(r.get(0));
    }
  }

  /**
   * Moves the batch-norm statistics one step towards those of {@code batch} without touching the
   * parameters (re-estimating statistics after training, e.g. on a different subset).
   */
  void updateStatistics(Dataset batch) {
    if (net.statisticUpdates().isEmpty()) {
      return;
    }
    try (TFloat32 x = Tensors.batch(batch.features(), batch.exampleShape(), 0, batch.size())) {
      Session.Runner r = session.runner().feed(net.x(), x);
      net.statisticUpdates().forEach(r::addTarget);
      r.run().close();
    }
  }

  /** Current parameters and statistics, copied into Java memory. */
  ModelState state() {
    Session.Runner r = session.runner();
    for (Network.Parameter p : net.parameters()) {
      r.fetch(p.variable());
    }
    for (Network.Statistic s : net.statistics()) {
      r.fetch(s.variable());
    }
    List<NamedTensor> params = new ArrayList<>();
    List<NamedTensor> stats = new ArrayList<>();
    try (Result res = r.run()) {
      int k = 0;
      for (Network.Parameter p : net.parameters()) {
        params.add(new NamedTensor(p.spec().name(), p.spec().shape(), Tensors.read(res.get(k++))));
      }
      for (Network.Statistic s : net.statistics()) {
        stats.add(new NamedTensor(s.name(), s.shape(), Tensors.read(res.get(k++))));
      }
    }
    return new ModelState(params, stats);
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
