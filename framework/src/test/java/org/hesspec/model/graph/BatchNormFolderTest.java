package org.hesspec.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Folding inference-mode FusedBatchNormV3 into arithmetic. Tolerances: float32 results within
 * 2e-6 of the float64 reference relative to the largest magnitude (a few float32 roundings);
 * the folded graph in float64 within 1e-12 (same float32 inputs, double arithmetic).
 */
class BatchNormFolderTest {
  private static final int N = 2, S = 3, C = 4;
  private static final float EPS = 1e-3f;
  private final Random random = new Random(5);
  private final float[] x = gaussian(N * S * S * C, 2.0);
  private final float[] scale = gaussian(C, 1.0);
  private final float[] offset = gaussian(C, 1.0);
  private final float[] mean = gaussian(C, 1.0);
  private final float[] variance = positive(C);

  @Test
  void foldedNhwcMatchesTheFusedOpAndConvertsToFloat64() {
    GraphDef original = graph("NHWC", false, false);
    GraphDef folded = BatchNormFolder.fold(original);
    assertFalse(ops(folded).contains("FusedBatchNormV3"));
    assertTrue(ops(original).contains("FusedBatchNormV3"));
    double[] reference = reference();

    double[] fused = run(original, false);
    double[] arithmetic = run(folded, false);
    assertTrue(TfTestSupport.maxRelativeDifference(reference, fused) < 2e-6);
    assertTrue(TfTestSupport.maxRelativeDifference(reference, arithmetic) < 2e-6);
    assertTrue(TfTestSupport.maxRelativeDifference(fused, arithmetic) < 2e-6);

    double[] wide = run(Float64Converter.convert(folded).graphDef(), true);
    assertTrue(TfTestSupport.maxRelativeDifference(reference, wide) < 1e-12, "diff " + TfTestSupport.maxRelativeDifference(reference, wide));
    // The unfolded op has no float64 kernel: the converter says so and names the node.
    GraphRewriteException e = assertThrows(GraphRewriteException.class, () -> Float64Converter.convert(original));
    assertEquals("bn", e.node());
    assertTrue(e.getMessage().contains("BatchNormFolder"), e.getMessage());
  }

  @Test
  void foldedNchwBroadcastsOverTheChannelAxis() {
    GraphDef folded = BatchNormFolder.fold(graph("NCHW", false, false));
    assertTrue(ops(folded).contains("Reshape"));
    assertTrue(TfTestSupport.maxRelativeDifference(reference(), run(folded, false)) < 2e-6);
    assertTrue(TfTestSupport.maxRelativeDifference(reference(), run(Float64Converter.convert(folded).graphDef(), true)) < 1e-12);
  }

