package org.hesspec.model.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Lists the variables of a (typically inlined) GraphDef and the tensors that read them: the
 * tensors to feed parameter values into, and to differentiate with respect to.
 *
 * <p>A resource variable ({@code VarHandleOp}) is read by each {@code ReadVariableOp} whose input
 * is its handle, directly or through {@code Identity}/{@code IdentityN} (function bodies pass
 * handles through); one variable is often read several times (after inlining, once per use), and
 * the gradient with respect to the variable is the sum over its reads. A reference variable
 * ({@code VariableV2}) is read through its own output {@code var:0}, which is the tensor to feed.
 */
public final class VariableReads {
  private VariableReads() {}

  /**
   * One variable and its reads.
   *
   * @param variable name of the {@code VarHandleOp} or {@code VariableV2} node
   * @param op {@code VarHandleOp} or {@code VariableV2}
   * @param dtype the value type
   * @param shape the declared shape
   * @param reads tensors that carry the variable's value ({@code ReadVariableOp} outputs, or the
   *     {@code VariableV2} output), in graph order
   * @param otherUses nodes that consume the handle other than by reading it (assignments, saver
   *     calls, gathers); an op here on the inference path cannot be fed
   */
  public record Variable(
      String variable,
      String op,
      DataType dtype,
      TensorShapeProto shape,
      List<String> reads,
      List<String> otherUses) {
    public Variable {
      reads = List.copyOf(reads);
      otherUses = List.copyOf(otherUses);
    }
  }

  /** The variables of {@code graph} in node order, each with all its reads. */
  public static List<Variable> find(GraphDef graph) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      byName.put(n.getName(), n);
    }
    Map<String, List<String>> reads = new LinkedHashMap<>();
    Map<String, List<String>> others = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      if (n.getOp().equals("VarHandleOp")) {
        reads.put(n.getName(), new ArrayList<>());
        others.put(n.getName(), new ArrayList<>());
      } else if (n.getOp().equals("VariableV2") || n.getOp().equals("Variable")) {
        reads.put(n.getName(), new ArrayList<>(List.of(TensorNames.tensor(n.getName(), 0))));
        others.put(n.getName(), new ArrayList<>());
      }
    }
    for (NodeDef n : graph.getNodeList()) {
      if (n.getOp().equals("Identity") || n.getOp().equals("IdentityN")) {
        continue; // pass-through, not a use of its own
      }
      for (String in : n.getInputList()) {
        if (TensorNames.isControl(in)) {
          continue;
        }
        String source = handleSource(in, byName);
        if (source == null || !byName.get(source).getOp().equals("VarHandleOp")) {
          continue;
        }
        if (n.getOp().equals("ReadVariableOp")) {
          reads.get(source).add(TensorNames.tensor(n.getName(), 0));
        } else {
          others.get(source).add(n.getName());
        }
      }
    }
    List<Variable> result = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : reads.entrySet()) {
      NodeDef v = byName.get(e.getKey());
      result.add(
          new Variable(
              v.getName(),
              v.getOp(),
              attr(v, "dtype").getType(),
              attr(v, "shape").getShape(),
              e.getValue(),
              others.get(e.getKey())));
    }
    return result;
  }

  /** The node a tensor comes from after passing back through Identity/IdentityN, or null. */
  private static String handleSource(String tensor, Map<String, NodeDef> byName) {
    String t = TensorNames.canonical(tensor);
    for (int hops = 0; hops < byName.size() + 1; hops++) {
      NodeDef n = byName.get(TensorNames.nodeName(t));
      if (n == null) {
        return null;
      }
      if (n.getOp().equals("Identity")) {
        t = TensorNames.canonical(n.getInput(0));
      } else if (n.getOp().equals("IdentityN")) {
        int k = TensorNames.outputIndex(t);
        List<String> data = n.getInputList().stream().filter(s -> !TensorNames.isControl(s)).toList();
        t = TensorNames.canonical(data.get(k));
      } else {
        return n.getName();
      }
    }
    return null;
  }

  private static AttrValue attr(NodeDef n, String name) {
    AttrValue v = n.getAttrMap().get(name);
    if (v == null) {
      throw new GraphRewriteException(n.getName(), n.getOp() + " lacks attribute '" + name + "'");
    }
    return v;
  }
}
