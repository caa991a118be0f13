package org.hesspec.model.grad;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Which op types between the parameters and an output TensorFlow can differentiate once and twice,
 * so that a run can refuse (and {@code hesspec inspect} can say why) before any work is done.
 *
 * <p>Method: probing, not a table. For each op type on the path (with the dtype of its first
 * floating input) one instance is copied, attributes and all, into a scratch graph whose
 * non-constant inputs are placeholders of the same dtype and static shape (constant inputs, such as
 * a Reshape's shape, are copied so that shape inference sees what the real graph sees). Then:
 *
 * <ol>
 *   <li>the gradient of its floating outputs (seeded by placeholders) w.r.t. its floating inputs
 *       is built with {@code addGradients}; a failure there means no first derivative;
 *   <li>the gradient of those gradients w.r.t. the inputs and the seeds is built; a failure means
 *       no second derivative. TensorFlow names only the first op it cannot differentiate, so the
 *       op types on the first gradient's differentiable path are also looked up in the gradient
 *       registry ({@code TFJ_HasGradient}) to list every missing one.
 * </ol>
 *
 * The probe differentiates by every non-constant floating input, not only those on the parameter
 * path (a convolution's data input, say): it may report a derivative that a particular run would
 * not need, never miss one that it needs. Results are cached per (op type, dtype) and forgotten when {@link SecondOrderGradients}
 * registers gradients. The cache assumes an op type's gradient emits the same op types whatever
 * its attributes, true of the C++ registry and of this package's gradients up to ops that all have
 * gradients (BiasAddGrad in NCHW adds a Reshape). Whether registration happened is up to the
 * caller: this class never registers.
 */
public final class DerivativeSupport {

  private static final Pattern NO_GRADIENT = Pattern.compile("No gradient defined for op: (\\w+)");
  private static final Map<String, OpSupport> CACHE = new ConcurrentHashMap<>();
  private static volatile int cachedGeneration = -1;

  private DerivativeSupport() {}

  /**
   * One record per (op type, dtype) on the data path from {@code params} to {@code output}, in
   * the order first met walking back from the output.
   */
  public static List<OpSupport> analyze(
      Graph graph, Collection<? extends Operand<?>> params, Operand<?> output) {
    GraphDef def = graph.toGraphDef();
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : def.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    Map<String, OpSupport> byKey = new LinkedHashMap<>();
    for (GraphOperation op : GraphPaths.between(params, List.of(output))) {
      DataType dtype = firstFloatingInput(op);
      if (dtype == null || !hasFloatingOutput(op)) {
        continue; // integer bookkeeping (Shape, Size...): no derivative flows through it
      }
      String key = op.type() + "/" + dtype;
      if (!byKey.containsKey(key)) {
        byKey.put(key, probe(graph, op, nodes.get(op.name())));
      }
    }
    return List.copyOf(byKey.values());
  }

  /** The records of {@link #analyze(Graph, Collection, Operand)} that are not fully supported. */
  public static List<OpSupport> unsupported(
      Graph graph, Collection<? extends Operand<?>> params, Operand<?> output) {
    return analyze(graph, params, output).stream().filter(s -> !s.supported()).toList();
  }

  /**
   * The support of every op type between an imported model's parameters (its placeholders
   * {@code hesspec/param/k}) and its output, with hesspec's second derivatives registered.
   */
  public static List<OpSupport> analyze(org.hesspec.model.ModelDefinition model) {
    SecondOrderGradients.ensureRegistered();
    List<String> params = new ArrayList<>();
    for (int k = 0; k < model.layout().tensors().size(); k++) {
      params.add(org.hesspec.model.ModelDefinition.parameterNode(k) + ":0");
    }
    return analyze(model.graph(), params, model.outputTensor());
  }

  /**
   * As {@link #analyze(Graph, Collection, Operand)} for a GraphDef, tensors named {@code
   * "node:index"}. Op types that this TensorFlow build does not know (custom ops) are reported
   * with neither derivative; a graph holding any cannot be imported, so then only those are
   * reported (fix them first). Otherwise the GraphDef is imported into a scratch graph and probed.
   */
  public static List<OpSupport> analyze(
      GraphDef def, Collection<String> paramTensors, String outputTensor) {
    Set<String> known = new HashSet<>();
    for (OpDef o : TensorFlow.registeredOpList().getOpList()) {
      known.add(o.getName());
    }
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    for (NodeDef n : def.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    Map<String, OpSupport> unknown = new LinkedHashMap<>();
    for (NodeDef n : pathNodes(nodes, paramTensors, outputTensor)) {
      if (!known.contains(n.getOp())) {
        unknown.putIfAbsent(
            n.getOp(),
            new OpSupport(
                n.getOp(),
                DataType.DT_INVALID,
                false,
                false,
                List.of(n.getOp()),
                "op type not registered in this TensorFlow build (custom op?)"));
      }
    }
    if (!unknown.isEmpty()) {
      return List.copyOf(unknown.values());
    }
    try (Graph g = new Graph()) {
      g.importGraphDef(def);
      List<Output<?>> params = new ArrayList<>();
      for (String name : paramTensors) {
        params.add(g.outputOrThrow(name));
      }
      return analyze(g, params, g.outputOrThrow(outputTensor));
    }
  }

  /**
   * The support of one op's type, probed on a copy of {@code op} (cached per type and dtype of
   * its first floating input).
   */
  public static OpSupport probe(GraphOperation op) {
    Graph graph = op.env();
    NodeDef node = null;
    for (NodeDef n : graph.toGraphDef().getNodeList()) {
      if (n.getName().equals(op.name())) {
        node = n;
      }
    }
    return probe(graph, op, node);
  }

  private static OpSupport probe(Graph graph, GraphOperation op, NodeDef node) {
    int generation = SecondOrderGradients.generation();
    if (generation != cachedGeneration) {
      CACHE.clear();
      cachedGeneration = generation;
    }
    DataType dtype = firstFloatingInput(op);
    String key = op.type() + "/" + dtype;
    OpSupport cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    OpSupport result = probeUncached(graph, op, node, dtype);
    CACHE.put(key, result);
    return result;
  }

  private static OpSupport probeUncached(
      Graph graph, GraphOperation op, NodeDef node, DataType dtype) {
    String type = op.type();
    GraphDef scratchDef;
    try {
      scratchDef = isolate(graph, op, node);
    } catch (RuntimeException e) {
      return new OpSupport(type, dtype, false, false, List.of(), "could not copy op: " + e);
    }
    try (Graph scratch = new Graph()) {
      try {
        scratch.importGraphDef(scratchDef);
      } catch (RuntimeException e) {
        return new OpSupport(
            type, dtype, false, false, List.of(), "could not rebuild op in isolation: " + e);
      }
      GraphOperation probe = scratch.operationOrThrow("probe");
      List<Output<?>> xs = new ArrayList<>();
      for (int i = 0; i < probe.numInputs(); i++) {
        Output<?> in = probe.input(i);
        if (RawOps.isDifferentiable(in.dataType()) && in.op().type().equals("Placeholder")) {
          xs.add(in);
        }
      }
      List<Output<?>> ys = new ArrayList<>();
      List<Output<?>> seeds = new ArrayList<>();
      for (int k = 0; k < probe.numOutputs(); k++) {
        Output<?> y = probe.output(k);
        if (RawOps.isDifferentiable(y.dataType())) {
          ys.add(y);
          seeds.add(placeholder(scratch, "seed" + k, y.dataType(), y.shape()));
        }
      }
      if (xs.isEmpty() || ys.isEmpty()) {
        return new OpSupport(type, dtype, true, true, List.of(), "no floating input or output");
      }
      Output<?>[] first;
      try {
        first = scratch.addGradients("d1", array(ys), array(xs), array(seeds));
      } catch (RuntimeException e) {
        return new OpSupport(
            type, dtype, false, false, missingFrom(e, type), "first derivative: " + message(e));
      }
      List<Output<?>> firstGrads = new ArrayList<>();
      List<Output<?>> secondSeeds = new ArrayList<>();
      for (int i = 0; i < first.length; i++) {
        if (first[i] != null) {
          firstGrads.add(first[i]);
          secondSeeds.add(
              placeholder(scratch, "seed2_" + i, first[i].dataType(), first[i].shape()));
        }
      }
      // Differentiate again only by what the gradients depend on: TensorFlow refuses an x that is
      // unreachable (the gradient of a linear op does not depend on its input: a zero Hessian).
      Set<GraphOperation> ancestors = GraphPaths.ancestors(firstGrads);
      List<Output<?>> wrt = new ArrayList<>();
      for (Output<?> t : concat(xs, seeds)) {
        if (ancestors.contains((GraphOperation) t.op())) {
          wrt.add(t);
        }
      }
      if (wrt.isEmpty()) {
        return new OpSupport(type, dtype, true, true, List.of(), "probed; gradient is constant");
      }
      Set<String> missing = missingOnPath(wrt, firstGrads);
      try {
        scratch.addGradients("d2", array(firstGrads), array(wrt), array(secondSeeds));
      } catch (RuntimeException e) {
        missing.addAll(missingFrom(e, null));
        return new OpSupport(
            type, dtype, true, false, List.copyOf(missing), "second derivative: " + message(e));
      }
      if (!missing.isEmpty()) {
        // Built although a gradient is missing: TensorFlow found no differentiable path through it.
        return new OpSupport(
            type, dtype, true, true, List.of(), "built; unused ops without gradient: " + missing);
      }
      return new OpSupport(type, dtype, true, true, List.of(), "probed");
    }
  }

  /** A GraphDef holding a copy of {@code op} named "probe" with its inputs as "in0", "in1"... */
  private static GraphDef isolate(Graph graph, GraphOperation op, NodeDef node) {
    if (node == null) {
      throw new IllegalArgumentException("no NodeDef for " + op.name());
    }
    GraphDef.Builder def = GraphDef.newBuilder();
    NodeDef.Builder copy = node.toBuilder().setName("probe").clearInput().setDevice("");
    copy.removeAttr("_class");
    for (int i = 0; i < op.numInputs(); i++) {
      Output<?> in = op.input(i);
      String name = "in" + i;
      GraphOperation producer = (GraphOperation) in.op();
      if (producer.type().equals("Const")) {
        def.addNode(
            NodeDef.newBuilder()
                .setName(name)
                .setOp("Const")
                .putAttr("dtype", producer.attributes().getAttrValueProto("dtype"))
                .putAttr("value", producer.attributes().getAttrValueProto("value")));
      } else {
        def.addNode(placeholderDef(name, in.dataType(), in.shape()));
      }
      copy.addInput(name + ":0");
    }
    def.addNode(copy);
    return def.build();
  }

  private static NodeDef placeholderDef(String name, DataType dtype, Shape shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    if (shape.isUnknown()) {
      s.setUnknownRank(true);
    } else {
      for (int d = 0; d < shape.numDimensions(); d++) {
        s.addDimBuilder().setSize(shape.get(d));
      }
    }
    return NodeDef.newBuilder()
        .setName(name)
        .setOp("Placeholder")
        .putAttr("dtype", AttrValue.newBuilder().setType(dtype).build())
        .putAttr("shape", AttrValue.newBuilder().setShape(s).build())
        .build();
  }

  private static Output<?> placeholder(Graph g, String name, DataType dtype, Shape shape) {
    return g.opBuilder("Placeholder", name, g.baseScope())
        .setAttr("dtype", dtype)
        .setAttr("shape", shape)
        .build()
        .output(0);
  }

  /**
   * Op types without a registered gradient among the ops that lie on a data path from {@code
   * from} to {@code to} (the ones a gradient of {@code to} w.r.t. {@code from} must pass).
   */
  private static Set<String> missingOnPath(List<Output<?>> from, List<Output<?>> to) {
    Set<String> missing = new LinkedHashSet<>();
    for (GraphOperation op : GraphPaths.between(from, to)) {
      if (!tensorflow.TFJ_HasGradient(op.type())) {
        missing.add(op.type());
      }
    }
    return missing;
  }

  /** The same walk on NodeDefs: nodes fed (transitively) by the params that feed the output. */
  private static List<NodeDef> pathNodes(
      Map<String, NodeDef> nodes, Collection<String> paramTensors, String outputTensor) {
    Map<String, List<String>> consumers = new HashMap<>();
    for (NodeDef n : nodes.values()) {
      for (String in : n.getInputList()) {
        if (!in.startsWith("^")) {
          consumers.computeIfAbsent(nodeName(in), k -> new ArrayList<>()).add(n.getName());
        }
      }
    }
    Set<String> downstream = new HashSet<>();
    Deque<String> queue = new ArrayDeque<>();
    for (String p : paramTensors) {
      for (String c : consumers.getOrDefault(nodeName(p), List.of())) {
        if (downstream.add(c)) {
          queue.add(c);
        }
      }
    }
    while (!queue.isEmpty()) {
      for (String c : consumers.getOrDefault(queue.poll(), List.of())) {
        if (downstream.add(c)) {
          queue.add(c);
        }
      }
    }
    List<NodeDef> path = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    seen.add(nodeName(outputTensor));
    queue.add(nodeName(outputTensor));
    while (!queue.isEmpty()) {
      String name = queue.poll();
      NodeDef n = nodes.get(name);
      if (n == null || !downstream.contains(name)) {
        continue;
      }
      path.add(n);
      for (String in : n.getInputList()) {
        if (!in.startsWith("^") && seen.add(nodeName(in))) {
          queue.add(nodeName(in));
        }
      }
    }
    return path;
  }

  private static String nodeName(String tensor) {
    int colon = tensor.indexOf(':');
    return colon < 0 ? tensor : tensor.substring(0, colon);
  }

  private static DataType firstFloatingInput(GraphOperation op) {
    for (int i = 0; i < op.numInputs(); i++) {
      DataType t = op.input(i).dataType();
      if (RawOps.isDifferentiable(t)) {
        return t;
      }
    }
    return null;
  }

  private static boolean hasFloatingOutput(GraphOperation op) {
    for (int k = 0; k < op.numOutputs(); k++) {
      if (RawOps.isDifferentiable(op.output(k).dataType())) {
        return true;
      }
    }
    return false;
  }

  /** The op named by "No gradient defined for op: X", else {@code fallback} if not null. */
  private static List<String> missingFrom(RuntimeException e, String fallback) {
    Matcher m = NO_GRADIENT.matcher(String.valueOf(e.getMessage()));
    if (m.find()) {
      return List.of(m.group(1));
    }
    return fallback == null ? List.of() : List.of(fallback);
  }

  private static String message(RuntimeException e) {
    String msg = String.valueOf(e.getMessage());
    int newline = msg.indexOf('\n');
    return newline < 0 ? msg : msg.substring(0, newline);
  }

  private static List<Output<?>> concat(List<Output<?>> a, List<Output<?>> b) {
    List<Output<?>> r = new ArrayList<>(a);
    r.addAll(b);
    return r;
  }

  private static Output<?>[] array(List<Output<?>> list) {
    return list.toArray(new Output<?>[0]);
  }
}
