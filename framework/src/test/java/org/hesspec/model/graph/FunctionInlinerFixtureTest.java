package org.hesspec.model.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Inlining the TF2 fixture {@code saved_model_using_python} (Apache-2.0, from TensorFlow Java's
 * test resources). Its signatures, each a {@code (Stateful)PartitionedCall} of a {@code
 * signature_wrapper} function that itself calls the traced method: {@code add(a, b) = a + b},
 * {@code get_const_scalar/vector/matrix(x) = c + x} with zero constants of rank 0, 1 ([3]) and 2
 * ([2, 3]), and {@code get_variable(dummy) = variable}, a resource variable holding 2.0 in the
 * checkpoint. The saver lives in {@code _traced_save}/{@code _traced_restore} functions.
 */
class FunctionInlinerFixtureTest {
  private static final String DIR = TfTestSupport.resource("/fixtures/saved_model_using_python/model").toString();
  private static SavedModelBundle bundle;
  private static MetaGraphDef meta;
  private static InlinedGraph inlined;

  @BeforeAll
  static void load() {
    bundle = SavedModelBundle.load(DIR, "serve");
    meta = bundle.metaGraphDef();
    inlined = FunctionInliner.inline(meta.getGraphDef());
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  private static Map<String, SignatureDef> signatures() {
    Map<String, SignatureDef> s = new HashMap<>(meta.getSignatureDefMap());
    s.remove("__saved_model_init_op");
    return s;
  }

  private static String restoreCall(GraphDef g) {
    for (NodeDef n : g.getNodeList()) {
      if (n.getOp().equals("StatefulPartitionedCall")
          && n.getAttrMap().get("f").getFunc().getName().contains("_traced_restore")) {
        return n.getName();
      }
    }
    throw new AssertionError("no restore call");
  }

  @Test
  void inlinedGraphComputesEverySignatureLikeTheOriginal() {
    float[][] x = {{1f, -2f, 3f}, {0.5f, 4f, -6f}};
    try (Graph g = new Graph()) {
      g.importGraphDef(inlined.graphDef());
      try (Session s = new Session(g);
          TString prefix = TString.scalarOf(DIR + "/variables/variables")) {
        // The saver function was left alone: it restores the checkpoint into the inlined graph.
        s.runner().feed("saver_filename", prefix).addTarget(restoreCall(inlined.graphDef())).run();
        assertEquals(5, signatures().size());
        for (Map.Entry<String, SignatureDef> sig : signatures().entrySet()) {
          Map<String, Tensor> feeds = new HashMap<>();
          try {
            for (TensorInfo in : sig.getValue().getInputsMap().values()) {
              feeds.put(in.getName(), TFloat32.tensorOf(StdArrays.ndCopyOf(x)));
            }
            String output = sig.getValue().getOutputsMap().get("output_0").getName();
            double[] expected = TfTestSupport.run(bundle.session(), feeds, output);
            double[] actual = TfTestSupport.run(s, feeds, inlined.resolve(output));
            assertArrayEquals(expected, actual, 0.0, sig.getKey());
            if (sig.getKey().equals("get_variable")) {
              assertArrayEquals(new double[] {2.0}, actual, 0.0);
            } else if (sig.getKey().equals("add")) {
              assertEquals(2 * x[1][2], actual[5], 0.0);
            }
          } finally {
            feeds.values().forEach(Tensor::close);
          }
        }
      }
    }
  }

  @Test
  void noCallOpRemainsOnAnyOutputPathAndOnlySaverCallsRemainAtAll() {
    List<String> resolved = new ArrayList<>();
    for (SignatureDef sig : signatures().values()) {
      String output = sig.getOutputsMap().get("output_0").getName();
      String r = inlined.resolve(output);
      assertNotEquals(TensorNamesForTest.node(output), TensorNamesForTest.node(r), "call output must be renamed");
      resolved.add(r);
      // Before inlining, the output is a call.
      assertTrue(opsOnPath(meta.getGraphDef(), List.of(output)).stream().anyMatch(FunctionInliner.CALL_OPS::contains));
    }
    Set<String> pathOps = opsOnPath(inlined.graphDef(), resolved);
    assertFalse(pathOps.stream().anyMatch(FunctionInliner.CALL_OPS::contains), pathOps.toString());
    assertFalse(pathOps.contains("IdentityN"));
    for (NodeDef n : inlined.graphDef().getNodeList()) {
      if (FunctionInliner.CALL_OPS.contains(n.getOp())) {
        assertTrue(n.getAttrMap().get("f").getFunc().getName().contains("_traced_"), n.getName());
      }
    }
    assertTrue(inlined.opTypes().contains("ReadVariableOp"));
  }

  @Test
  void variableReadsListEveryReadOfTheResourceVariable() {
    List<VariableReads.Variable> vars = VariableReads.find(inlined.graphDef());
    assertEquals(1, vars.size());
    VariableReads.Variable v = vars.get(0);
    assertEquals("Variable", v.variable());
    assertEquals("VarHandleOp", v.op());
    assertEquals(org.tensorflow.proto.DataType.DT_FLOAT, v.dtype());
    assertEquals(0, v.shape().getDimCount());
    // The top-level read (used by the saver) and the read inlined from get_variable's body, whose
    // input is the outer VarHandleOp itself.
    assertEquals(Set.of("Variable/Read/ReadVariableOp:0", "StatefulPartitionedCall/StatefulPartitionedCall/ReadVariableOp:0"),
        Set.copyOf(v.reads()));
    assertEquals(List.of(restoreCall(inlined.graphDef())), v.otherUses());
    NodeDef read = node(inlined.graphDef(), "StatefulPartitionedCall/StatefulPartitionedCall/ReadVariableOp");
    assertEquals(List.of("Variable:0"), read.getInputList());
  }

  @Test
  void secondDerivativesBuildAndRunAfterInliningOnly() {
    // Through the variable: loss = v^3, d/dv = 3 v^2, d2/dv2 = 6 v, at a fed v = 1.5.
    String variableOutput = signatures().get("get_variable").getOutputsMap().get("output_0").getName();
    String read = "StatefulPartitionedCall/StatefulPartitionedCall/ReadVariableOp:0";
    try (Graph g = new Graph()) {
      g.importGraphDef(inlined.graphDef());
      double[] d = cubeDerivatives(g, inlined.resolve(variableOutput), read, 1.5f, Map.of());
      assertArrayEquals(new double[] {3.375, 6.75, 9.0}, d, 1e-6);
    }
    // Through the inputs of `add`: loss = (a + b)^3, d2/da2 = 6 (a + b).
    String addOutput = signatures().get("add").getOutputsMap().get("output_0").getName();
    try (Graph g = new Graph();
        TFloat32 b = TFloat32.scalarOf(0.25f)) {
      g.importGraphDef(inlined.graphDef());
      double[] d = cubeDerivatives(g, inlined.resolve(addOutput), "add_a:0", 0.75f, Map.of("add_b:0", b));
      assertArrayEquals(new double[] {1.0, 3.0, 6.0}, d, 1e-6);
    }

    // The original graph: the variable read is unreachable from the call's output, and the second
    // derivative through the call has no C++ gradient (SymbolicGradient).
    try (TFloat32 b = TFloat32.scalarOf(0.25f)) {
      Exception viaVariable =
          assertThrows(Exception.class,
              () -> cubeDerivatives(bundle.graph(), variableOutput, "Variable/Read/ReadVariableOp:0", 1.5f, Map.of()));
      assertTrue(viaVariable.getMessage().contains("unreachable"), viaVariable.getMessage());
      Exception viaCall =
          assertThrows(Exception.class,
              () -> cubeDerivatives(bundle.graph(), addOutput, "add_a:0", 0.75f, Map.of("add_b:0", b)));
      assertTrue(viaCall.getMessage().contains("SymbolicGradient"), viaCall.getMessage());
    }
  }

  /**
   * loss = y^3 for the scalar y, then d loss/dx and d2 loss/dx2 by {@code addGradients} twice with
   * an explicit seed of 1 (the default seed, OnesLike, has no gradient); x is fed.
   */
  @SuppressWarnings("unchecked")
  private static double[] cubeDerivatives(Graph g, String y, String x, float xValue, Map<String, TFloat32> feeds) {
    Ops tf = Ops.create(g).withSubScope("cube" + System.nanoTime());
    Operand<TFloat32> yy = (Operand<TFloat32>) g.outputOrThrow(y);
    Operand<TFloat32> loss = tf.math.mul(tf.math.mul(yy, yy), yy);
    Output<?> xx = g.outputOrThrow(x);
    Output<?> seed = tf.constant(1f).asOutput();
    Output<?>[] d1 = g.addGradients(null, new Output<?>[] {loss.asOutput()}, new Output<?>[] {xx}, new Output<?>[] {seed});
    Output<?>[] d2 = g.addGradients(null, new Output<?>[] {d1[0]}, new Output<?>[] {xx}, new Output<?>[] {seed});
    try (Session s = new Session(g);
        TFloat32 xt = TFloat32.scalarOf(xValue)) {
      Session.Runner r = s.runner().feed(x, xt);
      feeds.forEach(r::feed);
      try (var result = r.fetch(loss).fetch(d1[0]).fetch(d2[0]).run()) {
        return new double[] {
          TfTestSupport.values(result.get(0))[0], TfTestSupport.values(result.get(1))[0], TfTestSupport.values(result.get(2))[0]
        };
      }
    }
  }

  private static Set<String> opsOnPath(GraphDef g, List<String> tensors) {
    Set<String> nodes = GraphWalk.ancestors(g, tensors);
    Set<String> ops = new java.util.HashSet<>();
    for (NodeDef n : g.getNodeList()) {
      if (nodes.contains(n.getName())) {
        ops.add(n.getOp());
      }
    }
    return ops;
  }

  private static NodeDef node(GraphDef g, String name) {
    return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
  }

  /** Tensor-name parsing for assertions, independent of the class under test. */
  private static final class TensorNamesForTest {
    static String node(String tensor) {
      int colon = tensor.lastIndexOf(':');
      return colon < 0 ? tensor : tensor.substring(0, colon);
    }
  }
}
