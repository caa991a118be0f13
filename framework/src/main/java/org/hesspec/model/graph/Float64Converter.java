package org.hesspec.model.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.google.protobuf.ByteString;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;

/**
 * Converts a float32 GraphDef to float64, so that curvature products can be checked (and, for
 * ill-conditioned spectra, computed) in double precision.
 *
 * <ul>
 *   <li>Every attribute whose OpDef type is {@code type} or {@code list(type)} has {@code
 *       DT_FLOAT} replaced by {@code DT_DOUBLE}; the attribute is found through the OpDef, not its
 *       name ({@code T}, {@code dtype}, {@code SrcT}/{@code DstT}, {@code U}, {@code Tout}, ...).
 *       Defaults that export stripped are restored first, so a stripped {@code DT_FLOAT} default
 *       (e.g. {@code MaxPool.T}) is written out as an explicit {@code DT_DOUBLE}.
 *   <li>Float tensors in {@code tensor} attributes ({@code Const} values) are widened: {@code
 *       float_val} becomes {@code double_val} with the same elements (a list shorter than the shape
 *       keeps meaning "repeat the last value"), 4-byte {@code tensor_content} becomes 8-byte.
 *   <li>Checkpoint ops ({@code SaveV2}, {@code RestoreV2}, ...) and calls of TF2 saver functions
 *       stay float32, because {@code RestoreV2} does not cast and the checkpoint holds float32.
 *       Casts are inserted at the seams: float64 values are narrowed before they are saved,
 *       restored float32 values are widened before a converted op (a TF1 {@code Assign}) uses
 *       them. A TF2 saver call that takes variable handles ({@code _traced_restore}) works on the
 *       variables inside its float32 body, which import rejects once the variables are float64:
 *       such calls are dropped and listed in {@link Conversion#droppedSaverCalls()}; restore in
 *       float32 and feed the widened values instead.
 *   <li>Ops without a float64 CPU kernel ({@code FusedBatchNorm*}, {@code MaxPool3D}, {@code
 *       AvgPool3D}, {@code LRN}, ...) are rejected with the node and op named, checked against the
 *       runtime's kernel registry. Function calls other than saver calls are rejected: inline
 *       them first.
 * </ul>
 */
public final class Float64Converter {
  private static final DataType F32 = DataType.DT_FLOAT;
  private static final DataType F64 = DataType.DT_DOUBLE;

  private final OpRegistry ops;
  private final Map<String, FunctionDef> functions = new HashMap<>();

  private Float64Converter(GraphDef graph) {
    this.ops = OpRegistry.of(graph.getLibrary());
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
  }

  /**
   * The result of a conversion.
   *
   * @param graphDef the float64 graph
   * @param droppedSaverCalls calls of TF2 saver functions that take variable handles (the
   *     {@code _traced_restore} kind), removed because their float32 bodies assign to or read
   *     from variables that are now float64, which import-time shape inference rejects; restore
   *     such a model in float32 and feed the widened values
   */
  public record Conversion(GraphDef graphDef, List<String> droppedSaverCalls) {
    public Conversion {
      droppedSaverCalls = List.copyOf(droppedSaverCalls);
    }
  }

  /**
   * {@code graph} in float64.
   *
   * @throws GraphRewriteException naming the node for an op without a float64 kernel, a function
   *     call that was not inlined, an op the runtime does not know, or a data consumer of a saver
   *     call that has to be dropped
   */
  public static Conversion convert(GraphDef graph) {
    return new Float64Converter(graph).run(graph);
  }

  private Conversion run(GraphDef graph) {
    Map<String, NodeDef> converted = new LinkedHashMap<>();
    Set<String> saver = new java.util.HashSet<>();
    List<String> dropped = new ArrayList<>();
    for (NodeDef n : graph.getNodeList()) {
      if (isSaverNode(n)) {
        if (isCall(n) && OpRegistry.inputTypes(n, ops.require(n)).contains(DataType.DT_RESOURCE)) {
          dropped.add(n.getName());
          continue;
        }
        saver.add(n.getName());
        converted.put(n.getName(), n);
      } else {
        converted.put(n.getName(), convertNode(n));
      }
    }
    dropInputsFrom(converted, Set.copyOf(dropped));
    return new Conversion(insertSeamCasts(graph, converted, saver), dropped);
  }

