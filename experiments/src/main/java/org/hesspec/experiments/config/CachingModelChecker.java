package org.hesspec.experiments.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Asks the real checker once per SavedModel: every sweep point is validated separately, but
 * loading a model through TensorFlow is slow.
 */
final class CachingModelChecker implements ModelChecker {

  private final ModelChecker delegate;
  private final Map<Path, Map<String, Signature>> loaded = new HashMap<>();
  private final Map<Path, Exception> failed = new HashMap<>();

  CachingModelChecker(ModelChecker delegate) {
    this.delegate = delegate;
  }

  @Override
  public Map<String, Signature> signatures(Path savedModel) throws Exception {
    if (failed.containsKey(savedModel)) {
      throw failed.get(savedModel);
    }
    if (!loaded.containsKey(savedModel)) {
      try {
        loaded.put(savedModel, Map.copyOf(delegate.signatures(savedModel)));
      } catch (Exception e) {
        failed.put(savedModel, e);
        throw e;
      }
    }
    return loaded.get(savedModel);
  }
}
