package org.hesspec.model.graph;

import org.tensorflow.proto.GraphDef;

/**
 * The import pipeline that makes an exported model twice differentiable: inline function calls,
 * fold inference-mode batch norm, and optionally convert to float64 — in that order, because
 * folding needs the batch norms that bodies hide, and float64 needs the folded arithmetic
 * (FusedBatchNorm has no float64 kernel).
 */
public final class GraphRewrites {
  private GraphRewrites() {}

  /**
   * @param graph a GraphDef with its function library, e.g. a SavedModel's MetaGraphDef graph
   * @param float64 whether to convert the result to float64
   * @return the rewritten graph, with {@link InlinedGraph#resolve} for the signature tensors; in
   *     float64, calls of TF2 restore functions are dropped (see {@link
   *     Float64Converter.Conversion#droppedSaverCalls()}): feed parameter values instead
   * @throws GraphRewriteException naming the node that cannot be rewritten
   */
  public static InlinedGraph prepareForCurvature(GraphDef graph, boolean float64) {
    InlinedGraph inlined = FunctionInliner.inline(graph);
    GraphDef folded = BatchNormFolder.fold(inlined.graphDef());
    return inlined.withGraphDef(float64 ? Float64Converter.convert(folded).graphDef() : folded);
  }
}
