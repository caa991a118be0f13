package org.hesspec.experiments.bench;

import org.hesspec.curvature.SessionSettings;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The machine's dense float32 matrix-multiply rate through TensorFlow, measured in the same run
 * as the products so that each product's achieved rate can be compared with it: C = A B with
 * n = 2048 resident operands, 2 n^3 flops per multiply.
 */
final class MatmulRate {
  private MatmulRate() {}

  /** GFLOP/s: median, lowest and highest rate of {@code runs}. */
  static Timing gflops(SessionSettings settings, int runs) {
    int n = 2048;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> a = tf.variable(tf.random.randomUniform(tf.constant(new int[] {n, n}), TFloat32.class));
      Variable<TFloat32> b = tf.variable(tf.random.randomUniform(tf.constant(new int[] {n, n}), TFloat32.class));
      // Reduce the product to a scalar so the timing is not a 16 MB copy to Java.
      var c = tf.reduceSum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
      ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(settings.intraOpThreads())
          .setInterOpParallelismThreads(settings.interOpThreads()).build();
      try (Session s = new Session(g, config)) {
        s.initialize();
        Timing t = Timing.of(() -> {
          try (Result r = s.runner().fetch(c).run()) {
            // value unused
          }
        }, 2, runs);
        double flops = 2.0 * n * n * n / 1e9;
        return new Timing(flops / t.median(), flops / t.max(), flops / t.min(), runs);
      }
    }
  }
}
