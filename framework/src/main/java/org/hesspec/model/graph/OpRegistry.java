package org.hesspec.model.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * OpDefs of the ops a GraphDef may use: those registered in the TensorFlow runtime, plus the
 * signatures of the GraphDef's own library functions (a node whose op is a function name is a
 * direct call of that function).
 *
 * <p>GraphDef tensor names are flat ({@code node:k}) while FunctionDef names are structured
 * ({@code node:out_arg:i}); converting between them, and restoring attributes that exports strip
 * when they equal their default, both need the OpDef.
 */
final class OpRegistry {
  private static volatile Map<String, OpDef> registered;

  private final Map<String, OpDef> functionSignatures;

  private OpRegistry(Map<String, OpDef> functionSignatures) {
    this.functionSignatures = functionSignatures;
  }

  /** The registered ops plus the signatures of {@code library}'s functions. */
  static OpRegistry of(FunctionDefLibrary library) {
    Map<String, OpDef> signatures = new HashMap<>();
    for (FunctionDef f : library.getFunctionList()) {
      signatures.put(f.getSignature().getName(), f.getSignature());
    }
    return new OpRegistry(Collections.unmodifiableMap(signatures));
  }

  private static Map<String, OpDef> registered() {
    Map<String, OpDef> r = registered;
    if (r == null) {
      synchronized (OpRegistry.class) {
        r = registered;
        if (r == null) {
          Map<String, OpDef> m = new HashMap<>();
          for (OpDef d : TensorFlow.registeredOpList().getOpList()) {
            m.put(d.getName(), d);
          }
          r = Collections.unmodifiableMap(m);
          registered = r;
        }
      }
    }
    return r;
  }

  /** Whether {@code op} names a function of this registry's library. */
  boolean isFunction(String op) {
    return functionSignatures.containsKey(op);
  }

  /** The OpDef of {@code op}, a registered op or a library function. */
  Optional<OpDef> find(String op) {
    OpDef d = functionSignatures.get(op);
    return Optional.ofNullable(d != null ? d : registered().get(op));
  }

  /** The OpDef of {@code node}'s op, or an exception naming the node. */
  OpDef require(NodeDef node) {
    return find(node.getOp())
        .orElseThrow(
            () ->
                new GraphRewriteException(
                    node.getName(), "op '" + node.getOp() + "' is neither registered nor a library function"));
  }

  /**
   * {@code node} with every attribute its OpDef declares a default for present: SavedModel export
   * strips attributes equal to their defaults, also inside function bodies.
   */
  NodeDef withDefaults(NodeDef node) {
    Optional<OpDef> def = find(node.getOp());
    if (def.isEmpty()) {
      return node;
    }
    NodeDef.Builder b = null;
    for (OpDef.AttrDef a : def.get().getAttrList()) {
      if (a.hasDefaultValue() && !node.containsAttr(a.getName())) {
        if (b == null) {
          b = node.toBuilder();
        }
        b.putAttr(a.getName(), a.getDefaultValue());
      }
    }
    return b == null ? node : b.build();
  }

  /** How many tensors the argument {@code arg} of {@code node} stands for. */
  static int argLength(NodeDef node, OpDef.ArgDef arg) {
    if (!arg.getNumberAttr().isEmpty()) {
      return (int) attr(node, arg.getNumberAttr()).getI();
    }
    if (!arg.getTypeListAttr().isEmpty()) {
      return attr(node, arg.getTypeListAttr()).getList().getTypeCount();
    }
    return 1;
  }

  /**
   * The flat GraphDef output index of element {@code i} of output argument {@code argName}: the
   * lengths of the earlier output arguments plus {@code i}.
   */
  static int outputIndex(NodeDef node, OpDef def, String argName, int i) {
    int offset = 0;
    for (OpDef.ArgDef arg : def.getOutputArgList()) {
      int length = argLength(node, arg);
      if (arg.getName().equals(argName)) {
        if (i >= length) {
          throw new GraphRewriteException(
              node.getName(),
              "refers to element " + i + " of output '" + argName + "' which has " + length);
        }
        return offset + i;
      }
      offset += length;
    }
    throw new GraphRewriteException(
        node.getName(), "op '" + node.getOp() + "' has no output argument '" + argName + "'");
  }

  /** The dtypes of {@code node}'s data inputs, in order. */
  static List<DataType> inputTypes(NodeDef node, OpDef def) {
    return argTypes(node, def.getInputArgList());
  }

  /** The dtypes of {@code node}'s outputs, in flat order. */
  static List<DataType> outputTypes(NodeDef node, OpDef def) {
    return argTypes(node, def.getOutputArgList());
  }

  private static List<DataType> argTypes(NodeDef node, List<OpDef.ArgDef> args) {
    List<DataType> types = new ArrayList<>();
    for (OpDef.ArgDef arg : args) {
      if (!arg.getTypeListAttr().isEmpty()) {
        types.addAll(attr(node, arg.getTypeListAttr()).getList().getTypeList());
        continue;
      }
      DataType t = arg.getTypeAttr().isEmpty() ? arg.getType() : attr(node, arg.getTypeAttr()).getType();
      int n = argLength(node, arg);
      for (int k = 0; k < n; k++) {
        types.add(t);
      }
    }
    return types;
  }

  private static AttrValue attr(NodeDef node, String name) {
    AttrValue v = node.getAttrMap().get(name);
    if (v == null) {
      throw new GraphRewriteException(
          node.getName(), "op '" + node.getOp() + "' lacks attribute '" + name + "'");
    }
    return v;
  }
}
