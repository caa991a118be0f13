package org.hesspec.curvature;

import org.hesspec.model.Precision;

/**
 * The basis of a restarted Lanczos run (thick-restart Lanczos, Wu and Simon 2000) and its work
 * vector w, kept where the products of an operator {@code A} run, together with the operations the
 * iteration needs on them: a product of a slot into w, the orthogonalisation of w against the
 * first slots, storing w into a slot, and the small-matrix transforms of a restart or a lock. Only
 * coefficients and norms cross to the caller during the iteration; whole vectors cross only to
 * start, inject a random vector, read results and write or read checkpoints.
 *
 * <p>Two implementations: Java arrays with products through {@link LinearOperator#apply} (any
 * operator), and TensorFlow variables of the model's dtype next to the products of a {@link
 * CurvatureGraph} ({@link LinearOperator#krylovVectors}).
 *
 * <p>Every operation is deterministic: the same calls on the same contents give the same bits,
 * which a bit-for-bit resume from a checkpoint relies on.
 */
public interface KrylovVectors extends AutoCloseable {

  /** The dimension p. */
  int dimension();

  /** The precision the vectors are stored in. */
  Precision precision();

  /**
   * {@code w = A q_slot}; returns {@code ||w||^2}. A product that is not finite throws an {@link
   * ArithmeticException} naming its cause, or returns a value that is not finite.
   */
  double product(int slot);

  /** {@code w = v} (a vector from the caller, e.g. a random start for an injection). */
  void load(double[] v);

  /**
   * Removes from w its components along slots {@code [0, count)} by classical Gram-Schmidt applied
   * twice (Parlett, The Symmetric Eigenvalue Problem, sec. 6-9) and returns the total coefficients
   * of both passes, {@code Q^T w} of the original w.
   */
  double[] orthogonalizeTwice(int count);

  /** {@code ||w||}. */
  double norm();

  /** Stores {@code factor * w} in {@code slot} (w may be changed). */
  void storeScaled(int slot, double factor);

  /** Stores {@code v} (rounded to the storage precision) in {@code slot}. */
  void set(int slot, double[] v);

  /** Copies slot i, widened to double, into out. */
  void get(int slot, double[] out);

  /** {@code out = sum_i s[i] q_{offset + i}}. */
  void combine(int offset, double[] s, double[] out);

  /**
   * Replaces slots {@code [offset, offset + l)} by {@code Q S}, Q the slots {@code [offset, offset
   * + n)} and S n x l ({@code s[i][r]}), in place.
   */
  void transform(int offset, int n, double[][] s, int l);

  /** Copies slot {@code from} into slot {@code to}; {@code from} is free afterwards. */
  void move(int from, int to);

  /** Slot t receives old slot {@code order[t]}; slots from {@code order.length} on are free. */
  void permute(int[] order);

  /** Slots from {@code from} on are free. */
  void clearFrom(int from);

  /**
   * The residual {@code ||A x - theta x||} of the unit vector {@code x = q_slot / ||q_slot||} by
   * one product (the slot may be normalised in place; w is overwritten).
   */
  double residual(int slot, double theta);

  /**
   * Copies entries {@code [from, from + n)} of slot i of a float64 basis into {@code out[0, n)}: a
   * checkpoint streams each slot through one small buffer, so no p-vector is allocated in Java.
   */
  void rawChunk(int slot, int from, double[] out, int n);

  /** As {@link #rawChunk(int, int, double[], int)} for a float32 basis, without widening. */
  void rawChunk(int slot, int from, float[] out, int n);

  /** Stores raw float64 entries (resuming a float64 basis). */
  void setRaw(int slot, double[] v);

  /** Stores raw float32 entries (resuming a float32 basis). */
  void setRaw(int slot, float[] v);

  /** Releases the storage. */
  @Override
  void close();
}
