package org.hesspec.spectral;

import org.hesspec.curvature.KrylovVectors;
import org.hesspec.curvature.LinearOperator;
import org.hesspec.model.Precision;

/**
 * A {@link KrylovVectors} on Java arrays: the basis is a {@link KrylovBasis} (float64 or float32,
 * arithmetic in double), w a float64 array, and a product copies the slot to a float64 array and
 * calls {@link LinearOperator#apply}. For operators that keep no basis of their own.
 */
final class ArrayKrylovVectors implements KrylovVectors {
  private final LinearOperator a;
  private final KrylovBasis basis;
  private final double[] w;
  private final double[] q;

  ArrayKrylovVectors(LinearOperator a, int slots, Precision precision) {
    this.a = a;
    int p = a.dimension();
    this.basis = new KrylovBasis(p, slots, precision);
    this.w = new double[p];
    this.q = new double[p];
  }

  @Override
  public int dimension() {
    return basis.dimension();
  }

  @Override
  public Precision precision() {
    return basis.precision();
  }

  @Override
  public double product(int slot) {
    basis.get(slot, q);
    a.apply(q, w);
    return Vectors.dot(w, w);
  }

  @Override
  public void load(double[] v) {
    System.arraycopy(v, 0, w, 0, w.length);
  }

  @Override
  public double[] orthogonalizeTwice(int count) {
    return basis.orthogonalizeTwice(w, count);
  }

  @Override
  public double norm() {
    return Vectors.norm(w);
  }

  @Override
  public void storeScaled(int slot, double factor) {
    Vectors.scale(factor, w);
    basis.set(slot, w);
  }

  @Override
  public void set(int slot, double[] v) {
    basis.set(slot, v);
  }

  @Override
  public void get(int slot, double[] out) {
    basis.get(slot, out);
  }

  @Override
  public void combine(int offset, double[] s, double[] out) {
    basis.combine(offset, s, out);
  }

  @Override
  public void transform(int offset, int n, double[][] s, int l) {
    basis.transform(offset, n, s, l);
  }

  @Override
  public void move(int from, int to) {
    basis.move(from, to);
  }

  @Override
  public void permute(int[] order) {
    basis.permute(order);
  }

  @Override
  public void clearFrom(int from) {
    basis.clearFrom(from);
  }

  @Override
  public double residual(int slot, double theta) {
    basis.get(slot, q);
    Vectors.scale(1.0 / Vectors.norm(q), q);
    a.apply(q, w);
    double r2 = 0;
    for (int e = 0; e < q.length; e++) {
      double r = w[e] - theta * q[e];
      r2 += r * r;
    }
    return Math.sqrt(r2);
  }

  @Override
  public void rawChunk(int slot, int from, double[] out, int n) {
    System.arraycopy(basis.rawDouble(slot), from, out, 0, n);
  }

  @Override
  public void rawChunk(int slot, int from, float[] out, int n) {
    System.arraycopy(basis.rawFloat(slot), from, out, 0, n);
  }

  @Override
  public void setRaw(int slot, double[] v) {
    basis.setRaw(slot, v);
  }

  @Override
  public void setRaw(int slot, float[] v) {
    basis.setRaw(slot, v);
  }

  @Override
  public void close() {
    basis.clearFrom(0);
  }
}
