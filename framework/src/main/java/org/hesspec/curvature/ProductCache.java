package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Tensor;

/**
 * The part of a product that does not depend on v, kept per batch so that the next products at
 * the same theta skip it. A Lanczos run applies one operator at one theta a hundred times; in
 * {@code Hess v = d/dP <dL/dP, v>} the forward pass and the backward pass of the gradient (the
 * activations, the back-propagated signals, the ReLU masks, softmax p) are the same every time.
 *
 * <p>The cached tensors are the <em>frontier</em> of the product's graph: the outputs of ops that
 * do not depend on v, read by ops that do. They are fetched from the first run over each batch
 * (TensorFlow's own buffers; nothing is copied to Java) and fed to the later runs, so TensorFlow
 * prunes everything upstream of them. The same ops run on the same values, so a cached product
 * equals an uncached one bit for bit. Constants, placeholders (fed anyway) and variables are not
 * cached; nor is anything when the frontier of all batches exceeds the byte budget: the product
 * then recomputes everything, as without a cache.
 *
 * <p>Valid for one theta and one data set: the owner clears it when theta changes, and keeps one
 * entry (product, data) at a time.
 */
final class ProductCache implements AutoCloseable {

  private final long budgetBytes;
  private final Map<CurvatureOperator, List<Output<?>>> frontiers = new HashMap<>();
  private CurvatureOperator product;
  private BatchedData data;
  private List<Result> batches; // null with product set: over budget for this (product, data)

  /** @param budgetBytes the most the cached tensors of all batches may take; 0 disables the cache */
  ProductCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /**
   * The v-independent outputs read by v-dependent ops among everything {@code targets} run:
   * "depends on v" is reading one of {@code vVariables}, directly or through inputs.
   */
  static List<Output<?>> frontier(List<GraphOperation> targets, Set<String> vVariables) {
    Map<String, Boolean> dependsOnV = new HashMap<>();
    Set<Output<?>> frontier = new LinkedHashSet<>();
    Set<String> visited = new java.util.HashSet<>();
    List<GraphOperation> order = new ArrayList<>();
    // iterative post-order: an op's inputs are classified before the op
    java.util.ArrayDeque<GraphOperation[]> stack = new java.util.ArrayDeque<>();
    for (GraphOperation t : targets) {
      stack.push(new GraphOperation[] {t, null});
    }
    while (!stack.isEmpty()) {
      GraphOperation[] top = stack.pop();
      GraphOperation op = top[0];
      if (top[1] != null) {
        boolean depends = vVariables.contains(op.name());
        for (int i = 0; i < op.numInputs(); i++) {
          depends |= dependsOnV.get(((GraphOperation) op.input(i).op()).name());
        }
        for (GraphOperation c : op.controlInputs()) {
          depends |= dependsOnV.get(c.name());
        }
        dependsOnV.put(op.name(), depends);
        order.add(op);
        continue;
      }
      if (!visited.add(op.name())) {
        continue;
      }
      stack.push(new GraphOperation[] {op, op});
      for (int i = 0; i < op.numInputs(); i++) {
        GraphOperation in = (GraphOperation) op.input(i).op();
        if (!visited.contains(in.name())) {
          stack.push(new GraphOperation[] {in, null});
        }
      }
      for (GraphOperation c : op.controlInputs()) {
        if (!visited.contains(c.name())) {
          stack.push(new GraphOperation[] {c, null});
        }
      }
    }
    for (GraphOperation op : order) {
      if (!dependsOnV.get(op.name())) {
        continue;
      }
      for (int i = 0; i < op.numInputs(); i++) {
        Output<?> in = op.input(i);
        GraphOperation producer = (GraphOperation) in.op();
        if (!dependsOnV.get(producer.name()) && worthFeeding(producer)) {
          frontier.add(in);
        }
      }
    }
    return new ArrayList<>(frontier);
  }

  /** Constants, placeholders and variables (and reads of them) cost nothing to recompute. */
  private static boolean worthFeeding(GraphOperation op) {
    return switch (op.type()) {
      case "Const", "Placeholder", "PlaceholderWithDefault", "VariableV2", "VarHandleOp", "ReadVariableOp" -> false;
      case "Identity" -> worthFeeding((GraphOperation) op.input(0).op());
      default -> true;
    };
  }

  boolean enabled() {
    return budgetBytes > 0;
  }

  /** The frontier of {@code product} (computed once per product from its targets). */
  List<Output<?>> frontierOf(CurvatureOperator product, java.util.function.Supplier<List<GraphOperation>> targets, Set<String> vVariables) {
    return frontiers.computeIfAbsent(product, p -> frontier(targets.get(), vVariables));
  }

  /** The cached frontier values of each batch of {@code data} for {@code product}, or null. */
  List<Result> lookup(CurvatureOperator product, BatchedData data) {
    return this.product == product && this.data == data ? batches : null;
  }

  /** True when (product, data) was tried and found over budget. */
  boolean overBudget(CurvatureOperator product, BatchedData data) {
    return this.product == product && this.data == data && batches == null;
  }

  /**
   * Keeps {@code results} (one per batch, in order, within the budget: the caller checks it while
   * filling) for (product, data). Replaces the previous entry.
   */
  void store(CurvatureOperator product, BatchedData data, List<Result> results) {
    clear();
    this.product = product;
    this.data = data;
    this.batches = List.copyOf(results);
  }

  /** Remembers that (product, data) does not fit (its tensors were already closed). */
  void markOverBudget(CurvatureOperator product, BatchedData data) {
    clear();
    this.product = product;
    this.data = data;
  }

  long budgetBytes() {
    return budgetBytes;
  }

  /** Bytes of the cached tensors. */
  long bytes() {
    long total = 0;
    if (batches != null) {
      for (Result r : batches) {
        total += bytes(r);
      }
    }
    return total;
  }

  /** Bytes of the tensors of one run's result. */
  static long bytes(Result r) {
    long total = 0;
    for (int i = 0; i < r.size(); i++) {
      total += r.get(i).numBytes();
    }
    return total;
  }

  /** Forgets the entry (theta changed). */
  void clear() {
    if (batches != null) {
      batches.forEach(Result::close);
    }
    batches = null;
    product = null;
    data = null;
  }

  /** Feeds the cached frontier of one batch. */
  static void feed(org.tensorflow.Session.Runner r, List<Output<?>> frontier, Result cached) {
    for (int i = 0; i < frontier.size(); i++) {
      Tensor t = cached.get(i);
      r.feed(frontier.get(i), t);
    }
  }

  @Override
  public void close() {
    clear();
  }
}