  private boolean isCall(NodeDef n) {
    return FunctionInliner.CALL_OPS.contains(n.getOp()) || functions.containsKey(n.getOp());
  }

  /** Removes control inputs on dropped nodes; a data input on one is an error. */
  private static void dropInputsFrom(Map<String, NodeDef> nodes, Set<String> dropped) {
    if (dropped.isEmpty()) {
      return;
    }
    for (Map.Entry<String, NodeDef> e : nodes.entrySet()) {
      NodeDef n = e.getValue();
      NodeDef.Builder b = n.toBuilder().clearInput();
      for (String in : n.getInputList()) {
        if (!dropped.contains(TensorNames.nodeName(in))) {
          b.addInput(in);
        } else if (!TensorNames.isControl(in)) {
          throw new GraphRewriteException(
              n.getName(), "uses output '" + in + "' of saver call which float64 conversion has to drop");
        }
      }
      e.setValue(b.build());
    }
  }

  private boolean isSaverNode(NodeDef n) {
    if (FunctionInliner.CHECKPOINT_OPS.contains(n.getOp())) {
      return true;
    }
    String function = null;
    if (FunctionInliner.CALL_OPS.contains(n.getOp()) && n.getAttrMap().containsKey("f")) {
      function = n.getAttrMap().get("f").getFunc().getName();
    } else if (functions.containsKey(n.getOp())) {
      function = n.getOp();
    }
    if (function == null) {
      return false;
    }
    FunctionDef f = functions.get(function);
    if (f != null && FunctionInliner.isSaverFunction(f)) {
      return true;
    }
    throw new GraphRewriteException(
        n.getName(),
        "calls function '" + function + "', whose body would stay float32: inline it first (FunctionInliner)");
  }

  private NodeDef convertNode(NodeDef original) {
    NodeDef n = ops.withDefaults(original);
    OpDef def = ops.require(n);
    NodeDef.Builder b = n.toBuilder();
    boolean widened = false;
    Map<String, DataType> typeAttrs = new HashMap<>();
    for (OpDef.AttrDef a : def.getAttrList()) {
      AttrValue v = n.getAttrMap().get(a.getName());
      if (v == null) {
        continue;
      }
      switch (a.getType()) {
        case "type" -> {
          if (v.getType() == F32) {
            b.putAttr(a.getName(), AttrValue.newBuilder().setType(F64).build());
            widened = true;
          }
          typeAttrs.put(a.getName(), v.getType() == F32 ? F64 : v.getType());
        }
        case "list(type)" -> {
          if (v.getList().getTypeList().contains(F32)) {
            AttrValue.ListValue.Builder list = v.getList().toBuilder().clearType();
            for (DataType t : v.getList().getTypeList()) {
              list.addType(t == F32 ? F64 : t);
            }
            b.putAttr(a.getName(), AttrValue.newBuilder().setList(list).build());
            widened = true;
          }
        }
        case "tensor" -> {
          if (v.getTensor().getDtype() == F32) {
            b.putAttr(a.getName(), AttrValue.newBuilder().setTensor(widen(v.getTensor(), n.getName())).build());
            widened = true;
          }
        }
        default -> {}
      }
    }
    if (widened) {
      requireFloat64Kernel(n, typeAttrs);
    }
    return b.build();
  }

  private static void requireFloat64Kernel(NodeDef n, Map<String, DataType> typeAttrs) {
    if (BatchNormFolder.FUSED_BATCH_NORM.contains(n.getOp())) {
      throw new GraphRewriteException(
          n.getName(), "op '" + n.getOp() + "' has no float64 kernel: fold it first (BatchNormFolder)");
    }
    if (!KernelSupport.hasCpuKernel(n.getOp(), typeAttrs)) {
      throw new GraphRewriteException(
          n.getName(), "op '" + n.getOp() + "' has no float64 CPU kernel (types " + typeAttrs + ")");
    }
  }

