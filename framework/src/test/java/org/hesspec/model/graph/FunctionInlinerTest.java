package org.hesspec.model.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * Inlining hand-written FunctionDefs, one rule at a time: structured-to-flat tensor names, a direct
 * call by function name, IdentityN bypass, control inputs in and out, colocation, name clashes,
 * functional control flow.
 */
class FunctionInlinerTest {
  private static final AttrValue FLOAT = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();

  /**
   * {@code scale_shift(x, s) -> (y = x * s + 1, z = x)}, where y passes through IdentityN and z is
   * element 1 of that IdentityN; a NoOp is its control output.
   */
  private static FunctionDef scaleShift() {
    return FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("scale_shift")
            .addInputArg(arg("x")).addInputArg(arg("s")).addOutputArg(arg("y")).addOutputArg(arg("z")))
        .addNodeDef(NodeDef.newBuilder().setName("mul").setOp("Mul").addInput("x").addInput("s").putAttr("T", FLOAT))
        .addNodeDef(NodeDef.newBuilder().setName("ident").setOp("IdentityN").addInput("mul:z:0").addInput("x")
            .putAttr("T", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
                .addType(DataType.DT_FLOAT).addType(DataType.DT_FLOAT)).build()))
        .addNodeDef(NodeDef.newBuilder().setName("one").setOp("Const").putAttr("dtype", FLOAT)
            .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(1f)).build())
            .putAttr("_class", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
                .addS(ByteString.copyFromUtf8("loc:@mul")).addS(ByteString.copyFromUtf8("loc:@elsewhere"))).build()))
        .addNodeDef(NodeDef.newBuilder().setName("add").setOp("AddV2").addInput("ident:output:0").addInput("one:output:0")
            .putAttr("T", FLOAT))
        .addNodeDef(NodeDef.newBuilder().setName("done").setOp("NoOp").addInput("^add"))
        .putRet("y", "add:z:0")
        .putRet("z", "ident:output:1")
        .putControlRet("done", "done")
        .build();
  }

  private static OpDef.ArgDef arg(String name) {
    return OpDef.ArgDef.newBuilder().setName(name).setType(DataType.DT_FLOAT).build();
  }

  private static NodeDef placeholder(String name) {
    return NodeDef.newBuilder().setName(name).setOp("Placeholder").putAttr("dtype", FLOAT).build();
  }

  private static GraphDef directCallGraph(NodeDef... extra) {
    GraphDef.Builder g = GraphDef.newBuilder()
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(scaleShift()))
        .addNode(placeholder("a"))
        .addNode(placeholder("b"))
        .addNode(NodeDef.newBuilder().setName("dep").setOp("NoOp"))
        // a direct call: the op is the function's name
        .addNode(NodeDef.newBuilder().setName("call").setOp("scale_shift").addInput("a").addInput("b").addInput("^dep"))
        .addNode(NodeDef.newBuilder().setName("out").setOp("Identity").addInput("call").putAttr("T", FLOAT))
        .addNode(NodeDef.newBuilder().setName("out2").setOp("Identity").addInput("call:1").putAttr("T", FLOAT))
        .addNode(NodeDef.newBuilder().setName("after").setOp("NoOp").addInput("^call"));
    for (NodeDef n : extra) {
      g.addNode(n);
    }
    return g.build();
  }

  @Test
  void directCallIsInlinedWithFlatNamesAndRewiredConsumers() {
    InlinedGraph inlined = FunctionInliner.inline(directCallGraph());
    GraphDef g = inlined.graphDef();
    assertFalse(g.getNodeList().stream().anyMatch(n -> n.getName().equals("call")));
    assertEquals("call/add:0", inlined.resolve("call:0"));
    assertEquals("call/add:0", inlined.resolve("call"));
    assertEquals("a:0", inlined.resolve("call:1"), "z is x through IdentityN, i.e. the call's input a");
    assertEquals("b:0", inlined.resolve("b"));
    assertThrows(IllegalArgumentException.class, () -> inlined.resolve("nowhere:0"));

    assertEquals(List.of("a:0", "b:0", "^dep"), node(g, "call/mul").getInputList(), "the call's control input reaches the body's roots");
    assertEquals(List.of("^dep"), node(g, "call/one").getInputList());
    assertEquals(List.of("call/mul:0", "call/one:0"), node(g, "call/add").getInputList(), "IdentityN bypassed");
    assertEquals(List.of("call/add:0"), node(g, "out").getInputList());
    assertEquals(List.of("a:0"), node(g, "out2").getInputList());
    assertEquals(List.of("^call/add", "^call/ident", "^call/done"), node(g, "after").getInputList());
    assertEquals(List.of(ByteString.copyFromUtf8("loc:@call/mul")),
        node(g, "call/one").getAttrMap().get("_class").getList().getSList());

    try (Graph graph = new Graph()) {
      graph.importGraphDef(g);
      try (Session s = new Session(graph);
          TFloat32 a = TFloat32.scalarOf(3f);
          TFloat32 b = TFloat32.scalarOf(2f)) {
        Map<String, TFloat32> feeds = Map.of("a:0", a, "b:0", b);
        assertArrayEquals(new double[] {7}, TfTestSupport.run(s, feeds, "out:0"), 0.0);
        assertArrayEquals(new double[] {3}, TfTestSupport.run(s, feeds, "out2:0"), 0.0);
        s.runner().feed("a:0", a).feed("b:0", b).addTarget("after").run();
      }
    }
  }

  @Test
  void bodyNamesThatWouldClashGetAFreshPrefix() {
    InlinedGraph inlined = FunctionInliner.inline(directCallGraph(placeholder("call/mul")));
    assertEquals("call_inlined_1/add:0", inlined.resolve("call:0"));
    assertEquals("Placeholder", node(inlined.graphDef(), "call/mul").getOp());
  }

  @Test
  void partitionedCallOfAFunctionWithFunctionalControlFlowIsRejectedNamingTheNode() {
    FunctionDef looping = FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("looping").addInputArg(arg("x")).addOutputArg(arg("y")))
        .addNodeDef(NodeDef.newBuilder().setName("loop").setOp("StatelessWhile").addInput("x"))
        .putRet("y", "loop:output:0")
        .build();
    GraphDef g = GraphDef.newBuilder()
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(looping))
        .addNode(placeholder("a"))
        .addNode(NodeDef.newBuilder().setName("pc").setOp("PartitionedCall").addInput("a")
            .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("looping")).build()))
        .build();
    GraphRewriteException e = assertThrows(GraphRewriteException.class, () -> FunctionInliner.inline(g));
    assertEquals("pc/loop", e.node());
    assertTrue(e.getMessage().contains("StatelessWhile") && e.getMessage().contains("looping"), e.getMessage());

    GraphDef missing = g.toBuilder().clearLibrary().build();
    GraphRewriteException m = assertThrows(GraphRewriteException.class, () -> FunctionInliner.inline(missing));
    assertEquals("pc", m.node());
  }

  private static NodeDef node(GraphDef g, String name) {
    return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
  }
}
