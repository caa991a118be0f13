package org.hesspec.experiments.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hesspec.curvature.BatchedData;
import org.hesspec.curvature.CurvatureGraph;
import org.hesspec.curvature.CurvatureOperator;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Floating-point operations of a graph computation, counted from the ops a session run of some
 * targets executes (everything the targets depend on through data and control inputs): {@code 2 m
 * k n} per MatMul, {@code 2 prod(out) k} per BatchMatMul, and {@code 2 * (output elements of the
 * convolution) * kh * kw * Cin} for Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter (the
 * backward convolutions do the forward one's multiply-adds). Element-wise ops, reductions and
 * pooling are not counted: the count is the dense-algebra work, the part a matmul rate bounds.
 * Static shapes are used, with the batch size filled in (see {@link #of(Collection, long)}); an op
 * whose shapes stay unknown is listed as unresolved, not guessed.
 */
public final class FlopCount {

  /**
   * @param flops floating-point operations
   * @param ops ops counted (MatMul, convolutions)
   * @param unresolved names of dense ops whose shapes were not known statically (not counted)
   */
  public record Count(double flops, int ops, List<String> unresolved) {}

  private FlopCount() {}

  /**
   * The count for everything a session run of {@code targets} executes. The targets' graph is
   * copied with every placeholder dimension of unknown size set to {@code batch} (in the product
   * graphs only the batch dimension is unknown), so that TensorFlow's shape inference gives
   * concrete shapes everywhere, also behind the dynamic shapes of gradient ops.
   */
  public static Count of(Collection<GraphOperation> targets, long batch) {
    return of(targets, Set.of(), batch);
  }

  /** As {@link #of(Collection, long)}, with the tensors named {@code op:index} in {@code fed} fed (their producers pruned). */
  public static Count of(Collection<GraphOperation> targets, Set<String> fed, long batch) {
    if (targets.isEmpty()) {
      return new Count(0, 0, List.of());
    }
    GraphDef def = withBatch(targets.iterator().next().env().toGraphDef(), batch);
    try (Graph g = new Graph()) {
      g.importGraphDef(def);
      Deque<GraphOperation> todo = new ArrayDeque<>();
      for (GraphOperation t : targets) {
        todo.push(g.operationOrThrow(t.name()));
      }
      Set<String> seen = new HashSet<>();
      double flops = 0;
      int ops = 0;
      List<String> unresolved = new ArrayList<>();
      while (!todo.isEmpty()) {
        GraphOperation op = todo.pop();
        if (!seen.add(op.name())) {
          continue;
        }
        for (int i = 0; i < op.numInputs(); i++) {
          Output<?> in = op.input(i);
          if (!fed.contains(in.op().name() + ":" + in.index())) {
            todo.push((GraphOperation) in.op());
          }
        }
        todo.addAll(op.controlInputs());
        double f = flops(op);
        if (Double.isNaN(f)) {
          unresolved.add(op.name() + " (" + op.type() + ")");
        } else if (f > 0) {
          flops += f;
          ops++;
        }
      }
      return new Count(flops, ops, unresolved);
    }
  }

  /** {@code def} with every unknown placeholder dimension set to {@code batch}. */
  static GraphDef withBatch(GraphDef def, long batch) {
    GraphDef.Builder b = def.toBuilder();
    for (NodeDef.Builder n : b.getNodeBuilderList()) {
      if (!n.getOp().equals("Placeholder") || !n.containsAttr("shape")) {
        continue;
      }
      TensorShapeProto shape = n.getAttrOrThrow("shape").getShape();
      if (shape.getUnknownRank()) {
        continue;
      }
      TensorShapeProto.Builder s = shape.toBuilder();
      for (TensorShapeProto.Dim.Builder d : s.getDimBuilderList()) {
        if (d.getSize() < 0) {
          d.setSize(batch);
        }
      }
      n.putAttr("shape", AttrValue.newBuilder().setShape(s).build());
    }
    return b.build();
  }

  /** The flops of one op: 0 for ops not counted, NaN when a needed shape is unknown. */
  static double flops(GraphOperation op) {
    switch (op.type()) {
      case "MatMul": {
        long[] a = dims(op.input(0).shape());
        long[] out = dims(op.output(0).shape());
        if (a == null || out == null || a.length != 2) {
          return Double.NaN;
        }
        long k = op.attributes().getAttrBool("transpose_a") ? a[0] : a[1];
        return 2.0 * elements(out) * k;
      }
      case "BatchMatMul":
      case "BatchMatMulV2":
      case "BatchMatMulV3": {
        long[] x = dims(op.input(0).shape());
        long[] out = dims(op.output(0).shape());
        if (x == null || out == null || x.length < 2) {
          return Double.NaN;
        }
        long k = op.attributes().getAttrBool("adj_x") ? x[x.length - 2] : x[x.length - 1];
        return 2.0 * elements(out) * k;
      }
      case "Conv2D": {
        long[] filter = dims(op.input(1).shape());
        long[] out = dims(op.output(0).shape());
        return filter == null || out == null ? Double.NaN : 2.0 * elements(out) * filter[0] * filter[1] * filter[2];
      }
      case "Conv2DBackpropInput": {
        long[] filter = dims(op.input(1).shape());
        long[] dy = dims(op.input(2).shape());
        return filter == null || dy == null ? Double.NaN : 2.0 * elements(dy) * filter[0] * filter[1] * filter[2];
      }
      case "Conv2DBackpropFilter": {
        long[] filter = dims(op.output(0).shape());
        long[] dy = dims(op.input(2).shape());
        return filter == null || dy == null ? Double.NaN : 2.0 * elements(dy) * filter[0] * filter[1] * filter[2];
      }
      default:
        return 0;
    }
  }

  /** The dimensions, or null if the rank or any dimension is unknown. */
  private static long[] dims(Shape s) {
    if (s.isUnknown() || s.hasUnknownDimension()) {
      return null;
    }
    return s.asArray();
  }

  private static double elements(long[] d) {
    double n = 1;
    for (long x : d) {
      n *= x;
    }
    return n;
  }

  /**
   * The count of one accumulation step of {@code product} in {@code g} over a batch of {@code
   * batch} examples of {@code data}, as it runs: without what the product cache feeds.
   */
  public static Count of(CurvatureGraph g, CurvatureOperator product, BatchedData data, long batch) {
    Set<String> fed = new HashSet<>();
    for (Output<?> o : g.productFeeds(product, data)) {
      fed.add(o.op().name() + ":" + o.index());
    }
    return of(g.productTargets(product), fed, batch);
  }
}
