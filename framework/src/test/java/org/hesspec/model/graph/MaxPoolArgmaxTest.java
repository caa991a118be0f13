package org.hesspec.model.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * {@link MaxPoolArgmax}: MaxPool (attribute windows) and MaxPoolV2 (constant windows), SAME and
 * VALID, overlapping and not, become MaxPoolWithArgmax with the same outputs bit for bit; other
 * layouts are left alone. (Its derivatives are checked where products are: NonlinearCurvatureTest's
 * CNN pools 2x2 with stride 1 and is compared with finite differences and the dense Hessian.)
 */
class MaxPoolArgmaxTest {

  @Test
  void poolsBecomeMaxPoolWithArgmaxWithTheSameOutput() {
    float[] x = new float[2 * 6 * 6 * 3];
    Random r = new Random(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6, 6, 3)));
      List<Operand<TFloat32>> pools = List.of(
          tf.withName("v2_valid").nn.maxPool(in, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID"),
          tf.withName("v2_same_overlap").nn.maxPool(in, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 1, 1, 1}), "SAME"));
      g.opBuilder("MaxPool", "v1", tf.scope()).addInput(in.asOutput()).setAttr("ksize", new long[] {1, 2, 2, 1})
          .setAttr("strides", new long[] {1, 2, 2, 1}).setAttr("padding", "VALID").build();
      GraphDef original = g.toGraphDef();
      GraphDef rewritten = MaxPoolArgmax.rewrite(original);
      for (String name : List.of("v2_valid", "v2_same_overlap", "v1")) {
        assertEquals("MaxPoolWithArgmax", node(rewritten, name).getOp(), name);
      }
      try (Graph h = new Graph(); TFloat32 t = TFloat32.tensorOf(Shape.of(2, 6, 6, 3), DataBuffers.of(x, true, false))) {
        h.importGraphDef(rewritten);
        try (Session a = new Session(g); Session b = new Session(h)) {
          for (String name : List.of("v2_valid", "v2_same_overlap", "v1")) {
            try (Result ra = a.runner().feed("x", t).fetch(name).run(); Result rb = b.runner().feed("x", t).fetch(name).run()) {
              assertArrayEquals(values((TFloat32) ra.get(0)), values((TFloat32) rb.get(0)), name);
            }
          }
        }
      }
    }
  }

  @Test
  void channelsFirstIsLeftAlone() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3, 6, 6)));
      g.opBuilder("MaxPool", "nchw", tf.scope()).addInput(in.asOutput()).setAttr("ksize", new long[] {1, 1, 2, 2})
          .setAttr("strides", new long[] {1, 1, 2, 2}).setAttr("padding", "VALID").setAttr("data_format", "NCHW").build();
      GraphDef def = g.toGraphDef();
      assertSame(def, MaxPoolArgmax.rewrite(def));
    }
  }

  private static NodeDef node(GraphDef g, String name) {
    return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
  }

  private static float[] values(TFloat32 t) {
    float[] out = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
