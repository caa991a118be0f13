package org.hesspec.experiments.bench;

import org.hesspec.curvature.SessionSettings;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The machine's rates through TensorFlow, with hesspec's thread settings, measured in the same
 * time window as the products so that a slow machine can be told from a slow product:
 *
 * <ul>
 *   <li>dense float32 matrix multiply, C = A B with n = 2048 resident operands, 2 n^3 flops;
 *   <li>memory bandwidth, a STREAM-like triad: {@code a <- a - s b} in place on two float32
 *       vectors of 2^24 elements (64 MiB each, twice the 32 MB last-level cache of the development
 *       machine), counted as 3 streams of 4 bytes per element (read a, read b, write a), as STREAM
 *       counts its triad. It is the in-place axpy ({@code ApplyGradientDescent}) the Lanczos step
 *       runs, so it is also the ceiling of the step's own work.
 * </ul>
 */
final class MatmulRate implements AutoCloseable {

  static final int MATMUL_N = 2048;
  static final int TRIAD_ELEMENTS = 1 << 24;

  private final Graph graph;
  private final Session session;
  private final Operand<TFloat32> product;
  private final Op triad;

  MatmulRate(SessionSettings settings) {
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      int n = MATMUL_N;
      Variable<TFloat32> a = tf.variable(tf.random.randomUniform(tf.constant(new int[] {n, n}), TFloat32.class));
      Variable<TFloat32> b = tf.variable(tf.random.randomUniform(tf.constant(new int[] {n, n}), TFloat32.class));
      // Reduce the product to a scalar so the timing is not a 16 MB copy to Java.
      product = tf.reduceSum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
      Variable<TFloat32> x = tf.variable(tf.random.randomUniform(tf.constant(new int[] {TRIAD_ELEMENTS}), TFloat32.class));
      Variable<TFloat32> y = tf.variable(tf.random.randomUniform(tf.constant(new int[] {TRIAD_ELEMENTS}), TFloat32.class));
      // s = 0: x keeps its values however often the triad runs (no drift towards overflow or denormals)
      triad = tf.train.applyGradientDescent(x, tf.constant(0f), y);
      ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(settings.intraOpThreads())
          .setInterOpParallelismThreads(settings.interOpThreads()).build();
      session = new Session(graph, config);
      session.initialize();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** One dense multiply: GFLOP/s. */
  double matmulOnce() {
    double s = Timing.seconds(() -> {
      try (Result r = session.runner().fetch(product).run()) {
        // value unused
      }
    });
    return 2.0 * MATMUL_N * MATMUL_N * MATMUL_N / 1e9 / s;
  }

  /** One triad: GB/s (10^9 bytes). */
  double triadOnce() {
    double s = Timing.seconds(() -> session.runner().addTarget(triad).run().close());
    return 3.0 * 4 * TRIAD_ELEMENTS / 1e9 / s;
  }

  /** GFLOP/s of {@code runs} multiplies after two warm-up ones: median, lowest and highest. */
  static Timing gflops(SessionSettings settings, int runs) {
    try (MatmulRate m = new MatmulRate(settings)) {
      return m.series(runs, true);
    }
  }

  /** Rates of {@code runs} multiplies ({@code matmul}) or triads, after two warm-up runs. */
  Timing series(int runs, boolean matmul) {
    double[] r = new double[runs];
    for (int i = -2; i < runs; i++) {
      double x = matmul ? matmulOnce() : triadOnce();
      if (i >= 0) {
        r[i] = x;
      }
    }
    return Timing.of(r);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
