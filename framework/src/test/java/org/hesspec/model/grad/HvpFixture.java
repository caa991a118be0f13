package org.hesspec.model.grad;

import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * A scalar function of a flat parameter vector theta (a placeholder of length p) with its gradient
 * and Hessian-vector product built by {@link HessianVectorProduct}, plus the finite-difference and
 * dense-Hessian machinery the tests compare against.
 */
final class HvpFixture implements AutoCloseable {

  /** Builds the scalar loss from theta; use {@link #param} and {@link #constant} inside. */
  interface LossBuilder {
    Output<?> build(HvpFixture f, Ops tf);
  }

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final DataType dtype;
  final int p;
  final Output<?> theta;
  final Output<?> v;
  final Output<?> loss;
  final HessianVectorProduct hvp;
  private final Session session;

  HvpFixture(int p, DataType dtype, LossBuilder builder) {
    this.p = p;
    this.dtype = dtype;
    this.theta = placeholder("theta", Shape.of(p));
    this.v = placeholder("v", Shape.of(p));
    this.loss = builder.build(this, tf);
    this.hvp = HessianVectorProduct.build(graph, loss, theta, v);
    this.session = new Session(graph);
  }

  private Output<?> placeholder(String name, Shape shape) {
    return RawOps.builder(tf.withName(name), "Placeholder")
        .setAttr("dtype", dtype)
        .setAttr("shape", shape)
        .build()
        .output(0);
  }

  /** theta[offset : offset + prod(shape)] reshaped to {@code shape} (Slice + Reshape ops). */
  Output<?> param(int offset, long... shape) {
    long n = Shape.of(shape).size();
    Output<?> flat =
        RawOps.op(
            tf,
            "Slice",
            theta,
            tf.constant(new int[] {offset}).asOutput(),
            tf.constant(new int[] {(int) n}).asOutput());
    return RawOps.op(tf, "Reshape", flat, tf.constant(toInts(shape)).asOutput());
  }

  /** A constant of the fixture's dtype. */
  Output<?> constant(double[] values, long... shape) {
    Output<?> c =
        tf.constant(Shape.of(shape), DataBuffers.of(values.clone(), true, false)).asOutput();
    return dtype == DataType.DT_DOUBLE ? c : RawOps.cast(tf, c, dtype);
  }

  /** A seeded pseudo-random constant, entries uniform in [-scale, scale]. */
  Output<?> randomConstant(long seed, double scale, long... shape) {
    return constant(random(seed, (int) Shape.of(shape).size(), scale), shape);
  }

  static double[] random(long seed, int n, double scale) {
    Random r = new Random(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = scale * (2 * r.nextDouble() - 1);
    }
    return a;
  }

  double[] gradient(double[] th) {
    return eval(hvp.gradients()[0], th, new double[p]);
  }

  double[] hvp(double[] th, double[] vec) {
    return eval(hvp.products()[0], th, vec);
  }

  /** Any tensor of the graph, flattened, at theta (v fed as given). */
  double[] eval(Output<?> out, double[] th, double[] vec) {
    try (Tensor t = vector(th);
        Tensor tv = vector(vec);
        Result r = session.runner().feed(theta, t).feed(v, tv).fetch(out).run()) {
      return flatten(r.get(0));
    }
  }

  double[] eval(Output<?> out, double[] th) {
    return eval(out, th, new double[p]);
  }

  /** Central difference of the gradient along vec: (g(th + eps vec) - g(th - eps vec)) / 2eps. */
  double[] finiteDifferenceHvp(double[] th, double[] vec, double eps) {
    double[] gp = gradient(axpy(th, eps, vec));
    double[] gm = gradient(axpy(th, -eps, vec));
    double[] d = new double[p];
    for (int i = 0; i < p; i++) {
      d[i] = (gp[i] - gm[i]) / (2 * eps);
    }
    return d;
  }

  /** The dense Hessian, column j = H e_j (p products). */
  double[][] denseHessian(double[] th) {
    double[][] h = new double[p][];
    for (int j = 0; j < p; j++) {
      double[] e = new double[p];
      e[j] = 1;
      h[j] = hvp(th, e); // column j; stored as row j, symmetry is what the tests check
    }
    return h;
  }

  static double[] axpy(double[] x, double a, double[] y) {
    double[] r = x.clone();
    for (int i = 0; i < r.length; i++) {
      r[i] += a * y[i];
    }
    return r;
  }

  static double norm(double[] x) {
    double s = 0;
    for (double d : x) {
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** ||a - b|| / ||b||. */
  static double relativeError(double[] a, double[] b) {
    double[] d = axpy(a, -1, b);
    return norm(d) / norm(b);
  }

  private Tensor vector(double[] x) {
    if (dtype == DataType.DT_DOUBLE) {
      return TFloat64.vectorOf(x);
    }
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return TFloat32.vectorOf(f);
  }

  static double[] flatten(Tensor t) {
    if (t instanceof TFloat64 d) {
      return d.streamOfDoubles().toArray();
    }
    if (t instanceof TFloat32 f) {
      float[] a = new float[(int) f.size()];
      f.copyTo(DataBuffers.of(a, false, false));
      double[] r = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        r[i] = a[i];
      }
      return r;
    }
    throw new IllegalArgumentException("not floating: " + t.dataType());
  }

  private static int[] toInts(long[] a) {
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = (int) a[i];
    }
    return r;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
