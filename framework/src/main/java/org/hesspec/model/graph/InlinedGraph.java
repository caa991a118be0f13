package org.hesspec.model.graph;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * A rewritten GraphDef and where each tensor of the original graph now lives.
 *
 * <p>Inlining removes call nodes, so a signature output such as {@code StatefulPartitionedCall:0}
 * no longer exists afterwards; {@link #resolve} maps it to the tensor that now carries the value.
 * Later rewrites that keep node names (batch-norm folding, float64 conversion) return a copy with
 * the same map through {@link #withGraphDef}.
 *
 * @param graphDef the rewritten graph (function library included)
 * @param renamed former tensor name ({@code node:k}) to the tensor now carrying it, never an
 *     output of {@code IdentityN} (which has no gradient)
 */
public record InlinedGraph(GraphDef graphDef, Map<String, String> renamed) {
  public InlinedGraph {
    renamed = Map.copyOf(renamed);
  }

  /**
   * The tensor of {@link #graphDef()} that carries what {@code tensorName} carried in the original
   * graph: {@code call:k} for a former call output, the name itself (as {@code node:k}) for a
   * tensor that was not renamed.
   *
   * @throws IllegalArgumentException if the tensor neither was renamed nor exists in the graph
   */
  public String resolve(String tensorName) {
    if (TensorNames.isControl(tensorName)) {
      throw new IllegalArgumentException("'" + tensorName + "' is a control input, not a tensor");
    }
    String canonical = TensorNames.canonical(tensorName);
    String target = renamed.get(canonical);
    if (target != null) {
      return target;
    }
    String node = TensorNames.nodeName(canonical);
    for (NodeDef n : graphDef.getNodeList()) {
      if (n.getName().equals(node)) {
        return canonical;
      }
    }
    throw new IllegalArgumentException(
        "tensor '" + tensorName + "' is neither in the rewritten graph nor a renamed tensor");
  }

  /** The same renames over a further rewrite of the graph that kept node names. */
  public InlinedGraph withGraphDef(GraphDef rewritten) {
    return new InlinedGraph(rewritten, renamed);
  }

  /** The op types in the graph (not counting library function bodies). */
  public Set<String> opTypes() {
    Set<String> ops = new HashSet<>();
    for (NodeDef n : graphDef.getNodeList()) {
      ops.add(n.getOp());
    }
    return ops;
  }
}
