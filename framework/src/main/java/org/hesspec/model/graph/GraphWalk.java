package org.hesspec.model.graph;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** Walks over a GraphDef's edges. */
public final class GraphWalk {
  private GraphWalk() {}

  /**
   * The nodes that {@code tensors} depend on, through data and control inputs, themselves
   * included: what a session runs to compute them (absent feeds).
   *
   * @param tensors tensor or node names ({@code node}, {@code node:k})
   * @throws IllegalArgumentException if a named node is not in the graph
   */
  public static Set<String> ancestors(GraphDef graph, Collection<String> tensors) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      byName.put(n.getName(), n);
    }
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> work = new ArrayDeque<>();
    for (String t : tensors) {
      String node = TensorNames.nodeName(t);
      if (!byName.containsKey(node)) {
        throw new IllegalArgumentException("no node '" + node + "' in the graph");
      }
      work.add(node);
    }
    while (!work.isEmpty()) {
      String node = work.poll();
      if (!seen.add(node)) {
        continue;
      }
      NodeDef n = byName.get(node);
      if (n == null) {
        continue; // dangling input: importGraphDef reports it
      }
      for (String in : n.getInputList()) {
        work.add(TensorNames.nodeName(in));
      }
    }
    return seen;
  }
}
