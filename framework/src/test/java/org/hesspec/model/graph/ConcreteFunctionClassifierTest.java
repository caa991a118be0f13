package org.hesspec.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * A small classifier exported by TF Java itself with its network inside function calls: {@code
 * logits = dense(square(dense(x, w1, b1)), w2, b2)}, where {@code mlp} and {@code dense} are
 * ConcreteFunctions, so the SavedModel's graph holds a {@code PartitionedCall} of {@code mlp}
 * whose body holds two {@code PartitionedCall}s of {@code dense}. (Square, not tanh: the C++
 * registry lacks TanhGrad's gradient, which is another module's business.)
 */
class ConcreteFunctionClassifierTest {
  private static final int N = 6, D = 4, H = 5, C = 3;
  private static final String[] PARAMS = {"w1", "b1", "w2", "b2"};
  private static final Random RANDOM = new Random(11);
  private static final float[][] X = randomMatrix(N, D);
  private static final float[][] LABELS = oneHot(new int[] {0, 2, 1, 1, 0, 2});
  private static final Map<String, float[][]> WEIGHTS = new LinkedHashMap<>();
  private static final Map<String, float[]> DIRECTION = new LinkedHashMap<>();

  @TempDir static Path tmp;
  private static String exportDir;

  @BeforeAll
  static void export() throws Exception {
    WEIGHTS.put("w1", randomMatrix(D, H));
    WEIGHTS.put("b1", randomMatrix(1, H));
    WEIGHTS.put("w2", randomMatrix(H, C));
    WEIGHTS.put("b2", randomMatrix(1, C));
    for (String p : PARAMS) {
      float[][] w = WEIGHTS.get(p);
      DIRECTION.put(p, flatten(randomMatrix(w.length, w[0].length)));
    }
    exportDir = tmp.resolve("classifier").toString();
    try (ConcreteFunction dense = ConcreteFunction.create(ConcreteFunctionClassifierTest::denseSignature);
        ConcreteFunction mlp = ConcreteFunction.create(tf -> mlpSignature(tf, dense));
        Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      Map<String, Operand<?>> args = new LinkedHashMap<>();
      args.put("x", x);
      for (String p : PARAMS) {
        args.put(p, tf.withName(p).variable(tf.constant(param(p))));
      }
      Operand<?> logits = mlp.call(tf, args).get("logits");
      try (Session s = new Session(g)) {
        s.initialize();
        SavedModelBundle.exporter(exportDir)
            .withSession(s)
            .withSignature(Signature.builder().key("serving_default").input("x", x).output("logits", logits).build())
            .export();
      }
    }
  }

  private static Signature denseSignature(Ops tf) {
    Operand<TFloat32> x = tf.placeholder(TFloat32.class);
    Operand<TFloat32> w = tf.placeholder(TFloat32.class);
    Operand<TFloat32> b = tf.placeholder(TFloat32.class);
    return Signature.builder("dense").input("x", x).input("w", w).input("b", b)
        .output("y", tf.math.add(tf.linalg.matMul(x, w), b)).build();
  }

  @SuppressWarnings("unchecked")
  private static Signature mlpSignature(Ops tf, ConcreteFunction dense) {
    Operand<TFloat32> x = tf.placeholder(TFloat32.class);
    Map<String, Operand<TFloat32>> p = new LinkedHashMap<>();
    for (String name : PARAMS) {
      p.put(name, tf.placeholder(TFloat32.class));
    }
    Operand<TFloat32> h = (Operand<TFloat32>) dense.call(tf, Map.of("x", x, "w", p.get("w1"), "b", p.get("b1"))).get("y");
    Operand<TFloat32> logits =
        (Operand<TFloat32>) dense.call(tf, Map.of("x", tf.math.square(h), "w", p.get("w2"), "b", p.get("b2"))).get("y");
    Signature.Builder s = Signature.builder("mlp").input("x", x);
    p.forEach(s::input);
    return s.output("logits", logits).build();
  }

  @Test
  void inlinedClassifierGivesTheSameLogitsAndAWorkingHessianVectorProduct() {
    try (SavedModelBundle bundle = SavedModelBundle.load(exportDir, "serve")) {
      GraphDef original = bundle.metaGraphDef().getGraphDef();
      String logitsName = bundle.metaGraphDef().getSignatureDefMap().get("serving_default").getOutputsMap().get("logits").getName();
      assertTrue(countOps(original, "PartitionedCall") == 1, "the export holds one call of mlp");
      assertEquals(2, original.getLibrary().getFunctionCount());

      InlinedGraph inlined = FunctionInliner.inline(original);
      assertEquals(0, countOps(inlined.graphDef(), "PartitionedCall") + countOps(inlined.graphDef(), "StatefulPartitionedCall"));
      assertEquals(2, countOps(inlined.graphDef(), "MatMul"), "both dense calls were inlined");
      List<String> reads = new ArrayList<>();
      for (VariableReads.Variable v : VariableReads.find(inlined.graphDef())) {
        assertEquals("VariableV2", v.op());
        assertEquals(1, v.reads().size());
        reads.add(v.reads().get(0));
      }
      assertEquals(List.of("w1:0", "b1:0", "w2:0", "b2:0"), reads);

      try (TFloat32 x = TFloat32.tensorOf(StdArrays.ndCopyOf(X))) {
        double[] expected = TfTestSupport.run(bundle.session(), Map.of("x:0", x), logitsName);
        try (Graph g = new Graph()) {
          g.importGraphDef(inlined.graphDef());
          try (Session s = new Session(g)) {
            restore(s, bundle.metaGraphDef().getSaverDef());
            double[] actual = TfTestSupport.run(s, Map.of("x:0", x), inlined.resolve(logitsName));
            assertTrue(TfTestSupport.maxRelativeDifference(expected, actual) < 1e-6);
          }
        }
      }

      double[] reference = hessianVectorProductOfPlainGraph();
      try (Graph g = new Graph()) {
        g.importGraphDef(inlined.graphDef());
        double[] hv = hessianVectorProduct(g, inlined.resolve(logitsName), reads);
        double diff = TfTestSupport.maxRelativeDifference(reference, hv);
        assertTrue(diff < 1e-5, "relative difference " + diff);
        assertFalse(java.util.Arrays.stream(hv).allMatch(v -> v == 0.0));
      }
      // The exported graph itself: the first derivative goes through the call (SymbolicGradient),
      // the second cannot be built.
      Exception e = assertThrows(Exception.class,
          () -> hessianVectorProduct(bundle.graph(), logitsName, List.of("w1:0", "b1:0", "w2:0", "b2:0")));
      assertTrue(e.getMessage().contains("SymbolicGradient"), e.getMessage());
    }
  }

