package org.hesspec.model.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * Inlines function calls of a GraphDef ({@code StatefulPartitionedCall}, {@code PartitionedCall},
 * and nodes whose op is a library function), recursively, so that TensorFlow's C++ gradient code,
 * which cannot differentiate a call twice ({@code No gradient defined for op: SymbolicGradient}),
 * sees plain ops.
 *
 * <p>What the rewrite does, and why:
 *
 * <ul>
 *   <li>Body nodes are renamed {@code <call>/<node>}; FunctionDef tensor names ({@code
 *       node:out_arg:i}) become flat GraphDef names ({@code node:k}) through each body node's OpDef,
 *       after restoring the attributes that export stripped because they equal their default.
 *   <li>Function arguments become the call's inputs; consumers of {@code call:k} are rewired to the
 *       returned tensor ({@link InlinedGraph#resolve} gives the same mapping to callers). Outputs of
 *       {@code IdentityN} are bypassed: it has no C++ gradient.
 *   <li>The call's control inputs go to the body nodes that depend on nothing else in the body;
 *       consumers of {@code ^call} depend on the returned nodes and the function's control
 *       outputs instead.
 *   <li>{@code _class} colocation lists are rewritten to the new names (import rejects unknown
 *       targets); the call node and its own attributes disappear.
 *   <li>Control inputs on {@code ReadVariableOp} nodes are dropped everywhere: a control edge from
 *       a fed node still runs it, so they would make feeding parameter values in place of
 *       uninitialised variables fail. Inference graphs have no writes for them to order.
 *   <li>Calls of the saver functions ({@code _traced_save}, {@code _traced_restore}, or any body
 *       with checkpoint ops) are left alone; the library is kept for them.
 *   <li>Functional control flow ({@code While}, {@code If}, {@code Case} and stateless variants)
 *       is rejected with an exception naming the node: differentiating it needs lowering to
 *       Switch/Merge, which this class does not do.
 * </ul>
 */
public final class FunctionInliner {
  static final Set<String> CALL_OPS = Set.of("PartitionedCall", "StatefulPartitionedCall");
  static final Set<String> FUNCTIONAL_CONTROL_FLOW =
      Set.of("While", "StatelessWhile", "If", "StatelessIf", "Case", "StatelessCase");
  static final Set<String> CHECKPOINT_OPS =
      Set.of("SaveV2", "RestoreV2", "MergeV2Checkpoints", "Save", "Restore", "RestoreSlice", "SaveSlices");
  private static final int MAX_DEPTH = 64;

  private final OpRegistry ops;
  private final Map<String, FunctionDef> functions = new HashMap<>();
  private final Set<String> usedNames = new HashSet<>();
  private final Map<String, String> tensorRenames = new HashMap<>();
  private final Map<String, List<String>> controlRenames = new HashMap<>();

  private FunctionInliner(GraphDef graph) {
    this.ops = OpRegistry.of(graph.getLibrary());
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
    for (NodeDef n : graph.getNodeList()) {
      usedNames.add(n.getName());
    }
  }

  /**
   * Inlines every non-saver function call of {@code graph}, recursively.
   *
   * @throws GraphRewriteException for functional control flow, a call of a missing function, or a
   *     body that refers to names it does not define
   */
  public static InlinedGraph inline(GraphDef graph) {
    return new FunctionInliner(graph).run(graph);
  }

  /** Whether {@code f} is a saver function of a TF2 export, which inlining leaves alone. */
  static boolean isSaverFunction(FunctionDef f) {
    String name = f.getSignature().getName();
    if (name.contains("_traced_save") || name.contains("_traced_restore")) {
      return true;
    }
    for (NodeDef n : f.getNodeDefList()) {
      if (CHECKPOINT_OPS.contains(n.getOp())) {
        return true;
      }
    }
    return false;
  }

  private InlinedGraph run(GraphDef graph) {
    List<NodeDef> out = new ArrayList<>();
    Deque<NodeDef> work = new ArrayDeque<>(graph.getNodeList());
    Map<String, Integer> depth = new HashMap<>();
    while (!work.isEmpty()) {
      NodeDef n = work.poll();
      Optional<FunctionDef> f = calledFunction(n);
      if (f.isPresent() && !isSaverFunction(f.get())) {
        int d = depth.getOrDefault(n.getName(), 0);
        if (d >= MAX_DEPTH) {
          throw new GraphRewriteException(
              n.getName(), "function calls nested deeper than " + MAX_DEPTH + " (recursive function?)");
        }
        for (NodeDef b : expand(n, f.get())) {
          depth.put(b.getName(), d + 1);
          work.add(b);
        }
      } else {
        out.add(n);
      }
    }
    return finish(graph, out);
  }

  private Optional<FunctionDef> calledFunction(NodeDef n) {
    String name;
    if (CALL_OPS.contains(n.getOp())) {
      AttrValue f = n.getAttrMap().get("f");
      if (f == null || !f.hasFunc()) {
        throw new GraphRewriteException(n.getName(), n.getOp() + " without a function attribute 'f'");
      }
      name = f.getFunc().getName();
    } else if (functions.containsKey(n.getOp())) {
      name = n.getOp();
    } else {
      return Optional.empty();
    }
    FunctionDef def = functions.get(name);
    if (def == null) {
      throw new GraphRewriteException(
          n.getName(), "calls function '" + name + "' which is not in the graph's library");
    }
    return Optional.of(def);
  }

  /** The body of {@code f} as GraphDef nodes standing in for {@code call}. */
  private List<NodeDef> expand(NodeDef call, FunctionDef f) {
    OpDef sig = f.getSignature();
    String fname = sig.getName();
    List<String> dataIn = new ArrayList<>();
    List<String> controlIn = new ArrayList<>();
    for (String in : call.getInputList()) {
      (TensorNames.isControl(in) ? controlIn : dataIn).add(in);
    }
    if (dataIn.size() != sig.getInputArgCount()) {
      throw new GraphRewriteException(
          call.getName(),
          "passes " + dataIn.size() + " inputs to function '" + fname + "' which takes " + sig.getInputArgCount());
    }
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < sig.getInputArgCount(); i++) {
      OpDef.ArgDef a = sig.getInputArg(i);
      if (!a.getNumberAttr().isEmpty() || !a.getTypeListAttr().isEmpty()) {
        throw new GraphRewriteException(
            call.getName(), "function '" + fname + "' has list argument '" + a.getName() + "' (not supported)");
      }
      args.put(a.getName(), TensorNames.canonical(dataIn.get(i)));
    }
    Map<String, AttrValue> functionAttrs =
        CALL_OPS.contains(call.getOp()) ? call.getAttrMap().get("f").getFunc().getAttrMap() : call.getAttrMap();

    String prefix = uniquePrefix(call.getName(), f);
    Map<String, NodeDef> body = new LinkedHashMap<>();
    for (NodeDef b : f.getNodeDefList()) {
      NodeDef prepared = ops.withDefaults(substitutePlaceholders(b, functionAttrs, call.getName(), fname));
      if (FUNCTIONAL_CONTROL_FLOW.contains(prepared.getOp())) {
        throw new GraphRewriteException(
            prefix + "/" + b.getName(),
            "functional control flow op '" + b.getOp() + "' (in function '" + fname + "', called by '"
                + call.getName() + "') is not supported: its second derivative needs lowering to"
                + " Switch/Merge; export the model without tf.cond/tf.while_loop in the inference path");
      }
      body.put(b.getName(), prepared);
    }
    BodyNames names = new BodyNames(prefix, body, args, call.getName(), fname);

    List<NodeDef> result = new ArrayList<>();
    for (NodeDef b : body.values()) {
      NodeDef.Builder nb = b.toBuilder().setName(prefix + "/" + b.getName()).clearInput();
      boolean dependsOnBody = false;
      List<String> controls = new ArrayList<>();
      for (String in : b.getInputList()) {
        if (TensorNames.isControl(in)) {
          String target = in.substring(1);
          if (body.containsKey(target)) {
            dependsOnBody = true;
          }
          controls.add(names.control(target));
        } else {
          dependsOnBody |= !names.isArgument(in);
          nb.addInput(names.tensor(in));
        }
      }
      if (!dependsOnBody) {
        controls.addAll(controlIn);
      }
      new LinkedHashSet<>(controls).forEach(nb::addInput);
      if (nb.getDevice().isEmpty() && !call.getDevice().isEmpty()) {
        nb.setDevice(call.getDevice());
      }
      rewriteColocation(nb, names);
      result.add(nb.build());
      usedNames.add(nb.getName());
    }

    List<String> returnedNodes = new ArrayList<>();
    for (int k = 0; k < sig.getOutputArgCount(); k++) {
      String argName = sig.getOutputArg(k).getName();
      String ret = f.getRetMap().get(argName);
      if (ret == null) {
        throw new GraphRewriteException(
            call.getName(), "function '" + fname + "' does not return its output '" + argName + "'");
      }
      String t = names.tensor(ret);
      tensorRenames.put(TensorNames.tensor(call.getName(), k), t);
      returnedNodes.add(TensorNames.nodeName(t));
    }
    for (String target : f.getControlRetMap().values()) {
      returnedNodes.add(TensorNames.nodeName(names.control(target)));
    }
    controlRenames.put(call.getName(), returnedNodes);
    return result;
  }

  /** {@code <call>}, or {@code <call>_inlined_<i>} if a node already lives under that name. */
  private String uniquePrefix(String callName, FunctionDef f) {
    String prefix = callName;
    for (int i = 1; clashes(prefix, f); i++) {
      prefix = callName + "_inlined_" + i;
    }
    return prefix;
  }

  private boolean clashes(String prefix, FunctionDef f) {
    for (NodeDef b : f.getNodeDefList()) {
      if (usedNames.contains(prefix + "/" + b.getName())) {
        return true;
      }
    }
    return false;
  }

  private static NodeDef substitutePlaceholders(
      NodeDef b, Map<String, AttrValue> functionAttrs, String call, String fname) {
    NodeDef.Builder nb = null;
    for (Map.Entry<String, AttrValue> e : b.getAttrMap().entrySet()) {
      if (e.getValue().getValueCase() != AttrValue.ValueCase.PLACEHOLDER) {
        continue;
      }
      AttrValue v = functionAttrs.get(e.getValue().getPlaceholder());
      if (v == null) {
        throw new GraphRewriteException(
            call,
            "function '" + fname + "' node '" + b.getName() + "' needs attribute '"
                + e.getValue().getPlaceholder() + "' which the call does not set");
      }
      if (nb == null) {
        nb = b.toBuilder();
      }
      nb.putAttr(e.getKey(), v);
    }
    return nb == null ? b : nb.build();
  }

  /** Rewrites {@code loc:@node} entries of {@code _class}; drops those that name nothing. */
  private static void rewriteColocation(NodeDef.Builder nb, BodyNames names) {
    AttrValue cls = nb.getAttrMap().get("_class");
    if (cls == null || !cls.hasList()) {
      return;
    }
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (com.google.protobuf.ByteString s : cls.getList().getSList()) {
      String entry = s.toStringUtf8();
      if (!entry.startsWith("loc:@")) {
        list.addS(s);
        continue;
      }
      names.colocationTarget(entry.substring(5))
          .ifPresent(t -> list.addS(com.google.protobuf.ByteString.copyFromUtf8("loc:@" + t)));
    }
    if (list.getSCount() == 0) {
      nb.removeAttr("_class");
    } else {
      nb.putAttr("_class", AttrValue.newBuilder().setList(list).build());
    }
  }

  /** Rewires every node's inputs past the removed calls; builds the result. */
  private InlinedGraph finish(GraphDef original, List<NodeDef> nodes) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : nodes) {
      byName.put(n.getName(), n);
    }
    GraphDef.Builder g = original.toBuilder().clearNode();
    for (NodeDef n : nodes) {
      NodeDef.Builder nb = n.toBuilder().clearInput();
      Set<String> controls = new LinkedHashSet<>();
      for (String in : n.getInputList()) {
        if (TensorNames.isControl(in)) {
          for (String target : expandControl(in.substring(1), 0)) {
            NodeDef t = byName.get(target);
            if (t != null && !t.getOp().equals("ReadVariableOp") && !target.equals(n.getName())) {
              controls.add(TensorNames.control(target));
            }
          }
        } else {
          nb.addInput(resolveTensor(in, byName, n.getName()));
        }
      }
      controls.forEach(nb::addInput);
      g.addNode(nb.build());
    }
    Map<String, String> renamed = new HashMap<>();
    for (String from : tensorRenames.keySet()) {
      renamed.put(from, resolveTensor(from, byName, from));
    }
    for (NodeDef n : nodes) {
      if (n.getOp().equals("IdentityN")) {
        int k = 0;
        for (String in : n.getInputList()) {
          if (!TensorNames.isControl(in)) {
            String from = TensorNames.tensor(n.getName(), k++);
            renamed.put(from, resolveTensor(from, byName, from));
          }
        }
      }
    }
    return new InlinedGraph(g.build(), renamed);
  }

  /** Follows renames of removed call outputs and passes through {@code IdentityN}. */
  private String resolveTensor(String input, Map<String, NodeDef> byName, String where) {
    String t = TensorNames.canonical(input);
    for (int hops = 0; ; hops++) {
      if (hops > 10_000) {
        throw new GraphRewriteException(where, "cyclic renaming at tensor '" + input + "'");
      }
      String next = tensorRenames.get(t);
      if (next != null) {
        t = TensorNames.canonical(next);
        continue;
      }
      NodeDef producer = byName.get(TensorNames.nodeName(t));
      if (producer != null && producer.getOp().equals("IdentityN")) {
        List<String> data = new ArrayList<>();
        for (String in : producer.getInputList()) {
          if (!TensorNames.isControl(in)) {
            data.add(in);
          }
        }
        t = TensorNames.canonical(data.get(TensorNames.outputIndex(t)));
        continue;
      }
      return t;
    }
  }

  private List<String> expandControl(String node, int depth) {
    List<String> replaced = controlRenames.get(node);
    if (replaced == null) {
      return List.of(node);
    }
    if (depth > MAX_DEPTH) {
      throw new GraphRewriteException(node, "cyclic control renaming");
    }
    List<String> result = new ArrayList<>();
    for (String r : replaced) {
      result.addAll(expandControl(r, depth + 1));
    }
    return result;
  }

  /** Name translation for one function body being inlined under a prefix. */
  private final class BodyNames {
    private final String prefix;
    private final Map<String, NodeDef> body;
    private final Map<String, String> args;
    private final String call;
    private final String function;

    BodyNames(String prefix, Map<String, NodeDef> body, Map<String, String> args, String call, String function) {
      this.prefix = prefix;
      this.body = body;
      this.args = args;
      this.call = call;
      this.function = function;
    }

    /**
     * A FunctionDef data reference ({@code arg}, {@code arg:0}, {@code node:out_arg:i}) as a
     * GraphDef tensor name.
     */
    String tensor(String ref) {
      String[] parts = ref.split(":");
      if (isArgument(ref)) {
        if (parts.length == 2 && !parts[1].equals("0")) {
          throw error("refers to element " + parts[1] + " of single argument '" + parts[0] + "'");
        }
        return args.get(parts[0]);
      }
      NodeDef producer = body.get(parts[0]);
      if (producer == null) {
        throw error("refers to '" + ref + "', which is neither an argument nor a node of the body");
      }
      String node = prefix + "/" + parts[0];
      if (parts.length == 1) {
        return TensorNames.tensor(node, 0);
      }
      int i = parts.length == 3 ? Integer.parseInt(parts[2]) : 0;
      OpDef def = ops.require(producer);
      return TensorNames.tensor(node, OpRegistry.outputIndex(producer, def, parts[1], i));
    }

    /** Whether a data reference names a function argument rather than a body node. */
    boolean isArgument(String ref) {
      String[] parts = ref.split(":");
      return parts.length <= 2 && args.containsKey(parts[0]);
    }

    /** A control reference to a body node (or, oddly, an argument: then its producer). */
    String control(String target) {
      if (body.containsKey(target)) {
        return TensorNames.control(prefix + "/" + target);
      }
      if (args.containsKey(target)) {
        return TensorNames.control(TensorNames.nodeName(args.get(target)));
      }
      throw error("has a control input on '" + target + "', which is not a node of the body");
    }

    Optional<String> colocationTarget(String target) {
      if (body.containsKey(target)) {
        return Optional.of(prefix + "/" + target);
      }
      if (args.containsKey(target)) {
        return Optional.of(TensorNames.nodeName(args.get(target)));
      }
      return Optional.empty();
    }

    private GraphRewriteException error(String what) {
      return new GraphRewriteException(call, "body of function '" + function + "' " + what);
    }
  }
}
