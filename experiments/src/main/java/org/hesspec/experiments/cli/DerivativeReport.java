package org.hesspec.experiments.cli;

import java.util.List;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.grad.DerivativeSupport;
import org.hesspec.model.grad.OpSupport;

/**
 * Prints, before any run, whether every op between the parameters and the output has the first
 * and second derivatives the curvature products need (with hesspec's own gradients registered).
 */
final class DerivativeReport {
  private DerivativeReport() {}

  /** Returns true when every op is supported. */
  static boolean print(ModelDefinition m) {
    if (m == null) {
      return false;
    }
    List<OpSupport> support = DerivativeSupport.analyze(m);
    List<OpSupport> missing = support.stream().filter(s -> !s.supported()).toList();
    System.out.println();
    if (missing.isEmpty()) {
      System.out.println("Second derivatives: every op between the parameters and the output (" + support.size()
          + " op types) has the first and second derivatives Hess v, G v and H v need.");
      return true;
    }
    System.out.println("Second derivatives: MISSING for " + missing.size() + " op type(s); products through them will fail:");
    for (OpSupport s : missing) {
      System.out.println("  " + s.opType() + " (" + s.dtype() + "): first " + (s.hasFirst() ? "yes" : "NO") + ", second "
          + (s.hasSecond() ? "yes" : "NO") + "; missing " + s.missing() + (s.detail() == null ? "" : " - " + s.detail()));
    }
    return false;
  }
}
