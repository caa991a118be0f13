package org.hesspec.experiments.cli;

import org.hesspec.model.ModelDefinition;

/** Prints which ops of a model lack a derivative that the curvature products need. */
final class DerivativeReport {
  private DerivativeReport() {}

  static void print(ModelDefinition m) {
    // Filled in when the second-derivative registry lands.
  }
}
