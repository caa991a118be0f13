package org.hesspec.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Turns an inference graph into a pure function of its parameters: keeps only the ops the output
 * depends on, replaces every read of a trainable variable by a placeholder
 * ({@code hesspec/param/k}) and every read of a frozen variable by a constant.
 *
 * <p>Control dependencies are dropped: a pure function of {@code (x, theta)} has none that
 * matter for inference, and the ones exports carry (e.g. a NoOp waiting on variable reads)
 * would otherwise pull uninitialised variables into every run.
 */
final class ParameterRewriter {

  /** A variable of the source graph and the nodes that read its value. */
  record VariableSite(String node, String name, DataType dtype, long[] shape, List<String> readNodes) {}

  private ParameterRewriter() {}

  /** The node name of a tensor or input reference ({@code ^n}, {@code n}, {@code n:1}). */
  static String nodeOf(String ref) {
    String s = ref.startsWith("^") ? ref.substring(1) : ref;
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** Names of the nodes {@code roots} depend on through data inputs, roots included. */
  static Set<String> ancestors(GraphDef graph, List<String> roots) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      byName.put(n.getName(), n);
    }
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!seen.add(name)) {
        continue;
      }
      NodeDef n = byName.get(name);
      if (n == null) {
        throw new IllegalArgumentException("graph refers to a node '" + name + "' it does not contain");
      }
      for (String in : n.getInputList()) {
        if (!in.startsWith("^")) {
          todo.push(nodeOf(in));
        }
      }
    }
    return seen;
  }

  /**
   * Rewrites {@code graph}.
   *
   * @param trainable variables that become placeholders {@code hesspec/param/k}, k in list order
   * @param frozen variables that become constants, with their values
   * @param roots the nodes to keep (the output's node, the input's node)
   */
  static GraphDef rewrite(GraphDef graph, List<VariableSite> trainable, Map<VariableSite, TensorProto> frozen, List<String> roots) {
    Map<String, String> replaceByIdentityOf = new HashMap<>();
    Map<String, DataType> identityType = new HashMap<>();
    for (int k = 0; k < trainable.size(); k++) {
      VariableSite v = trainable.get(k);
      for (String r : v.readNodes()) {
        replaceByIdentityOf.put(r, ModelDefinition.parameterNode(k));
        identityType.put(r, v.dtype());
      }
    }
    Map<String, TensorProto> replaceByConst = new HashMap<>();
    for (Map.Entry<VariableSite, TensorProto> e : frozen.entrySet()) {
      for (String r : e.getKey().readNodes()) {
        replaceByConst.put(r, e.getValue());
      }
    }
    GraphDef.Builder out = GraphDef.newBuilder(graph).clearNode();
    for (int k = 0; k < trainable.size(); k++) {
      VariableSite v = trainable.get(k);
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (long d : v.shape()) {
        shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
      }
      out.addNode(NodeDef.newBuilder().setName(ModelDefinition.parameterNode(k)).setOp("Placeholder")
          .putAttr("dtype", AttrValue.newBuilder().setType(v.dtype()).build())
          .putAttr("shape", AttrValue.newBuilder().setShape(shape).build()));
    }
    Set<String> keep = ancestors(graph, roots);
    List<NodeDef> rewritten = new ArrayList<>();
    for (NodeDef n : graph.getNodeList()) {
      if (!keep.contains(n.getName())) {
        continue;
      }
      NodeDef.Builder b = n.toBuilder();
      if (replaceByIdentityOf.containsKey(n.getName())) {
        b = NodeDef.newBuilder().setName(n.getName()).setOp("Identity").setDevice(n.getDevice())
            .addInput(replaceByIdentityOf.get(n.getName()))
            .putAttr("T", AttrValue.newBuilder().setType(identityType.get(n.getName())).build());
      } else if (replaceByConst.containsKey(n.getName())) {
        TensorProto value = replaceByConst.get(n.getName());
        b = NodeDef.newBuilder().setName(n.getName()).setOp("Const").setDevice(n.getDevice())
            .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build())
            .putAttr("value", AttrValue.newBuilder().setTensor(value).build());
      } else {
        List<String> dataInputs = n.getInputList().stream().filter(s -> !s.startsWith("^")).toList();
        b.clearInput().addAllInput(dataInputs);
      }
      rewritten.add(b.build());
    }
    GraphDef candidate = GraphDef.newBuilder(out.build()).addAllNode(rewritten).build();
    // Variables whose reads were all replaced are no longer reachable: prune a second time.
    List<String> roots2 = new ArrayList<>(roots);
    for (int k = 0; k < trainable.size(); k++) {
      roots2.add(ModelDefinition.parameterNode(k));
    }
    Set<String> keep2 = new HashSet<>(ancestors(candidate, roots2));
    GraphDef.Builder pruned = GraphDef.newBuilder(candidate).clearNode();
    for (NodeDef n : candidate.getNodeList()) {
      if (keep2.contains(n.getName())) {
        pruned.addNode(n);
      }
    }
    return pruned.build();
  }
}
