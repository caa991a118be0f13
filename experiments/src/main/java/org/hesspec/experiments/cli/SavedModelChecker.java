package org.hesspec.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.hesspec.experiments.config.ModelChecker;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.SignatureDef;

/** The validator's view of a SavedModel: its signatures with their input and output keys. */
final class SavedModelChecker implements ModelChecker {
  @Override
  public Map<String, Signature> signatures(Path savedModel) {
    if (!savedModel.resolve("saved_model.pb").toFile().isFile()) {
      throw new IllegalArgumentException("no saved_model.pb in " + savedModel);
    }
    Map<String, Signature> out = new LinkedHashMap<>();
    try (SavedModelBundle b = SavedModelBundle.load(savedModel.toString(), "serve")) {
      for (Map.Entry<String, SignatureDef> e : new TreeMap<>(b.metaGraphDef().getSignatureDefMap()).entrySet()) {
        if (e.getKey().startsWith("__")) {
          continue; // __saved_model_init_op and similar are not model signatures
        }
        out.put(e.getKey(), new Signature(new ArrayList<>(new TreeMap<>(e.getValue().getInputsMap()).keySet()),
            new ArrayList<>(new TreeMap<>(e.getValue().getOutputsMap()).keySet())));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("TensorFlow cannot load it with tag 'serve': " + e.getMessage(), e);
    }
    return out;
  }
}