  /** A float32 TensorProto as float64, element for element. */
  static TensorProto widen(TensorProto t, String node) {
    TensorProto.Builder b = t.toBuilder().setDtype(F64).clearFloatVal().clearTensorContent();
    for (float f : t.getFloatValList()) {
      b.addDoubleVal(f);
    }
    ByteString content = t.getTensorContent();
    if (!content.isEmpty()) {
      if (content.size() % Float.BYTES != 0) {
        throw new GraphRewriteException(node, "float tensor_content of " + content.size() + " bytes");
      }
      ByteBuffer in = content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer out = ByteBuffer.allocate(content.size() * 2).order(ByteOrder.LITTLE_ENDIAN);
      while (in.remaining() > 0) {
        out.putDouble(in.getFloat());
      }
      out.flip();
      b.setTensorContent(ByteString.copyFrom(out));
    }
    return b.build();
  }

  /**
   * Inserts {@code Cast}s where float32 checkpoint ops meet converted ops: before a saver input
   * that now receives float64, after a saver output that a converted op consumes.
   */
  private GraphDef insertSeamCasts(GraphDef graph, Map<String, NodeDef> converted, Set<String> saver) {
    List<NodeDef> casts = new ArrayList<>();
    Map<String, String> widenedOutputs = new HashMap<>();
    for (String name : converted.keySet()) {
      NodeDef n = converted.get(name);
      boolean isSaver = saver.contains(name);
      List<DataType> expected = isSaver ? OpRegistry.inputTypes(n, ops.require(n)) : null;
      NodeDef.Builder b = n.toBuilder().clearInput();
      int dataIndex = 0;
      for (String in : n.getInputList()) {
        if (TensorNames.isControl(in)) {
          b.addInput(in);
          continue;
        }
        int i = dataIndex++;
        String producer = TensorNames.nodeName(in);
        if (!converted.containsKey(producer)) {
          b.addInput(in); // dangling: importGraphDef names it
          continue;
        }
        boolean producerIsSaver = saver.contains(producer);
        if (isSaver && !producerIsSaver && expected.get(i) == F32 && outputType(converted.get(producer), in) == F64) {
          String cast = name + "/to_float32_" + i;
          casts.add(cast(cast, in, F64, F32, n.getDevice()));
          b.addInput(cast + ":0");
        } else if (!isSaver && producerIsSaver && outputType(converted.get(producer), in) == F32) {
          String canonical = TensorNames.canonical(in);
          String cast = widenedOutputs.get(canonical);
          if (cast == null) {
            cast = producer + "/to_float64_" + TensorNames.outputIndex(in);
            widenedOutputs.put(canonical, cast);
            casts.add(cast(cast, in, F32, F64, converted.get(producer).getDevice()));
          }
          b.addInput(cast + ":0");
        } else {
          b.addInput(in);
        }
      }
      converted.put(name, b.build());
    }
    GraphDef.Builder out = graph.toBuilder().clearNode();
    out.addAllNode(converted.values());
    out.addAllNode(casts);
    return out.build();
  }

  private DataType outputType(NodeDef producer, String tensor) {
    List<DataType> types = OpRegistry.outputTypes(producer, ops.require(producer));
    int k = TensorNames.outputIndex(tensor);
    return k < types.size() ? types.get(k) : DataType.DT_INVALID;
  }

  private static NodeDef cast(String name, String input, DataType from, DataType to, String device) {
    return NodeDef.newBuilder()
        .setName(name)
        .setOp("Cast")
        .setDevice(device)
        .addInput(input)
        .putAttr("SrcT", AttrValue.newBuilder().setType(from).build())
        .putAttr("DstT", AttrValue.newBuilder().setType(to).build())
        .putAttr("Truncate", AttrValue.newBuilder().setB(false).build())
        .build();
  }
}