  /** The same network built from plain ops, weights fed through placeholders. */
  private static double[] hessianVectorProductOfPlainGraph() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      Map<String, Operand<TFloat32>> p = new LinkedHashMap<>();
      for (String name : PARAMS) {
        p.put(name, tf.withName(name).placeholder(TFloat32.class));
      }
      Operand<TFloat32> h = tf.math.add(tf.linalg.matMul(x, p.get("w1")), p.get("b1"));
      Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(tf.math.square(h), p.get("w2")), p.get("b2"));
      return hessianVectorProduct(g, logits.asOutput().op().name() + ":0", List.of("w1:0", "b1:0", "w2:0", "b2:0"));
    }
  }

  /**
   * Hv of the mean softmax cross-entropy w.r.t. the parameters fed at {@code params}, with x, the
   * labels and the weights fed: gradient, then the gradient of its inner product with v.
   */
  @SuppressWarnings("unchecked")
  private static double[] hessianVectorProduct(Graph g, String logitsName, List<String> params) {
    Ops tf = Ops.create(g).withSubScope("hvp" + System.nanoTime());
    Operand<TFloat32> logits = (Operand<TFloat32>) g.outputOrThrow(logitsName);
    Operand<TFloat32> labels = tf.constant(LABELS);
    Operand<TFloat32> loss =
        tf.math.neg(tf.math.mean(tf.reduceSum(tf.math.mul(labels, tf.nn.logSoftmax(logits)), tf.constant(1)), tf.constant(0)));
    Output<?>[] xs = params.stream().map(g::outputOrThrow).toArray(Output<?>[]::new);
    Output<?>[] seed = {tf.constant(1f).asOutput()};
    Output<?>[] grad = g.addGradients(null, new Output<?>[] {loss.asOutput()}, xs, seed);
    Operand<TFloat32> dot = null;
    for (int i = 0; i < PARAMS.length; i++) {
      float[][] w = WEIGHTS.get(PARAMS[i]);
      Operand<TFloat32> v = tf.constant(Shape.of(w.length, w[0].length), DataBuffers.of(DIRECTION.get(PARAMS[i])));
      Operand<TFloat32> gi = tf.reshape((Operand<TFloat32>) grad[i], tf.constant(new long[] {w.length, w[0].length}));
      Operand<TFloat32> term = tf.reduceSum(tf.math.mul(gi, v), tf.constant(new int[] {0, 1}));
      dot = dot == null ? term : tf.math.add(dot, term);
    }
    Output<?>[] hv = g.addGradients(null, new Output<?>[] {dot.asOutput()}, xs, seed);
    List<Tensor> feeds = new ArrayList<>();
    try (Session s = new Session(g)) {
      Session.Runner r = s.runner();
      TFloat32 xt = TFloat32.tensorOf(StdArrays.ndCopyOf(X));
      feeds.add(xt);
      r.feed("x:0", xt);
      for (int i = 0; i < PARAMS.length; i++) {
        TFloat32 t = TFloat32.tensorOf(StdArrays.ndCopyOf(param(PARAMS[i])));
        feeds.add(t);
        r.feed(params.get(i), t);
      }
      for (Output<?> o : hv) {
        r.fetch(o);
      }
      List<Double> all = new ArrayList<>();
      try (var result = r.run()) {
        for (int i = 0; i < hv.length; i++) {
          for (double d : TfTestSupport.values(result.get(i))) {
            all.add(d);
          }
        }
      }
      return all.stream().mapToDouble(Double::doubleValue).toArray();
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  private static void restore(Session s, SaverDef saver) {
    try (TString prefix = TString.scalarOf(exportDir + "/variables/variables")) {
      s.runner().feed(saver.getFilenameTensorName(), prefix).addTarget(saver.getRestoreOpName()).run();
    }
  }

  /** Biases are stored as vectors, weights as matrices. */
  private static float[][] param(String name) {
    return WEIGHTS.get(name);
  }

  private static int countOps(GraphDef g, String op) {
    int n = 0;
    for (NodeDef node : g.getNodeList()) {
      n += node.getOp().equals(op) ? 1 : 0;
    }
    return n;
  }

  private static float[][] randomMatrix(int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) (RANDOM.nextGaussian() * 0.5);
      }
    }
    return m;
  }

  private static float[] flatten(float[][] m) {
    float[] f = new float[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, f, i * m[0].length, m[0].length);
    }
    return f;
  }

  private static float[][] oneHot(int[] labels) {
    float[][] y = new float[labels.length][C];
    for (int i = 0; i < labels.length; i++) {
      y[i][labels[i]] = 1f;
    }
    return y;
  }
}
