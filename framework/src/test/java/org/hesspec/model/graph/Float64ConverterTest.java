package org.hesspec.model.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TString;

/** Converting float32 graphs to float64. */
class Float64ConverterTest {
  private final Random random = new Random(3);

  @TempDir Path tmp;

  @Test
  void convNetInFloat64AgreesWithFloat32() {
    GraphDef f32 = stripAttr(convNet(), "pool", "T"); // as exports strip T = DT_FLOAT (the default)
    GraphDef f64 = Float64Converter.convert(f32).graphDef();
    assertEquals(DataType.DT_DOUBLE, node(f64, "pool").getAttrMap().get("T").getType());
    for (NodeDef n : f64.getNodeList()) {
      assertFalse(mentionsFloat32(n), n.toString());
    }
    float[] x = gaussian(2 * 6 * 6 * 3);
    double[] wide = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      wide[i] = x[i];
    }
    double[] p32, p64;
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(2, 6, 6, 3), DataBuffers.of(x))) {
      p32 = evaluate(f32, Map.of("x:0", t), "logits:0");
    }
    try (TFloat64 t = TFloat64.tensorOf(Shape.of(2, 6, 6, 3), DataBuffers.of(wide))) {
      p64 = evaluate(f64, Map.of("x:0", t), "logits:0");
    }
    double diff = TfTestSupport.maxRelativeDifference(p64, p32);
    assertTrue(diff < 2e-6 && diff > 0, "float32 vs float64 relative difference " + diff);
  }

  @Test
  void constantsAreWidenedElementForElement() {
    float[] content = {0.1f, -7.3f, 1e-30f, 3e30f, 1f / 3};
    ByteBuffer bytes = ByteBuffer.allocate(content.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : content) {
      bytes.putFloat(f);
    }
    bytes.flip();
    GraphDef g =
        GraphDef.newBuilder()
            .addNode(constant("values", TensorProto.newBuilder().addFloatVal(1.5f).addFloatVal(-2.25f).addFloatVal(3.1f), 3))
            .addNode(constant("repeated", TensorProto.newBuilder().addFloatVal(0.1f), 2, 3))
            .addNode(constant("short", TensorProto.newBuilder().addFloatVal(1f).addFloatVal(2.7f), 4))
            .addNode(constant("content", TensorProto.newBuilder().setTensorContent(ByteString.copyFrom(bytes)), 5))
            .build();
    GraphDef wide = Float64Converter.convert(g).graphDef();
    TensorProto widened = node(wide, "content").getAttrMap().get("value").getTensor();
    assertEquals(DataType.DT_DOUBLE, widened.getDtype());
    assertEquals(40, widened.getTensorContent().size());
    assertEquals(List.of(1.5, -2.25, (double) 3.1f), node(wide, "values").getAttrMap().get("value").getTensor().getDoubleValList());
    assertEquals(0, node(wide, "values").getAttrMap().get("value").getTensor().getFloatValCount());

    assertArrayEquals(new double[] {1.5, -2.25, 3.1f}, evaluate(wide, Map.of(), "values:0"), 0.0);
    assertArrayEquals(new double[] {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f}, evaluate(wide, Map.of(), "repeated:0"), 0.0);
    assertArrayEquals(new double[] {1f, 2.7f, 2.7f, 2.7f}, evaluate(wide, Map.of(), "short:0"), 0.0);
    double[] expected = new double[content.length];
    for (int i = 0; i < content.length; i++) {
      expected[i] = content[i];
    }
    assertArrayEquals(expected, evaluate(wide, Map.of(), "content:0"), 0.0);
  }

  @Test
  void rejectsOpsWithoutFloat64KernelsNamingNodeAndOp() {
    for (String op : List.of("LRN", "MaxPool3D", "AvgPool3D")) {
      NodeDef input = placeholder("in");
      NodeDef n =
          NodeDef.newBuilder().setName("layer/" + op).setOp(op).addInput("in")
              .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
              .putAttr("ksize", ints(1, 2, 2, 2, 1)).putAttr("strides", ints(1, 1, 1, 1, 1))
              .putAttr("padding", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("VALID")).build())
              .build();
      if (op.equals("LRN")) {
        n = n.toBuilder().removeAttr("ksize").removeAttr("strides").removeAttr("padding").build();
      }
      GraphDef g = GraphDef.newBuilder().addNode(input).addNode(n).build();
      GraphRewriteException e = assertThrows(GraphRewriteException.class, () -> Float64Converter.convert(g));
      assertEquals("layer/" + op, e.node());
      assertTrue(e.getMessage().contains("'" + op + "' has no float64"), e.getMessage());
    }
  }

  @Test
  void checkpointOpsStayFloat32AndRestoreTheFloat32CheckpointThroughCasts() throws Exception {
    String dir = tmp.resolve("linear").toString();
    float[] w = {1.5f, -2f, 0.25f, 4f};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      Operand<TFloat32> weights = tf.withName("w").variable(tf.constant(Shape.of(2, 2), DataBuffers.of(w)));
      Operand<TFloat32> y = tf.withName("y").linalg.matMul(x, weights);
      try (Session s = new Session(g)) {
        s.initialize();
        SavedModelBundle.exporter(dir).withSession(s)
            .withSignature(Signature.builder().input("x", x).output("y", y).build()).export();
      }
    }
    MetaGraphDef meta;
    try (SavedModelBundle b = SavedModelBundle.load(dir, "serve")) {
      meta = b.metaGraphDef();
    }
    Float64Converter.Conversion conversion = Float64Converter.convert(meta.getGraphDef());
    assertEquals(List.of(), conversion.droppedSaverCalls());
    GraphDef wide = conversion.graphDef();
    NodeDef restore = wide.getNodeList().stream().filter(n -> n.getOp().equals("RestoreV2")).findFirst().orElseThrow();
    assertTrue(restore.getAttrMap().get("dtypes").getList().getTypeList().contains(DataType.DT_FLOAT));
    try (Graph g = new Graph()) {
      g.importGraphDef(wide);
      try (Session s = new Session(g);
          TString prefix = TString.scalarOf(dir + "/variables/variables");
          TFloat64 x = TFloat64.tensorOf(Shape.of(1, 2), DataBuffers.of(1.0, 10.0))) {
        s.initialize(); // runs the float64 initialiser; the restore below must replace its values
        s.runner().feed(meta.getSaverDef().getFilenameTensorName(), prefix)
            .addTarget(meta.getSaverDef().getRestoreOpName()).run();
        assertArrayEquals(new double[] {1.5 + 10 * 0.25, -2 + 10 * 4}, TfTestSupport.run(s, Map.of("x:0", x), "y:0"), 0.0);
        // Saving goes through casts to float32 as well.
        try (TString again = TString.scalarOf(tmp.resolve("again").toString())) {
          s.runner().feed(meta.getSaverDef().getFilenameTensorName(), again)
              .addTarget(meta.getSaverDef().getSaveTensorName().replaceAll(":\\d+$", "")).run();
        }
      }
    }
  }

  @Test
  void rejectsCallsThatWereNotInlinedAndPipelineConvertsTheFixture() {
    String dir = TfTestSupport.resource("/fixtures/saved_model_using_python/model").toString();
    GraphDef original;
    try (SavedModelBundle b = SavedModelBundle.load(dir, "serve")) {
      original = b.metaGraphDef().getGraphDef();
    }
    GraphRewriteException e = assertThrows(GraphRewriteException.class, () -> Float64Converter.convert(original));
    assertTrue(e.getMessage().contains("inline it first"), e.getMessage());

    // The TF2 restore call is dropped (its float32 body cannot assign to float64 variables); the
    // save call stays, fed through a cast to float32.
    Float64Converter.Conversion conversion = Float64Converter.convert(FunctionInliner.inline(original).graphDef());
    assertEquals(List.of("StatefulPartitionedCall_2"), conversion.droppedSaverCalls());
    NodeDef save = node(conversion.graphDef(), "StatefulPartitionedCall_1");
    assertEquals("StatefulPartitionedCall_1/to_float32_1:0", save.getInput(1));

    InlinedGraph prepared = GraphRewrites.prepareForCurvature(original, true);
    try (TFloat64 a = TFloat64.scalarOf(0.1);
        TFloat64 b = TFloat64.scalarOf(0.2);
        TFloat64 v = TFloat64.scalarOf(1.0 / 3)) {
      assertArrayEquals(new double[] {0.1 + 0.2},
          evaluate(prepared.graphDef(), Map.of("add_a:0", a, "add_b:0", b), prepared.resolve("PartitionedCall:0")), 0.0);
      assertArrayEquals(new double[] {1.0 / 3},
          evaluate(prepared.graphDef(), Map.of("StatefulPartitionedCall/StatefulPartitionedCall/ReadVariableOp:0", v),
              prepared.resolve("StatefulPartitionedCall:0")), 0.0);
    }
  }

  /** conv 3x3 (4 filters) + bias + relu, max pool 2x2 ("pool"), dense to 5 logits. */
  private GraphDef convNet() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      Operand<TFloat32> filter = tf.constant(Shape.of(3, 3, 3, 4), DataBuffers.of(gaussian(3 * 3 * 3 * 4)));
      Operand<TFloat32> conv = tf.nn.conv2d(x, filter, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> relu = tf.nn.relu(tf.nn.biasAdd(conv, tf.constant(gaussian(4))));
      Operand<TFloat32> pool =
          tf.withName("pool").nn.maxPool(relu, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
      Operand<TFloat32> flat = tf.reshape(pool, tf.constant(new int[] {-1, 36}));
      Operand<TFloat32> dense = tf.linalg.matMul(flat, tf.constant(Shape.of(36, 5), DataBuffers.of(gaussian(36 * 5))));
      tf.withName("logits").math.add(dense, tf.constant(new float[] {0.5f, -0.25f, 0f, 1f, 2f}));
      return g.toGraphDef();
    }
  }

  private static double[] evaluate(GraphDef def, Map<String, ? extends Tensor> feeds, String fetch) {
    try (Graph g = new Graph()) {
      g.importGraphDef(def);
      try (Session s = new Session(g)) {
        return TfTestSupport.run(s, feeds, fetch);
      }
    }
  }

  private static boolean mentionsFloat32(NodeDef n) {
    for (AttrValue v : n.getAttrMap().values()) {
      if (v.getType() == DataType.DT_FLOAT
          || v.getList().getTypeList().contains(DataType.DT_FLOAT)
          || (v.hasTensor() && v.getTensor().getDtype() == DataType.DT_FLOAT)) {
        return true;
      }
    }
    return false;
  }

  private static GraphDef stripAttr(GraphDef g, String node, String attr) {
    GraphDef.Builder b = g.toBuilder();
    for (NodeDef.Builder n : b.getNodeBuilderList()) {
      if (n.getName().equals(node)) {
        assertTrue(n.containsAttr(attr));
        n.removeAttr(attr);
      }
    }
    return b.build();
  }

  private static NodeDef constant(String name, TensorProto.Builder value, long... shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : shape) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return NodeDef.newBuilder().setName(name).setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(value.setDtype(DataType.DT_FLOAT).setTensorShape(s)).build())
        .build();
  }

  private static NodeDef placeholder(String name) {
    return NodeDef.newBuilder().setName(name).setOp("Placeholder")
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).build();
  }

  private static AttrValue ints(long... values) {
    AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
    for (long v : values) {
      l.addI(v);
    }
    return AttrValue.newBuilder().setList(l).build();
  }

  private static NodeDef node(GraphDef g, String name) {
    return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
  }

  private float[] gaussian(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return a;
  }
}