  @Test
  void foldedGraphHasSecondDerivativesWithRespectToScaleAndOffset() {
    // loss = sum(y^2); d2 loss / d scale_c^2 = 2 sum over the channel of xhat^2 (xhat = (x - mean) / std).
    try (Graph g = new Graph()) {
      g.importGraphDef(BatchNormFolder.fold(graph("NHWC", false, false)));
      Ops tf = Ops.create(g);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> y = (Operand<TFloat32>) g.outputOrThrow("out");
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, y), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] xs = {g.outputOrThrow("scale")};
      Output<?>[] seed = {tf.constant(1f).asOutput()};
      Output<?>[] d1 = g.addGradients("d1", new Output<?>[] {loss.asOutput()}, xs, seed);
      Operand<TFloat32> sum = tf.reduceSum(tf.dtypes.cast(d1[0], TFloat32.class), tf.constant(0));
      Output<?>[] d2 = g.addGradients("d2", new Output<?>[] {sum.asOutput()}, xs, seed);
      try (Session s = new Session(g)) {
        double[] diag = TfTestSupport.run(s, Map.of(), d2[0].op().name() + ":" + d2[0].index());
        for (int c = 0; c < C; c++) {
          double expected = 0;
          for (int i = c; i < x.length; i += C) {
            double xhat = ((double) x[i] - mean[c]) / Math.sqrt(variance[c] + (double) EPS);
            expected += 2 * xhat * xhat;
          }
          assertEquals(expected, diag[c], 1e-4 * expected);
        }
      }
    }
  }

  @Test
  void rejectsConsumedBatchStatisticsAndTrainingMode() {
    GraphRewriteException consumed =
        assertThrows(GraphRewriteException.class, () -> BatchNormFolder.fold(graph("NHWC", false, true)));
    assertEquals("bn", consumed.node());
    assertTrue(consumed.getMessage().contains("consumed by 'stats'"), consumed.getMessage());
    GraphRewriteException training =
        assertThrows(GraphRewriteException.class, () -> BatchNormFolder.fold(graph("NHWC", true, false)));
    assertTrue(training.getMessage().contains("is_training=true"), training.getMessage());
  }

  /** x (constant) -> FusedBatchNormV3 "bn" -> Identity "out"; optionally a consumer of batch_mean. */
  private GraphDef graph(String format, boolean training, boolean consumeStatistics) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      long[] shape = format.equals("NHWC") ? new long[] {N, S, S, C} : new long[] {N, C, S, S};
      float[] input = format.equals("NHWC") ? x : toNchw(x);
      Operand<TFloat32> in = tf.withName("x").constant(Shape.of(shape), DataBuffers.of(input));
      FusedBatchNorm<TFloat32, TFloat32> bn =
          tf.withName("bn").nn.fusedBatchNorm(
              in,
              tf.withName("scale").constant(scale),
              tf.withName("offset").constant(offset),
              tf.withName("mean").constant(training ? new float[0] : mean),
              tf.withName("variance").constant(training ? new float[0] : variance),
              FusedBatchNorm.epsilon(EPS),
              FusedBatchNorm.isTraining(training),
              FusedBatchNorm.dataFormat(format));
      tf.withName("out").identity(bn.y());
      if (consumeStatistics) {
        tf.withName("stats").identity(bn.batchMean());
      }
      return g.toGraphDef();
    }
  }

  /** Evaluates "out" (in NHWC order); the graph has no placeholders. */
  private static double[] run(GraphDef def, boolean float64) {
    try (Graph g = new Graph()) {
      g.importGraphDef(def);
      try (Session s = new Session(g);
          var r = s.runner().fetch("out").run()) {
        assertEquals(float64, r.get(0) instanceof TFloat64);
        double[] v = TfTestSupport.values(r.get(0));
        return g.operation("out").output(0).shape().get(1) == C ? fromNchw(v) : v;
      }
    }
  }

  /** y in NHWC order, in double from the float32 inputs. */
  private double[] reference() {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int c = i % C;
      y[i] = ((double) x[i] - mean[c]) * scale[c] / Math.sqrt(variance[c] + (double) EPS) + offset[c];
    }
    return y;
  }

  private static float[] toNchw(float[] nhwc) {
    float[] out = new float[nhwc.length];
    for (int n = 0; n < N; n++)
      for (int h = 0; h < S; h++)
        for (int w = 0; w < S; w++)
          for (int c = 0; c < C; c++)
            out[((n * C + c) * S + h) * S + w] = nhwc[((n * S + h) * S + w) * C + c];
    return out;
  }

  private static double[] fromNchw(double[] nchw) {
    double[] out = new double[nchw.length];
    for (int n = 0; n < N; n++)
      for (int h = 0; h < S; h++)
        for (int w = 0; w < S; w++)
          for (int c = 0; c < C; c++)
            out[((n * S + h) * S + w) * C + c] = nchw[((n * C + c) * S + h) * S + w];
    return out;
  }

  private static java.util.Set<String> ops(GraphDef g) {
    java.util.Set<String> ops = new java.util.HashSet<>();
    for (NodeDef n : g.getNodeList()) {
      ops.add(n.getOp());
    }
    return ops;
  }

  private float[] gaussian(int n, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (random.nextGaussian() * sd);
    }
    return a;
  }

  private float[] positive(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (0.2 + 2 * random.nextDouble());
    }
    return a;
  }
}
