package org.hesspec.curvature;

/**
 * A symmetric linear map {@code v -> A v} on {@code R^p}, known only through its products.
 *
 * <p>Every curvature matrix of hesspec (the Hessian, {@code G}, {@code H} and their class-structure
 * parts) and every synthetic test operator implements this interface, so the spectral estimators
 * never see a matrix. Implementations must be deterministic: the same {@code v} gives the same
 * {@code A v} bit for bit.
 */
public interface LinearOperator {

  /** The dimension {@code p} of the space the operator acts on. */
  int dimension();

  /**
   * Writes {@code A v} into {@code out}.
   *
   * @param v the input vector, length {@link #dimension()}; not modified
   * @param out receives {@code A v}, length {@link #dimension()}; must not alias {@code v}
   */
  void apply(double[] v, double[] out);

  /**
   * Vectors of a plain Lanczos recurrence on {@code (A - shift I) / scale} kept where this
   * operator's products run, or empty when the operator has no such storage (the recurrence then
   * runs on Java arrays through {@link #apply}).
   *
   * @param scale > 0
   */
  default java.util.Optional<RecurrenceVectors> recurrence(double shift, double scale) {
    return java.util.Optional.empty();
  }

  /**
   * A basis of {@code slots} vectors for restarted Lanczos kept where this operator's products
   * run, stored in {@code precision}, or empty when the operator has no such storage or stores
   * another precision (the basis then lives in Java arrays and products go through {@link
   * #apply}). Close it when done.
   */
  default java.util.Optional<KrylovVectors> krylovVectors(int slots, org.hesspec.model.Precision precision) {
    return java.util.Optional.empty();
  }

  /** Convenience: returns a new array holding {@code A v}. */
  default double[] apply(double[] v) {
    double[] out = new double[dimension()];
    apply(v, out);
    return out;
  }
}
