package org.hesspec.model.grad;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;

/** Data-edge reachability in a graph (control edges carry no derivative). */
final class GraphPaths {

  private GraphPaths() {}

  /** Ops with a data path to one of {@code to}, including their own ops. */
  static Set<GraphOperation> ancestors(Collection<? extends Operand<?>> to) {
    return reach(ops(to), GraphPaths::producers);
  }

  /**
   * Ops on a data path from the tensors {@code from} to {@code to}: fed, transitively, by one of
   * {@code from} (whose own ops are excluded) and feeding one of {@code to}. Ordered as met walking
   * back from {@code to}, breadth first.
   */
  static List<GraphOperation> between(
      Collection<? extends Operand<?>> from, Collection<? extends Operand<?>> to) {
    List<GraphOperation> consumers = new ArrayList<>();
    for (Operand<?> p : from) {
      var out = p.asOutput();
      consumers.addAll(((GraphOperation) out.op()).consumers(out.index()));
    }
    Set<GraphOperation> downstream = reach(consumers, GraphOperation::consumers);
    // An op outside downstream only has producers outside it, so keeping the downstream ops of
    // the backward walk gives the walk that stops at the others, in the same order.
    return reach(ops(to), GraphPaths::producers).stream().filter(downstream::contains).toList();
  }

  /** Ops reachable from {@code start} (included) by {@code next}, in breadth-first order. */
  private static Set<GraphOperation> reach(
      Collection<GraphOperation> start, Function<GraphOperation, Collection<GraphOperation>> next) {
    Set<GraphOperation> seen = new LinkedHashSet<>();
    Deque<GraphOperation> queue = new ArrayDeque<>();
    for (GraphOperation op : start) {
      if (seen.add(op)) {
        queue.add(op);
      }
    }
    while (!queue.isEmpty()) {
      for (GraphOperation n : next.apply(queue.poll())) {
        if (seen.add(n)) {
          queue.add(n);
        }
      }
    }
    return seen;
  }

  private static List<GraphOperation> ops(Collection<? extends Operand<?>> tensors) {
    List<GraphOperation> ops = new ArrayList<>();
    for (Operand<?> t : tensors) {
      ops.add((GraphOperation) t.asOutput().op());
    }
    return ops;
  }

  /** The producers of the op's data inputs, in input order. */
  private static List<GraphOperation> producers(GraphOperation op) {
    List<GraphOperation> producers = new ArrayList<>(op.numInputs());
    for (int i = 0; i < op.numInputs(); i++) {
      producers.add((GraphOperation) op.input(i).op());
    }
    return producers;
  }
}
