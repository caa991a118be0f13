package org.hesspec.model.grad;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;

/** Data-edge reachability in a graph (control edges carry no derivative). */
final class GraphPaths {

  private GraphPaths() {}

  /** Ops with a data path to one of {@code to}, including their own ops. */
  static Set<GraphOperation> ancestors(Collection<? extends Operand<?>> to) {
    Set<GraphOperation> seen = new HashSet<>();
    Deque<GraphOperation> queue = new ArrayDeque<>();
    for (Operand<?> t : to) {
      GraphOperation op = (GraphOperation) t.asOutput().op();
      if (seen.add(op)) {
        queue.add(op);
      }
    }
    while (!queue.isEmpty()) {
      GraphOperation op = queue.poll();
      for (int i = 0; i < op.numInputs(); i++) {
        GraphOperation producer = (GraphOperation) op.input(i).op();
        if (seen.add(producer)) {
          queue.add(producer);
        }
      }
    }
    return seen;
  }

  /**
   * Ops on a data path from the tensors {@code from} to {@code to}: fed, transitively, by one of
   * {@code from} (whose own ops are excluded) and feeding one of {@code to}. Ordered as met walking
   * back from {@code to}, breadth first.
   */
  static List<GraphOperation> between(
      Collection<? extends Operand<?>> from, Collection<? extends Operand<?>> to) {
    Set<GraphOperation> downstream = new HashSet<>();
    Deque<GraphOperation> queue = new ArrayDeque<>();
    for (Operand<?> p : from) {
      var out = p.asOutput();
      for (GraphOperation c : ((GraphOperation) out.op()).consumers(out.index())) {
        if (downstream.add(c)) {
          queue.add(c);
        }
      }
    }
    while (!queue.isEmpty()) {
      for (GraphOperation c : queue.poll().consumers()) {
        if (downstream.add(c)) {
          queue.add(c);
        }
      }
    }
    List<GraphOperation> path = new ArrayList<>();
    Set<GraphOperation> seen = new HashSet<>();
    for (Operand<?> t : to) {
      GraphOperation op = (GraphOperation) t.asOutput().op();
      if (seen.add(op)) {
        queue.add(op);
      }
    }
    while (!queue.isEmpty()) {
      GraphOperation op = queue.poll();
      if (!downstream.contains(op)) {
        continue;
      }
      path.add(op);
      for (int i = 0; i < op.numInputs(); i++) {
        GraphOperation producer = (GraphOperation) op.input(i).op();
        if (seen.add(producer)) {
          queue.add(producer);
        }
      }
    }
    return path;
  }
}
