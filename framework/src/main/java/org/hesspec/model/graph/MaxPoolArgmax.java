package org.hesspec.model.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * Rewrites channels-last {@code MaxPool} and {@code MaxPoolV2} (window sizes and strides as
 * constants) as {@code MaxPoolWithArgmax} with the batch in the index: output 0 is the same
 * maximum, output 1 the flat index of each window's maximum.
 *
 * <p>Why: every derivative of max-pooling routes values to or from the argmax. The plain ops find it
 * again by scanning every window, in the gradient ({@code MaxPoolGrad}) and again in its derivative
 * ({@code MaxPoolGradGrad}); with the index kept, the gradient is a scatter ({@code
 * MaxPoolGradWithArgmax}) and its derivative a gather, and the index, which does not depend on v,
 * is computed once per theta and batch by the product cache. Measured on the benchmark CNN: the
 * window scans took a third of a cached Hess v.
 *
 * <p>The node keeps its name, so consumers of output 0 stay wired. Other layouts and explicit
 * paddings are left as they are.
 */
public final class MaxPoolArgmax {
  private static final Set<String> POOLS = Set.of("MaxPool", "MaxPoolV2");
  private static final Set<DataType> TYPES = Set.of(DataType.DT_FLOAT, DataType.DT_DOUBLE);

  private MaxPoolArgmax() {}

  /** {@code graph} with every supported max-pool rewritten. */
  public static GraphDef rewrite(GraphDef graph) {
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    GraphDef.Builder b = graph.toBuilder().clearNode();
    boolean changed = false;
    for (NodeDef n : graph.getNodeList()) {
      NodeDef r = POOLS.contains(n.getOp()) ? rewritten(n, nodes) : null;
      b.addNode(r == null ? n : r);
      changed |= r != null;
    }
    return changed ? b.build() : graph;
  }

  /** The MaxPoolWithArgmax replacing {@code n}, or null when {@code n} is not supported. */
  private static NodeDef rewritten(NodeDef n, Map<String, NodeDef> nodes) {
    String format = n.containsAttr("data_format") ? n.getAttrOrThrow("data_format").getS().toStringUtf8() : "NHWC";
    String padding = n.getAttrOrThrow("padding").getS().toStringUtf8();
    DataType type = n.containsAttr("T") ? n.getAttrOrThrow("T").getType() : DataType.DT_FLOAT;
    if (!format.equals("NHWC") || !(padding.equals("SAME") || padding.equals("VALID")) || !TYPES.contains(type)) {
      return null;
    }
    AttrValue ksize;
    AttrValue strides;
    if (n.getOp().equals("MaxPool")) {
      ksize = n.getAttrOrThrow("ksize");
      strides = n.getAttrOrThrow("strides");
    } else {
      ksize = constantList(n.getInput(1), nodes);
      strides = constantList(n.getInput(2), nodes);
      if (ksize == null || strides == null) {
        return null;
      }
    }
    List<Long> k = ksize.getList().getIList();
    List<Long> s = strides.getList().getIList();
    // MaxPoolWithArgmax pools over height and width only
    if (k.size() != 4 || s.size() != 4 || k.get(0) != 1 || k.get(3) != 1 || s.get(0) != 1 || s.get(3) != 1) {
      return null;
    }
    NodeDef.Builder out = NodeDef.newBuilder().setName(n.getName()).setOp("MaxPoolWithArgmax").setDevice(n.getDevice())
        .addInput(n.getInput(0))
        .putAttr("T", AttrValue.newBuilder().setType(type).build())
        .putAttr("ksize", ksize)
        .putAttr("strides", strides)
        .putAttr("padding", n.getAttrOrThrow("padding"))
        .putAttr("Targmax", AttrValue.newBuilder().setType(DataType.DT_INT64).build())
        .putAttr("include_batch_in_index", AttrValue.newBuilder().setB(true).build());
    for (int i = n.getOp().equals("MaxPool") ? 1 : 3; i < n.getInputCount(); i++) {
      out.addInput(n.getInput(i)); // control inputs
    }
    return out.build();
  }

  /** The int32 list held by the Const node producing {@code input}, as a list attribute, or null. */
  private static AttrValue constantList(String input, Map<String, NodeDef> nodes) {
    NodeDef c = nodes.get(TensorNames.nodeName(input));
    if (c == null || !c.getOp().equals("Const") || TensorNames.outputIndex(input) != 0) {
      return null;
    }
    TensorProto t = c.getAttrOrThrow("value").getTensor();
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    if (t.getDtype() != DataType.DT_INT32) {
      return null;
    }
    if (t.getIntValCount() > 0) {
      if (t.getIntValCount() == 1 && t.getTensorShape().getDimCount() == 1 && t.getTensorShape().getDim(0).getSize() == 4) {
        for (int i = 0; i < 4; i++) {
          list.addI(t.getIntVal(0));
        }
      } else {
        t.getIntValList().forEach(v -> list.addI(v));
      }
    } else {
      java.nio.ByteBuffer bytes = t.getTensorContent().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
      while (bytes.remaining() >= 4) {
        list.addI(bytes.getInt());
      }
    }
    return AttrValue.newBuilder().setList(list).build();
  }
}
