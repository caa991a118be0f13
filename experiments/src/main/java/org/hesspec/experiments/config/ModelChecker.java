package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks that need the model itself (TensorFlow), plugged into {@link ExperimentLoader} by the
 * runner so this package stays free of TensorFlow. Without one, a SavedModel is only checked to
 * be a folder with a {@code saved_model.pb}.
 */
public interface ModelChecker {

  /**
   * One serving signature.
   *
   * @param inputs its input keys
   * @param outputs its output keys
   */
  record Signature(List<String> inputs, List<String> outputs) {
    public Signature {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }
  }

  /**
   * The signatures of the SavedModel (tag {@code serve}) by name.
   *
   * @throws Exception when the folder cannot be loaded; its message is shown to the user
   */
  Map<String, Signature> signatures(Path savedModel) throws Exception;
}
