package org.hesspec.model.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Rewrites inference-mode {@code FusedBatchNorm}, {@code FusedBatchNormV2} and {@code
 * FusedBatchNormV3} as arithmetic:
 *
 * <pre>
 *   k = scale * rsqrt(variance + epsilon)
 *   y = x * k + (offset - mean * k)
 * </pre>
 *
 * built from {@code AddV2}, {@code Rsqrt}, {@code Mul}, {@code Sub} (and {@code Reshape} for
 * channels-first layouts), which have float64 kernels and the C++ gradients a second derivative
 * needs; the fused op has neither a float64 kernel nor a second derivative.
 *
 * <p>The node computing {@code y} takes the batch-norm node's name, so consumers of output 0 stay
 * wired. The other outputs (batch statistics, reserve spaces) are gone: a graph that consumes them
 * is rejected. Training-mode batch norm ({@code is_training=true}, normalising by batch
 * statistics) is rejected too: it is a different function of the parameters.
 */
public final class BatchNormFolder {
  static final Set<String> FUSED_BATCH_NORM = Set.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");

  private BatchNormFolder() {}

  /**
   * {@code graph} with every fused batch norm folded into arithmetic.
   *
   * @throws GraphRewriteException for training mode, an unsupported data format, mixed
   *     precision, or a consumer of an output other than {@code y}
   */
  public static GraphDef fold(GraphDef graph) {
    OpRegistry ops = OpRegistry.of(graph.getLibrary());
    Map<String, NodeDef> norms = new java.util.HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      if (FUSED_BATCH_NORM.contains(n.getOp())) {
        norms.put(n.getName(), ops.withDefaults(n));
      }
    }
    if (norms.isEmpty()) {
      return graph;
    }
    for (NodeDef n : graph.getNodeList()) {
      for (String in : n.getInputList()) {
        if (TensorNames.isControl(in)) {
          continue;
        }
        String producer = TensorNames.nodeName(in);
        int k = TensorNames.outputIndex(in);
        if (norms.containsKey(producer) && k != 0) {
          throw new GraphRewriteException(
              producer,
              norms.get(producer).getOp() + " output " + k + " (batch statistics) is consumed by '"
                  + n.getName() + "'; only output 0 survives folding into arithmetic");
        }
      }
    }
    GraphDef.Builder out = graph.toBuilder().clearNode();
    for (NodeDef n : graph.getNodeList()) {
      NodeDef bn = norms.get(n.getName());
      if (bn == null) {
        out.addNode(n);
      } else {
        out.addAllNode(arithmetic(bn));
      }
    }
    return out.build();
  }

  private static List<NodeDef> arithmetic(NodeDef bn) {
    String name = bn.getName();
    Map<String, AttrValue> attrs = bn.getAttrMap();
    if (attrs.get("is_training").getB()) {
      throw new GraphRewriteException(
          name,
          bn.getOp() + " in training mode (is_training=true) normalises by batch statistics and"
              + " cannot be folded; export the model in inference mode");
    }
    DataType t = attrs.get("T").getType();
    DataType u = attrs.containsKey("U") ? attrs.get("U").getType() : t;
    if (t != u || (t != DataType.DT_FLOAT && t != DataType.DT_DOUBLE)) {
      throw new GraphRewriteException(
          name, bn.getOp() + " with T=" + t + ", U=" + u + ": only T = U = float32 (or float64) is folded");
    }
    String format = attrs.get("data_format").getS().toStringUtf8();
    int[] channelShape =
        switch (format) {
          case "NHWC", "NDHWC" -> null; // channels last: [C] broadcasts as is
          case "NCHW" -> new int[] {-1, 1, 1};
          case "NCDHW" -> new int[] {-1, 1, 1, 1};
          default -> throw new GraphRewriteException(name, bn.getOp() + " with unknown data_format '" + format + "'");
        };
    List<String> data = new ArrayList<>();
    List<String> controls = new ArrayList<>();
    for (String in : bn.getInputList()) {
      (TensorNames.isControl(in) ? controls : data).add(in);
    }
    if (data.size() != 5) {
      throw new GraphRewriteException(name, bn.getOp() + " with " + data.size() + " data inputs, expected 5");
    }
    String x = data.get(0), scale = data.get(1), offset = data.get(2), mean = data.get(3), variance = data.get(4);
    float epsilon = attrs.get("epsilon").getF();

    Nodes nodes = new Nodes(name + "/folded", bn.getDevice(), t);
    String eps = nodes.scalar("epsilon", epsilon);
    String varEps = nodes.binary("AddV2", "variance_plus_epsilon", variance, eps);
    String invStd = nodes.unary("Rsqrt", "inverse_std", varEps);
    String k = nodes.binary("Mul", "scale_times_inverse_std", scale, invStd);
    String meanK = nodes.binary("Mul", "mean_times_k", mean, k);
    String shift = nodes.binary("Sub", "shift", offset, meanK);
    if (channelShape != null) {
      String shape = nodes.int32Vector("channel_shape", channelShape);
      k = nodes.reshape("k_channels", k, shape);
      shift = nodes.reshape("shift_channels", shift, shape);
    }
    String scaled = nodes.binary("Mul", "x_times_k", x, k);
    NodeDef.Builder y =
        NodeDef.newBuilder()
            .setName(name)
            .setOp("AddV2")
            .setDevice(bn.getDevice())
            .addInput(scaled)
            .addInput(shift)
            .putAttr("T", type(t));
    controls.forEach(y::addInput); // the batch norm's ordering constraints carry over to y
    List<NodeDef> result = nodes.built();
    result.add(y.build());
    return result;
  }

  private static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  /** Builds the folded nodes under one name prefix. */
  private static final class Nodes {
    private final String prefix;
    private final String device;
    private final DataType dtype;
    private final List<NodeDef> nodes = new ArrayList<>();

    Nodes(String prefix, String device, DataType dtype) {
      this.prefix = prefix;
      this.device = device;
      this.dtype = dtype;
    }

    String scalar(String name, float value) {
      TensorProto.Builder v = TensorProto.newBuilder().setDtype(dtype).setTensorShape(TensorShapeProto.getDefaultInstance());
      if (dtype == DataType.DT_DOUBLE) {
        v.addDoubleVal(value);
      } else {
        v.addFloatVal(value);
      }
      return add(
          node(name, "Const")
              .putAttr("dtype", type(dtype))
              .putAttr("value", AttrValue.newBuilder().setTensor(v).build()));
    }

    String int32Vector(String name, int[] values) {
      TensorProto.Builder v =
          TensorProto.newBuilder()
              .setDtype(DataType.DT_INT32)
              .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(values.length)));
      for (int i : values) {
        v.addIntVal(i);
      }
      return add(
          node(name, "Const")
              .putAttr("dtype", type(DataType.DT_INT32))
              .putAttr("value", AttrValue.newBuilder().setTensor(v).build()));
    }

    String unary(String op, String name, String a) {
      return add(node(name, op).addInput(a).putAttr("T", type(dtype)));
    }

    String binary(String op, String name, String a, String b) {
      return add(node(name, op).addInput(a).addInput(b).putAttr("T", type(dtype)));
    }

    String reshape(String name, String a, String shape) {
      return add(
          node(name, "Reshape")
              .addInput(a)
              .addInput(shape)
              .putAttr("T", type(dtype))
              .putAttr("Tshape", type(DataType.DT_INT32)));
    }

    private NodeDef.Builder node(String name, String op) {
      return NodeDef.newBuilder().setName(prefix + "/" + name).setOp(op).setDevice(device);
    }

    private String add(NodeDef.Builder b) {
      NodeDef n = b.build();
      nodes.add(n);
      return n.getName() + ":0";
    }

    List<NodeDef> built() {
      return nodes;
    }
  }
}
