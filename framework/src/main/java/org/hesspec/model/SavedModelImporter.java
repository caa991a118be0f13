package org.hesspec.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hesspec.model.ParameterRewriter.VariableSite;
import org.hesspec.model.graph.Float64Converter;
import org.hesspec.model.graph.GraphRewrites;
import org.hesspec.model.graph.InlinedGraph;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VariableDef;
import org.tensorflow.types.family.TType;

/**
 * Imports a SavedModel (tag {@code serve}) as a {@link ModelDefinition}: the named signature's
 * input and output, the trainable variables the output depends on (both {@code VariableV2} and
 * resource variables), their values, and a pure function graph of {@code (x, theta)}.
 *
 * <p>Parameters are the floating-point variables the output depends on, in the order they appear
 * in the graph; a variable that the SavedModel marks non-trainable (TF1 collection
 * {@code trainable_variables}, TF2 object graph) is frozen into a constant instead (e.g. the
 * moving statistics of batch normalisation).
 */
public final class SavedModelImporter {

  /**
   * What to import. {@code input} and {@code output} may be null when the signature has one;
   * {@code precision} null keeps the model's own, {@code FLOAT64} converts a float32 model
   * (dtypes rewritten, constants widened; parameter values are kept as doubles).
   */
  public record Options(String signature, String input, String output, OutputKind outputKind, Precision precision) {
    public Options(String signature, String input, String output, OutputKind outputKind) {
      this(signature, input, output, outputKind, null);
    }

    public static Options defaults() {
      return new Options("serving_default", null, null, OutputKind.LOGITS, null);
    }

    public Options withPrecision(Precision p) {
      return new Options(signature, input, output, outputKind, p);
    }
  }

  private SavedModelImporter() {}

  /** Imports {@code dir} with default options (signature {@code serving_default}, its only input and output, logits). */
  public static ModelDefinition load(Path dir) {
    return load(dir, Options.defaults());
  }

