package org.hesspec.experiments.bench;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The plain Lanczos update of {@code curvature.ResidentRecurrence}, built twice on flat float32
 * vectors of p entries and timed in alternation in one process, so that both meet the same machine:
 *
 * <ul>
 *   <li><b>copy</b>: v and {@code q_{j-1}} are ref variables; the move copies v into {@code q_{j-1}}
 *       and assigns {@code a / |a|} to v (17 passes over p-vectors);
 *   <li><b>swap</b>: v and {@code q_{j-1}} are resource variables; v adopts the buffer of {@code a /
 *       |a|} and {@code q_{j-1}} adopts v's old one (13 passes), as the recurrence does now.
 * </ul>
 *
 * Both run {@code a <- a - c q_{j-1}}, {@code t = <a, v>}, {@code a <- a - t v}, {@code |a|^2}, then
 * the move; the accumulator a is refilled between runs (not timed) so the values stay bounded.
 * Prints the median and fastest time of each and the median of the per-round ratio swap/copy with
 * its interquartile range.
 *
 * <pre>
 *   java -cp 'experiments/target/hesspec-experiments.jar:experiments/target/lib/*' \
 *     org.hesspec.experiments.bench.LanczosMoveBench [p] [rounds] [threads]
 * </pre>
 */
public final class LanczosMoveBench {
  private LanczosMoveBench() {}

  public static void main(String[] args) {
    int p = args.length > 0 ? Integer.parseInt(args[0]) : 1_863_690;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Shape shape = Shape.of(p);
      Operand<TFloat32> random = tf.random.randomStandardNormal(tf.constant(new long[] {p}), TFloat32.class);
      Placeholder<TFloat32> c = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

      Variable<TFloat32> v0 = tf.variable(shape, TFloat32.class);
      Variable<TFloat32> prev0 = tf.variable(shape, TFloat32.class);
      Variable<TFloat32> a0 = tf.variable(shape, TFloat32.class);
      Operand<TFloat32> w0 = tf.train.applyGradientDescent(a0, c, prev0);
      Operand<TFloat32> t0 = dot(tf, w0, v0);
      Operand<TFloat32> x0 = tf.train.applyGradientDescent(w0, t0, v0);
      Operand<TFloat32> n0 = tf.nn.l2Loss(x0);
      Operand<TFloat32> next0 = tf.math.mul(x0, tf.math.rsqrt(n0));
      Op toPrevious0 = tf.withControlDependencies(List.of(next0)).assign(prev0, v0);
      Op copy = tf.withControlDependencies(List.of(toPrevious0)).assign(v0, next0);

      Operand<?> v1 = tf.withName("v1").varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName("v1"));
      Operand<?> prev1 = tf.withName("prev1").varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName("prev1"));
      Variable<TFloat32> a1 = tf.variable(shape, TFloat32.class);
      Operand<TFloat32> v1Value = tf.readVariableOp(v1, TFloat32.class);
      Operand<TFloat32> w1 = tf.train.applyGradientDescent(a1, c, tf.readVariableOp(prev1, TFloat32.class));
      Operand<TFloat32> t1 = dot(tf, w1, v1Value);
      Operand<TFloat32> x1 = tf.train.applyGradientDescent(w1, t1, v1Value);
      Operand<TFloat32> n1 = tf.nn.l2Loss(x1);
      Operand<TFloat32> next1 = tf.math.mul(x1, tf.math.rsqrt(n1));
      Operand<TFloat32> old = tf.readVariableOp(v1, TFloat32.class);
      Op toCurrent = tf.withControlDependencies(List.of(old)).assignVariableOp(v1, next1);
      Op swap = tf.withControlDependencies(List.of(toCurrent)).assignVariableOp(prev1, old);

      List<Op> init = List.of(tf.assign(v0, random), tf.assign(prev0, random), tf.assign(a0, random),
          tf.assignVariableOp(v1, random), tf.assignVariableOp(prev1, random), tf.assign(a1, random));
      List<Op> refill = List.of(tf.assign(a0, random), tf.assign(a1, random));
      ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads)
          .setInterOpParallelismThreads(1).build();
      try (Session s = new Session(g, config); TFloat32 coefficient = TFloat32.scalarOf(1e-3f)) {
        run(s.runner(), init);
        int warm = 5;
        double[] copyMs = new double[rounds];
        double[] swapMs = new double[rounds];
        for (int r = -warm; r < rounds; r++) {
          run(s.runner(), refill);
          boolean copyFirst = (r & 1) == 0; // ABAB, reversed every other round
          double first = time(s, copyFirst ? copy : swap, copyFirst ? n0 : n1, c, coefficient);
          double second = time(s, copyFirst ? swap : copy, copyFirst ? n1 : n0, c, coefficient);
          if (r >= 0) {
            copyMs[r] = copyFirst ? first : second;
            swapMs[r] = copyFirst ? second : first;
          }
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = swapMs[r] / copyMs[r];
        }
        System.out.printf("Lanczos update at p = %,d (float32, %d intra-op threads), %d alternating rounds, load %.2f%n",
            p, threads, rounds, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("  copy (17 passes): median %.3f ms, fastest %.3f ms%n", Timing.quantile(copyMs, 0.5), Timing.quantile(copyMs, 0));
        System.out.printf("  swap (13 passes): median %.3f ms, fastest %.3f ms%n", Timing.quantile(swapMs, 0.5), Timing.quantile(swapMs, 0));
        System.out.printf("  swap/copy per round: median %.3f (interquartile %.3f..%.3f); 13/17 = %.3f%n",
            Timing.quantile(ratio, 0.5), Timing.quantile(ratio, 0.25), Timing.quantile(ratio, 0.75), 13.0 / 17);
      }
    }
  }

  private static Operand<TFloat32> dot(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
    return tf.reduceSum(tf.math.mul(x, y), tf.constant(new int[] {0}));
  }

  private static void run(Session.Runner r, List<Op> targets) {
    targets.forEach(r::addTarget);
    r.run().close();
  }

  private static double time(Session s, Op move, Operand<TFloat32> norm, Placeholder<TFloat32> c, TFloat32 value) {
    long start = System.nanoTime();
    s.runner().feed(c, value).fetch(norm).addTarget(move).run().close();
    return (System.nanoTime() - start) / 1e6;
  }
}
