package org.hesspec.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Finds the penultimate features {@code h_i} of a model: the input of the last dense layer that feeds the
 * output, {@code z = W h + b}. Neural collapse (Papyan, Han and Donoho 2020, "Prevalence of neural collapse
 * during the terminal phase of deep learning training", PNAS) is measured on these features.
 *
 * <p>The search walks back from the output through ops that keep the features' identity
 * ({@code Identity}, {@code BiasAdd}, and {@code Add}/{@code AddV2} of a parameter-only term) to a
 * {@code MatMul} one of whose operands depends on the input and the other only on parameters and
 * constants; the input-dependent operand is the feature tensor. Anything else (a convolution, a reshape,
 * a softmax in between) ends the search with no tensor: the statistic is then absent, not guessed.
 */
public final class FeatureTensor {

  private FeatureTensor() {}

  /** The feature tensor ({@code node:index}) of {@code model}, or empty when the output is not a dense layer. */
  public static Optional<String> find(ModelDefinition model) {
    return find(model.graph(), model.inputTensor(), model.outputTensor());
  }

  /** As {@link #find(ModelDefinition)}, on a graph with the given input and output tensors. */
  public static Optional<String> find(GraphDef graph, String inputTensor, String outputTensor) {
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    Set<String> dependsOnInput = descendants(graph, ParameterRewriter.nodeOf(inputTensor));
    String current = outputTensor;
    for (int guard = 0; guard < 64; guard++) {
      NodeDef n = nodes.get(ParameterRewriter.nodeOf(current));
      if (n == null) {
        return Optional.empty();
      }
      List<String> in = n.getInputList().stream().filter(s -> !s.startsWith("^")).toList();
      switch (n.getOp()) {
        case "Identity", "BiasAdd" -> current = in.get(0);
        case "Add", "AddV2" -> {
          boolean left = dependsOnInput.contains(ParameterRewriter.nodeOf(in.get(0)));
          boolean right = dependsOnInput.contains(ParameterRewriter.nodeOf(in.get(1)));
          if (left == right) {
            return Optional.empty(); // a residual sum or a constant: not a dense layer's bias
          }
          current = left ? in.get(0) : in.get(1);
        }
        case "MatMul" -> {
          boolean transposeA = n.containsAttr("transpose_a") && n.getAttrOrThrow("transpose_a").getB();
          boolean left = dependsOnInput.contains(ParameterRewriter.nodeOf(in.get(0)));
          boolean right = dependsOnInput.contains(ParameterRewriter.nodeOf(in.get(1)));
          if (!left || right || transposeA) {
            return Optional.empty();
          }
          return Optional.of(tensorName(in.get(0)));
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static String tensorName(String input) {
    return input.contains(":") ? input : input + ":0";
  }

  /** Every node that depends on {@code root} (root included), following data and control edges forward. */
  private static Set<String> descendants(GraphDef graph, String root) {
    Map<String, List<String>> consumers = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      for (String s : n.getInputList()) {
        String from = ParameterRewriter.nodeOf(s.startsWith("^") ? s.substring(1) : s);
        consumers.computeIfAbsent(from, k -> new java.util.ArrayList<>()).add(n.getName());
      }
    }
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(root);
    while (!todo.isEmpty()) {
      String s = todo.pop();
      if (seen.add(s)) {
        todo.addAll(consumers.getOrDefault(s, List.of()));
      }
    }
    return seen;
  }
}