  /**
   * Imports {@code dir}.
   *
   * @throws ModelImportException naming the folder, the signature or tensor, and what was expected
   */
  public static ModelDefinition load(Path dir, Options options) {
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isDirectory(dir)) {
      throw new ModelImportException(dir + ": not a directory (expected a SavedModel folder)");
    }
    if (!Files.isRegularFile(pb)) {
      throw new ModelImportException(dir + ": no saved_model.pb in this folder (expected a TensorFlow SavedModel)");
    }
    try (SavedModelBundle bundle = loadBundle(dir)) {
      MetaGraphDef meta = bundle.metaGraphDef();
      SignatureDef sig = meta.getSignatureDefMap().get(options.signature());
      if (sig == null) {
        throw new ModelImportException(dir + ": no signature '" + options.signature() + "'; available: "
            + meta.getSignatureDefMap().keySet());
      }
      TensorInfo in = pick(dir, options.signature(), "input", sig.getInputsMap(), options.input());
      TensorInfo out = pick(dir, options.signature(), "output", sig.getOutputsMap(), options.output());
      if (in.getDtype() != DataType.DT_FLOAT && in.getDtype() != DataType.DT_DOUBLE) {
        throw new ModelImportException(dir + ": signature input '" + in.getName() + "' has dtype " + in.getDtype()
            + "; expected a float32 or float64 batch of examples");
      }
      if (out.getDtype() != DataType.DT_FLOAT && out.getDtype() != DataType.DT_DOUBLE) {
        throw new ModelImportException(dir + ": signature output '" + out.getName() + "' has dtype " + out.getDtype()
            + "; expected float32 or float64 logits or probabilities");
      }
      // Keras/TF2 exports: inline function calls, fold inference batch norm.
      InlinedGraph prepared;
      try {
        prepared = GraphRewrites.prepareForCurvature(meta.getGraphDef(), false);
      } catch (IllegalArgumentException e) {
        throw new ModelImportException(dir + ": " + e.getMessage(), e);
      }
      GraphDef graph = prepared.graphDef();
      String inputTensor = prepared.resolve(in.getName());
      String outputTensor = prepared.resolve(out.getName());
      List<String> roots = List.of(ParameterRewriter.nodeOf(outputTensor));
      Set<String> ancestors = ParameterRewriter.ancestors(graph, roots);
      if (!ancestors.contains(ParameterRewriter.nodeOf(inputTensor))) {
        throw new ModelImportException(dir + ": output '" + outputTensor + "' does not depend on input '" + inputTensor + "'");
      }
      List<VariableSite> variables = findVariables(graph, ancestors);
      Set<String> frozenNames = nonTrainableNames(meta);
      List<VariableSite> trainable = new ArrayList<>();
      Map<VariableSite, TensorProto> frozen = new LinkedHashMap<>();
      List<double[]> values = new ArrayList<>();
      Map<VariableSite, Tensor> fetched = fetchValues(bundle, variables);
      try {
        for (VariableSite v : variables) {
          boolean isFloat = v.dtype() == DataType.DT_FLOAT || v.dtype() == DataType.DT_DOUBLE;
          if (isFloat && !frozenNames.contains(v.name())) {
            trainable.add(v);
            values.add(TensorValues.toDoubles(fetched.get(v)));
          } else {
            frozen.put(v, toProto(fetched.get(v)));
          }
        }
      } finally {
        fetched.values().forEach(Tensor::close);
      }
      if (trainable.isEmpty()) {
        throw new ModelImportException(dir + ": output '" + outputTensor + "' depends on no trainable float variable; nothing to differentiate");
      }
      GraphDef function = ParameterRewriter.rewrite(graph, trainable, frozen,
          List.of(ParameterRewriter.nodeOf(outputTensor), ParameterRewriter.nodeOf(inputTensor)));
      ParameterLayout layout = ParameterLayout.of(trainable.stream().map(VariableSite::name).toList(),
          trainable.stream().map(VariableSite::shape).toList());
      double[] theta = new double[Math.toIntExact(layout.dimension())];
      int at = 0;
      for (double[] v : values) {
        System.arraycopy(v, 0, theta, at, v.length);
        at += v.length;
      }
      Precision precision = in.getDtype() == DataType.DT_DOUBLE ? Precision.FLOAT64 : Precision.FLOAT32;
      if (options.precision() == Precision.FLOAT64 && precision == Precision.FLOAT32) {
        try {
          function = Float64Converter.convert(function).graphDef();
        } catch (IllegalArgumentException e) {
          throw new ModelImportException(dir + ": cannot evaluate in float64: " + e.getMessage(), e);
        }
        precision = Precision.FLOAT64;
      } else if (options.precision() == Precision.FLOAT32 && precision == Precision.FLOAT64) {
        throw new ModelImportException(dir + ": the model is float64; evaluating it in float32 is not supported (use precision: float64)");
      }
      long[] exampleShape = dims(in.getTensorShape(), true);
      long[] outShape = dims(out.getTensorShape(), false);
      long width = outShape.length <= 1 ? 1 : outShape[outShape.length - 1];
      return new ModelDefinition(dir.toString(), function, inputTensor, outputTensor, options.outputKind(), precision,
          layout, theta, exampleShape, width);
    }
  }

  private static SavedModelBundle loadBundle(Path dir) {
    try {
      return SavedModelBundle.load(dir.toString(), "serve");
    } catch (RuntimeException e) {
      throw new ModelImportException(dir + ": TensorFlow could not load this SavedModel with tag 'serve': " + e.getMessage(), e);
    }
  }

  private static TensorInfo pick(Path dir, String sigName, String what, Map<String, TensorInfo> map, String key) {
    if (key == null) {
      if (map.size() != 1) {
        throw new ModelImportException(dir + ": signature '" + sigName + "' has " + map.size() + " " + what + "s "
            + map.keySet() + "; name the one to use (model." + what + ")");
      }
      return map.values().iterator().next();
    }
    TensorInfo t = map.get(key);
    if (t == null) {
      throw new ModelImportException(dir + ": signature '" + sigName + "' has no " + what + " '" + key + "'; available: " + map.keySet());
    }
    if (!t.hasName() || t.getName().isEmpty()) {
      throw new ModelImportException(dir + ": signature " + what + " '" + key + "' is not a dense tensor");
    }
    return t;
  }

  private static long[] dims(TensorShapeProto shape, boolean dropBatch) {
    if (shape.getUnknownRank()) {
      return new long[0];
    }
    int from = dropBatch ? 1 : 0;
    long[] d = new long[Math.max(0, shape.getDimCount() - from)];
    for (int i = from; i < shape.getDimCount(); i++) {
      d[i - from] = shape.getDim(i).getSize();
    }
    return d;
  }

  /** VariableV2 nodes and VarHandleOp nodes (with their ReadVariableOp readers) among {@code ancestors}, in graph order. */
  private static List<VariableSite> findVariables(GraphDef graph, Set<String> ancestors) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      byName.put(n.getName(), n);
    }
    Map<String, List<String>> readers = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      if (n.getOp().equals("ReadVariableOp") && ancestors.contains(n.getName())) {
        String handle = ParameterRewriter.nodeOf(n.getInput(0));
        // Look through Identity chains between the handle and the read.
        while (byName.containsKey(handle) && byName.get(handle).getOp().equals("Identity")) {
          handle = ParameterRewriter.nodeOf(byName.get(handle).getInput(0));
        }
        readers.computeIfAbsent(handle, k -> new ArrayList<>()).add(n.getName());
      }
    }
    List<VariableSite> sites = new ArrayList<>();
    for (NodeDef n : graph.getNodeList()) {
      if (!ancestors.contains(n.getName())) {
        continue;
      }
      switch (n.getOp()) {
        case "VariableV2", "Variable" -> sites.add(new VariableSite(n.getName(), n.getName(),
            n.getAttrOrThrow("dtype").getType(), shapeOf(n), List.of(n.getName())));
        case "VarHandleOp" -> {
          String shared = n.getAttrOrDefault("shared_name", null) == null ? "" : n.getAttrOrThrow("shared_name").getS().toStringUtf8();
          String name = shared.isEmpty() ? n.getName() : shared;
          List<String> reads = readers.getOrDefault(n.getName(), List.of());
          if (reads.isEmpty()) {
            throw new ModelImportException("variable '" + name + "' is used by the output other than through ReadVariableOp; unsupported");
          }
          sites.add(new VariableSite(n.getName(), name, n.getAttrOrThrow("dtype").getType(), shapeOf(n), reads));
        }
        default -> { }
      }
    }
    return sites;
  }

  private static long[] shapeOf(NodeDef n) {
    TensorShapeProto s = n.getAttrOrThrow("shape").getShape();
    long[] d = new long[s.getDimCount()];
    for (int i = 0; i < d.length; i++) {
      d[i] = s.getDim(i).getSize();
      if (d[i] < 0) {
        throw new ModelImportException("variable '" + n.getName() + "' has an unknown dimension in its shape " + s);
      }
    }
    return d;
  }

  private static Set<String> nonTrainableNames(MetaGraphDef meta) {
    Set<String> frozen = new HashSet<>();
    for (SavedObject o : meta.getObjectGraphDef().getNodesList()) {
      if (o.hasVariable() && !o.getVariable().getTrainable()) {
        frozen.add(o.getVariable().getName());
      }
    }
    CollectionDef all = meta.getCollectionDefMap().get("variables");
    CollectionDef trainable = meta.getCollectionDefMap().get("trainable_variables");
    if (all != null && trainable != null) {
      Set<String> t = variableNames(trainable);
      for (String v : variableNames(all)) {
        if (!t.contains(v)) {
          frozen.add(v);
        }
      }
    }
    return frozen;
  }

  private static Set<String> variableNames(CollectionDef c) {
    Set<String> names = new HashSet<>();
    for (ByteString b : c.getBytesList().getValueList()) {
      try {
        names.add(ParameterRewriter.nodeOf(VariableDef.parseFrom(b).getVariableName()));
      } catch (InvalidProtocolBufferException e) {
        throw new ModelImportException("unreadable VariableDef in the SavedModel's variable collection: " + e.getMessage(), e);
      }
    }
    return names;
  }

  /** Reads every variable's value from the loaded bundle (checkpoint values, never initialisers). */
  private static Map<VariableSite, Tensor> fetchValues(SavedModelBundle bundle, List<VariableSite> vars) {
    Graph g = bundle.graph();
    Ops tf = Ops.create(g);
    Map<VariableSite, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < vars.size(); i++) {
      VariableSite v = vars.get(i);
      Operand<?> value;
      if (g.operationOrThrow(v.node()).type().equals("VarHandleOp")) {
        @SuppressWarnings("unchecked")
        Class<? extends TType> type = (Class<? extends TType>) (v.dtype() == DataType.DT_DOUBLE
            ? org.tensorflow.types.TFloat64.class : v.dtype() == DataType.DT_FLOAT
            ? org.tensorflow.types.TFloat32.class : null);
        if (type == null) {
          throw new ModelImportException("variable '" + v.name() + "' has dtype " + v.dtype() + "; only float variables are supported");
        }
        value = tf.withName("hesspec_import_read_" + i).readVariableOp(g.operationOrThrow(v.node()).output(0), type);
      } else {
        value = tf.withName("hesspec_import_read_" + i).identity(g.operationOrThrow(v.node()).output(0));
      }
      try (Result r = bundle.session().runner().fetch(value).run()) {
        Tensor t = r.get(0);
        // Result owns its tensors; copy into a proto-independent tensor we own.
        out.put(v, copy(t));
      } catch (RuntimeException e) {
        throw new ModelImportException("could not read the value of variable '" + v.name() + "': " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Tensor copy(Tensor t) {
    byte[] bytes = new byte[Math.toIntExact(t.numBytes())];
    t.asRawTensor().data().read(bytes);
    return Tensor.of(dtypeClass(t.dataType()), t.shape(), org.tensorflow.ndarray.buffer.DataBuffers.of(bytes, true, false));
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends TType> dtypeClass(DataType d) {
    return switch (d) {
      case DT_FLOAT -> org.tensorflow.types.TFloat32.class;
      case DT_DOUBLE -> org.tensorflow.types.TFloat64.class;
      case DT_INT32 -> org.tensorflow.types.TInt32.class;
      case DT_INT64 -> org.tensorflow.types.TInt64.class;
      default -> throw new ModelImportException("variable of unsupported dtype " + d);
    };
  }

  private static TensorProto toProto(Tensor t) {
    byte[] bytes = new byte[Math.toIntExact(t.numBytes())];
    t.asRawTensor().data().read(bytes);
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : t.shape().asArray()) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return TensorProto.newBuilder().setDtype(t.dataType()).setTensorShape(shape).setTensorContent(ByteString.copyFrom(bytes)).build();
  }
}
