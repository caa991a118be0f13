package org.hesspec.experiments.bench;

import java.util.ArrayList;
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
 * What the plain Lanczos update of {@code curvature.ResidentRecurrence} could cost if it were
 * built differently: each variant on the bench mlp's six parameter tensors (784x1024, 1024,
 * 1024x1024, 1024, 1024x10, 10; p = 1,863,690, float32), timed in rotating order in one process.
 *
 * <ul>
 *   <li><b>current</b>: as the recurrence does it: {@code a <- a - c q_{j-1}} (in place), {@code t =
 *       sum(a * q_j)} (Mul, then Sum), {@code a <- a - t q_j} (in place), {@code |a|^2} (L2Loss),
 *       {@code q_{j+1} = a / |a|} (a new buffer that v adopts; {@code q_{j-1}} adopts v's old one):
 *       13 passes over p-vectors;
 *   <li><b>bmm-dot</b>: the dot product as a BatchMatMul of 16 row blocks, [16,1,n/16] x [16,n/16,1]
 *       (no p-sized temporary: 11 passes; a plain [1,p] x [p,1] MatMul is slower than Mul + Sum);
 *   <li><b>unnormalised</b>: no {@code a / |a|} pass: v adopts the accumulator's buffer as it is, the
 *       lower bound of a lazily normalised recurrence (the norm carried in the next step's
 *       coefficients, 11 passes);
 *   <li><b>bmm-dot+unnormalised</b>: both (9 passes);
 *   <li><b>session call</b>: a session run that feeds and fetches one scalar, what a step's second
 *       run costs before any work.
 * </ul>
 *
 * The accumulators are refilled before every round (not timed). Not the recurrence's numerics:
 * the variants only time the passes. Prints each variant's median, interquartile range and fastest.
 *
 * <pre>
 *   java -cp 'experiments/target/hesspec-experiments.jar:experiments/target/lib/*' \
 *     org.hesspec.experiments.bench.LanczosUpdateVariants [rounds] [intra-op threads] [inter-op threads]
 * </pre>
 */
public final class LanczosUpdateVariants {
  private static final Shape[] MLP = {
      Shape.of(784, 1024), Shape.of(1024), Shape.of(1024, 1024), Shape.of(1024), Shape.of(1024, 10), Shape.of(10)};
  private static final int BLOCKS = 16;

  private LanczosUpdateVariants() {}

  /** One built variant: the targets that move the vectors, and the fetched norm. */
  private record Update(String name, List<Op> move, Operand<TFloat32> norm) {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    int interOp = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    long p = 0;
    for (Shape s : MLP) {
      p += s.size();
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> random = tf.random.randomStandardNormal(tf.constant(new long[] {p}), TFloat32.class);
      Placeholder<TFloat32> c = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      List<Op> init = new ArrayList<>();
      List<Op> refill = new ArrayList<>();
      List<Update> updates = List.of(
          build(tf, "current", false, false, c, random, init, refill),
          build(tf, "bmm-dot", true, false, c, random, init, refill),
          build(tf, "unnormalised", false, true, c, random, init, refill),
          build(tf, "bmm-dot+unnormalised", true, true, c, random, init, refill));
      Operand<TFloat32> trivial = tf.math.mul(c, c);
      ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(interOp).build();
      try (Session s = new Session(g, config); TFloat32 coefficient = TFloat32.scalarOf(1e-3f)) {
        run(s.runner(), init);
        int n = updates.size() + 1;
        double[][] ms = new double[n][rounds];
        for (int r = -5; r < rounds; r++) {
          run(s.runner(), refill);
          for (int k = 0; k < n; k++) {
            int i = (k + Math.floorMod(r, n)) % n; // rotate which variant runs first
            long start = System.nanoTime();
            if (i == updates.size()) {
              s.runner().feed(c, coefficient).fetch(trivial).run().close();
            } else {
              Update u = updates.get(i);
              Session.Runner runner = s.runner().feed(c, coefficient).fetch(u.norm());
              u.move().forEach(runner::addTarget);
              runner.run().close();
            }
            if (r >= 0) {
              ms[i][r] = (System.nanoTime() - start) / 1e6;
            }
          }
        }
        System.out.printf("Lanczos update variants at p = %,d (the bench mlp's 6 tensors, float32), %d intra-op / %d inter-op threads, "
            + "%d rotating rounds, load %.2f%n", p, threads, interOp, rounds,
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int i = 0; i < n; i++) {
          double[] t = ms[i];
          System.out.printf("  %-22s median %6.3f ms  interquartile %6.3f..%6.3f  fastest %6.3f%n",
              i == updates.size() ? "session call" : updates.get(i).name(), Timing.quantile(t, 0.5), Timing.quantile(t, 0.25),
              Timing.quantile(t, 0.75), Timing.quantile(t, 0));
        }
      }
    }
  }

  private static Update build(Ops tf, String name, boolean bmmDot, boolean unnormalised, Placeholder<TFloat32> c,
      Operand<TFloat32> random, List<Op> init, List<Op> refill) {
    List<Operand<?>> current = new ArrayList<>();
    List<Operand<?>> previous = new ArrayList<>();
    List<Operand<TFloat32>> w = new ArrayList<>();
    List<Operand<TFloat32>> dots = new ArrayList<>();
    for (int s = 0; s < MLP.length; s++) {
      Shape shape = MLP[s];
      String id = name.replace("+", "_and_") + "_" + s;
      Operand<?> v = tf.withName("v_" + id).varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName("v_" + id));
      Operand<?> prev = tf.withName("prev_" + id).varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName("prev_" + id));
      Variable<TFloat32> a = tf.variable(shape, TFloat32.class);
      current.add(v);
      previous.add(prev);
      Operand<TFloat32> values = tf.reshape(tf.slice(random, tf.constant(new long[] {0}), tf.constant(new long[] {shape.size()})),
          tf.constant(shape.asArray()));
      init.addAll(List.of(tf.assignVariableOp(v, values), tf.assignVariableOp(prev, values), tf.assign(a, values)));
      refill.add(tf.assign(a, values));
      // a <- a - c q_{j-1};  t_s = <a, q_j>
      Operand<TFloat32> ws = tf.train.applyGradientDescent(a, c, tf.readVariableOp(prev, TFloat32.class));
      w.add(ws);
      dots.add(dot(tf, ws, tf.readVariableOp(v, TFloat32.class), shape.size(), bmmDot));
    }
    Operand<TFloat32> t = tf.math.addN(dots);
    List<Operand<TFloat32>> squares = new ArrayList<>();
    List<Operand<TFloat32>> x = new ArrayList<>();
    for (int s = 0; s < MLP.length; s++) {
      // a <- a - t q_j;  |a|^2
      Operand<TFloat32> xs = tf.train.applyGradientDescent(w.get(s), t, tf.readVariableOp(current.get(s), TFloat32.class));
      x.add(xs);
      squares.add(tf.nn.l2Loss(xs));
    }
    Operand<TFloat32> norm = tf.math.addN(squares);
    Operand<TFloat32> inverse = tf.math.rsqrt(norm);
    List<Op> move = new ArrayList<>();
    for (int s = 0; s < MLP.length; s++) {
      // q_{j+1}: a new buffer a / |a|, or the accumulator's own (v then shares it: a bound, not a design)
      Operand<TFloat32> next = unnormalised ? tf.identity(x.get(s)) : tf.math.mul(x.get(s), inverse);
      Operand<TFloat32> old = tf.readVariableOp(current.get(s), TFloat32.class);
      Op toCurrent = tf.withControlDependencies(List.of(old)).assignVariableOp(current.get(s), next);
      move.add(tf.withControlDependencies(List.of(toCurrent)).assignVariableOp(previous.get(s), old));
    }
    return new Update(name, move, norm);
  }

  private static Operand<TFloat32> dot(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, long n, boolean bmm) {
    if (bmm && n % BLOCKS == 0) {
      Operand<TFloat32> rows = tf.reshape(x, tf.constant(new long[] {BLOCKS, 1, n / BLOCKS}));
      Operand<TFloat32> columns = tf.reshape(y, tf.constant(new long[] {BLOCKS, n / BLOCKS, 1}));
      return tf.reduceSum(tf.train.batchMatMul(rows, columns, TFloat32.class), tf.constant(new int[] {0, 1, 2}));
    }
    int rank = x.shape().numDimensions();
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    return tf.reduceSum(tf.math.mul(x, y), tf.constant(axes));
  }

  private static void run(Session.Runner r, List<Op> targets) {
    targets.forEach(r::addTarget);
    r.run().close();
  }
}
