package org.hesspec.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * What {@code hesspec inspect} reports about a SavedModel: its signatures, the parameter tensors
 * hesspec would differentiate (in theta order) and their count, and the op types of the function
 * graph with how often each occurs.
 *
 * @param signatures signature name -> one line per input and output ({@code in x: float32[-1,784]})
 * @param model the imported function of the default signature, or null if it cannot be imported
 * @param importError why the import failed, or null
 * @param opTypes op type -> count in the function graph (or, when the import failed, in the whole graph and its functions)
 */
public record ModelInspection(Map<String, List<String>> signatures, ModelDefinition model, String importError,
    Map<String, Integer> opTypes) {

  /** Inspects {@code dir}, importing it with {@code options}. */
  public static ModelInspection of(Path dir, SavedModelImporter.Options options) {
    Map<String, List<String>> sigs = new LinkedHashMap<>();
    MetaGraphDef meta;
    try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve")) {
      meta = b.metaGraphDef();
    } catch (RuntimeException e) {
      throw new ModelImportException(dir + ": TensorFlow could not load this SavedModel with tag 'serve': " + e.getMessage(), e);
    }
    for (Map.Entry<String, SignatureDef> e : new TreeMap<>(meta.getSignatureDefMap()).entrySet()) {
      List<String> lines = new ArrayList<>();
      e.getValue().getInputsMap().forEach((k, t) -> lines.add("in  " + k + ": " + describe(t)));
      e.getValue().getOutputsMap().forEach((k, t) -> lines.add("out " + k + ": " + describe(t)));
      sigs.put(e.getKey(), lines);
    }
    ModelDefinition model = null;
    String error = null;
    Map<String, Integer> ops = new TreeMap<>();
    try {
      model = SavedModelImporter.load(dir, options);
      for (NodeDef n : model.graph().getNodeList()) {
        ops.merge(n.getOp(), 1, Integer::sum);
      }
    } catch (ModelImportException e) {
      error = e.getMessage();
      for (NodeDef n : meta.getGraphDef().getNodeList()) {
        ops.merge(n.getOp(), 1, Integer::sum);
      }
      for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
        for (NodeDef n : f.getNodeDefList()) {
          ops.merge(n.getOp(), 1, Integer::sum);
        }
      }
    }
    return new ModelInspection(sigs, model, error, ops);
  }

  private static String describe(TensorInfo t) {
    StringBuilder s = new StringBuilder(t.getDtype().name().replace("DT_", "").toLowerCase(java.util.Locale.ROOT));
    TensorShapeProto shape = t.getTensorShape();
    if (shape.getUnknownRank()) {
      s.append("[?]");
    } else {
      s.append('[');
      for (int i = 0; i < shape.getDimCount(); i++) {
        s.append(i > 0 ? "," : "").append(shape.getDim(i).getSize());
      }
      s.append(']');
    }
    return s.append("  (").append(t.getName()).append(')').toString();
  }
}
