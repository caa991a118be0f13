package org.hesspec.curvature;

/**
 * The vectors of the plain Lanczos three-term recurrence on {@code A' = (A - c I) / d}, kept where
 * the products of {@code A} run (TensorFlow memory for the curvature operators), so that a step
 * copies no p-vector to Java: it returns two numbers.
 *
 * <p>With {@code q_{j-1}} and {@code q_j} held here, {@link #step} computes
 *
 * <pre>
 *   w       = A' q_j - beta_{j-1} q_{j-1}
 *   alpha_j = q_j . w
 *   w      <- w - alpha_j q_j
 *   q_{j-1} <- q_j,   q_j <- w / ||w||
 * </pre>
 *
 * and returns {@code (alpha_j, ||w||^2)}; the caller decides from them whether the run goes on
 * (the moved vectors are then simply not used). Vectors are read out only for checkpoints.
 */
public interface RecurrenceVectors extends AutoCloseable {

  /** The dimension p. */
  int dimension();

  /** Sets {@code q_{j-1}} ({@code null}: zero, as before the first step) and {@code q_j}. */
  void load(double[] previous, double[] current);

  /** One step of the recurrence with {@code beta_{j-1}} (0 at the first step); returns {@code {alpha_j, ||w||^2}}. */
  double[] step(double betaPrevious);

  /** A copy of {@code q_{j-1}}. */
  double[] previous();

  /** A copy of {@code q_j}. */
  double[] current();

  /** Releases the vectors' storage. */
  @Override
  void close();
}
