package org.hesspec.curvature;

/**
 * A Lanczos recurrence whose {@code q_j} may be the value of a {@link CurvatureGraph}'s product
 * vector v, which every product of that graph reads and which others overwrite (the graph's
 * {@link ResidentRecurrence.Slots} track who holds it).
 */
interface VectorHolder {
  /** Called before v is overwritten by someone else: keep {@code q_j} elsewhere if v is its only copy. */
  void saveCurrent();
}
