package org.hesspec.curvature;

import static org.hesspec.curvature.CurvatureNumerics.dense;
import static org.hesspec.curvature.CurvatureNumerics.dot;
import static org.hesspec.curvature.CurvatureNumerics.frobenius;
import static org.hesspec.curvature.CurvatureNumerics.norm;
import static org.hesspec.curvature.CurvatureNumerics.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hesspec.curvature.CurvatureOperator;
import org.hesspec.data.Dataset;
import org.hesspec.model.FunctionModel;
import org.hesspec.model.ModelDefinition;
import org.hesspec.model.OutputKind;
import org.hesspec.model.ParameterLayout;
import org.hesspec.model.Precision;
import org.hesspec.structure.GramSpectra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Hess, G and H of small nonlinear float64 networks against finite differences and against each
 * other: a ReLU MLP and a tanh MLP (5-6-6-3, p = 99) and a CNN on 6x6x1 inputs (3x3 VALID conv with
 * BiasAdd, ReLU, 2x2/1 max-pool, 2x2/1 avg-pool, dense 8 -> 3; p = 47), softmax cross-entropy on
 * N = 24 Gaussian examples with random labels, and the tanh MLP under MSE.
 *
 * <p>Finite differences of a piecewise-smooth network are only meaningful when no ReLU sign and no
 * max-pool argmax changes between theta - h v and theta + h v (docs/mathematics.md, "Testing the numerics"). Each
 * finite-difference check therefore (a) counts such changes directly, with a probe model whose
 * output is every pre-activation and every max-pool input of the network, and (b) compares the
 * differences at h and h/4 with each other and with the product: inside one smooth piece both agree
 * to O(h^2); a crossed kink would show as an O(1/h) discrepancy between the two steps.
 */
class NonlinearCurvatureTest {

  static final int N = 24;
  static final int C = 3;
  /** The finite-difference step (see the class comment and {@link #assertNoKinkCrossed}). */
  static final double H_STEP = 1e-5;

  /** The three networks. */
  enum Net {
    RELU_MLP(new long[] {5}, List.of(new long[] {5, 6}, new long[] {6}, new long[] {6, 6}, new long[] {6}, new long[] {6, C},
        new long[] {C}), 0.6, 101, true),
    TANH_MLP(new long[] {5}, List.of(new long[] {5, 6}, new long[] {6}, new long[] {6, 6}, new long[] {6}, new long[] {6, C},
        new long[] {C}), 0.6, 102, false),
    CNN(new long[] {6, 6, 1}, List.of(new long[] {3, 3, 1, 2}, new long[] {2}, new long[] {8, C}, new long[] {C}), 0.5, 103, true);

    final long[] exampleShape;
    final List<long[]> shapes;
    final double scale;
    final long seed;
    final boolean piecewiseLinear;

    Net(long[] exampleShape, List<long[]> shapes, double scale, long seed, boolean piecewiseLinear) {
      this.exampleShape = exampleShape;
      this.shapes = shapes;
      this.scale = scale;
      this.seed = seed;
      this.piecewiseLinear = piecewiseLinear;
    }

    ParameterLayout layout() {
      List<String> names = new ArrayList<>();
      for (int k = 0; k < shapes.size(); k++) {
        names.add("param_" + k);
      }
      return ParameterLayout.of(names, shapes);
    }

    /** Index of the last layer's kernel [d, C]; the bias [C] follows it. */
    int lastKernel() {
      return shapes.size() - 2;
    }

    /** Groups of parameter tensors that form one layer (kernel and bias). */
    int[][] layers() {
      return this == CNN ? new int[][] {{0, 1}, {2, 3}} : new int[][] {{0, 1}, {2, 3}, {4, 5}};
    }

    int exampleSize() {
      int s = 1;
      for (long d : exampleShape) {
        s *= (int) d;
      }
      return s;
    }

    /** Seeded N(0, scale^2) parameters, rounded to float32 values so that float32 and float64 models hold the same theta. */
    double[] theta() {
      Random r = new Random(seed);
      double[] t = new double[Math.toIntExact(layout().dimension())];
      for (int i = 0; i < t.length; i++) {
        t[i] = (float) (scale * r.nextGaussian());
      }
      return t;
    }

    Dataset data() {
      Random r = new Random(seed + 1000);
      float[] f = new float[N * exampleSize()];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) r.nextGaussian();
      }
      int[] y = new int[N];
      for (int i = 0; i < N; i++) {
        y[i] = r.nextInt(C);
      }
      int[] shape = new int[exampleShape.length];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = (int) exampleShape[d];
      }
      return Dataset.classification(name(), f, shape, y, C);
    }
  }

  /** A place where the network is not smooth: a ReLU pre-activation (sign) or a max-pool input (window argmax). */
  record Site(int size, int[] pool) {}

  @SuppressWarnings("unchecked")
  static Operand<TFloating> forward(Net net, Ops tf, Operand<TFloating> x, List<Operand<TFloating>> p,
      List<Operand<TFloating>> kinks, List<Site> sites) {
    switch (net) {
      case RELU_MLP, TANH_MLP -> {
        Operand<TFloating> a = x;
        for (int layer = 0; layer < 2; layer++) {
          Operand<TFloating> pre = tf.math.add(tf.linalg.matMul(a, p.get(2 * layer)), p.get(2 * layer + 1));
          if (net == Net.RELU_MLP) {
            kinks.add(pre);
            sites.add(new Site(6, null));
            a = tf.nn.relu(pre);
          } else {
            a = tf.math.tanh(pre);
          }
        }
        return tf.math.add(tf.linalg.matMul(a, p.get(4)), p.get(5));
      }
      case CNN -> {
        Operand<TFloating> conv = tf.nn.conv2d(x, p.get(0), List.of(1L, 1L, 1L, 1L), "VALID");
        Operand<TFloating> pre = tf.nn.biasAdd(conv, p.get(1));
        Operand<TFloating> a = tf.nn.relu(pre);
        kinks.add(pre);
        sites.add(new Site(4 * 4 * 2, null));
        kinks.add(a);
        sites.add(new Site(4 * 4 * 2, new int[] {4, 4, 2, 2, 1}));
        Operand<TFloating> m = tf.nn.maxPool(a, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 1, 1, 1}), "VALID");
        Operand<TFloating> avg = tf.nn.avgPool(m, List.of(1L, 2L, 2L, 1L), List.of(1L, 1L, 1L, 1L), "VALID");
        Operand<TFloating> flat = tf.reshape(avg, tf.constant(new int[] {-1, 8}));
        return tf.math.add(tf.linalg.matMul(flat, p.get(2)), p.get(3));
      }
      default -> throw new AssertionError(net);
    }
  }

  static ModelDefinition model(Net net, Precision precision) {
    return FunctionModel.build(net.name(), net.layout(), net.theta(), net.exampleShape, C, precision, OutputKind.LOGITS,
        (tf, x, p) -> forward(net, tf, x, p, new ArrayList<>(), new ArrayList<>()));
  }

  /** A model whose "logits" are all kink tensors of {@code net}, flattened per example; fills {@code sites}. */
  static ModelDefinition probe(Net net, List<Site> sites) {
    return FunctionModel.build(net.name() + "-probe", net.layout(), net.theta(), net.exampleShape, C, Precision.FLOAT64,
        OutputKind.LOGITS, (tf, x, p) -> {
          List<Operand<TFloating>> kinks = new ArrayList<>();
          forward(net, tf, x, p, kinks, sites);
          List<Operand<TFloating>> flat = new ArrayList<>();
          for (int k = 0; k < kinks.size(); k++) {
            flat.add(tf.reshape(kinks.get(k), tf.constant(new int[] {-1, sites.get(k).size()})));
          }
          return tf.concat(flat, tf.constant(1));
        });
  }

  static CurvatureGraph graph(ModelDefinition m, Loss loss) {
    return new CurvatureGraph(m, loss, m.layout(), SessionSettings.defaults());
  }

  static double[] axpy(double[] x, double a, double[] v) {
    double[] out = x.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += a * v[i];
    }
    return out;
  }

  static double[] randomVector(int p, long seed) {
    return new Random(seed).doubles(p, -1, 1).toArray();
  }

  /**
   * Counts ReLU sign changes and max-pool argmax changes between theta and theta +- h v, over all
   * examples, for both h and h/4, and asserts there are none: the finite differences at these steps
   * then differentiate one smooth piece of the network.
   */
  static void assertNoKinkCrossed(Net net, Dataset d, double[] v, double h) {
    if (!net.piecewiseLinear) {
      return;
    }
    int flips = kinksCrossed(net, d, v, h);
    assertEquals(0, flips, net + ": a ReLU sign or max-pool argmax changes within theta +- " + h + " v");
  }

  /** The number of ReLU sign and max-pool argmax changes between theta and theta +- h v and theta +- h/4 v, all examples. */
  static int kinksCrossed(Net net, Dataset d, double[] v, double h) {
    List<Site> sites = new ArrayList<>();
    ModelDefinition m = probe(net, sites);
    double[] theta = m.theta();
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(d, N, Precision.FLOAT64)) {
      double[][] at = g.logits(data);
      int flips = 0;
      double closest = Double.POSITIVE_INFINITY;
      for (double step : new double[] {h, -h, h / 4, -h / 4}) {
        g.setTheta(axpy(theta, step, v));
        double[][] moved = g.logits(data);
        for (int i = 0; i < N; i++) {
          int off = 0;
          for (Site s : sites) {
            if (s.pool() == null) {
              for (int j = 0; j < s.size(); j++) {
                closest = Math.min(closest, Math.abs(at[i][off + j]));
                if (Math.signum(at[i][off + j]) != Math.signum(moved[i][off + j])) {
                  flips++;
                }
              }
            } else {
              int[] a = argmaxes(at[i], off, s.pool());
              int[] b = argmaxes(moved[i], off, s.pool());
              for (int w = 0; w < a.length; w++) {
                if (a[w] != b[w]) {
                  flips++;
                }
              }
            }
            off += s.size();
          }
        }
      }
      System.out.printf("%s: %d kink sites per example, smallest |pre-activation| %.3g, flips at h=%.1g and h/4: %d%n", net,
          at[0].length, closest, h, flips);
      return flips;
    }
  }

  /** Argmax of each k x k window (stride s) of an [h, w, c] tensor stored at {@code z[off...]}. */
  static int[] argmaxes(double[] z, int off, int[] pool) {
    int h = pool[0];
    int w = pool[1];
    int c = pool[2];
    int k = pool[3];
    int s = pool[4];
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i + k <= h; i += s) {
      for (int j = 0; j + k <= w; j += s) {
        for (int ch = 0; ch < c; ch++) {
          int best = -1;
          double max = Double.NEGATIVE_INFINITY;
          for (int di = 0; di < k; di++) {
            for (int dj = 0; dj < k; dj++) {
              int idx = ((i + di) * w + (j + dj)) * c + ch;
              if (z[off + idx] > max) {
                max = z[off + idx];
                best = idx;
              }
            }
          }
          out.add(best);
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Products against finite differences

  @ParameterizedTest
  @EnumSource(Net.class)
  void hessianVectorProductMatchesFiniteDifferencesAtTwoSteps(Net net) {
    ModelDefinition m = model(net, Precision.FLOAT64);
    Dataset d = net.data();
    double[] v = randomVector(m.dimension(), net.seed + 1);
    assertNoKinkCrossed(net, d, v, H_STEP);
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(d, 10, m.precision())) {
      double[] hv = g.apply(CurvatureOperator.HESSIAN, v, data);
      double[] fd1 = CurvatureNumerics.finiteDifferenceHv(g, data, m.theta(), v, H_STEP);
      double[] fd4 = CurvatureNumerics.finiteDifferenceHv(g, data, m.theta(), v, H_STEP / 4);
      double e1 = relativeError(fd1, hv);
      double e4 = relativeError(fd4, hv);
      double e14 = relativeError(fd1, fd4);
      System.out.printf("%s Hess v vs FD: h %.3g, h/4 %.3g, h vs h/4 %.3g%n", net, e1, e4, e14);
      // Inside one smooth piece: truncation O(h^2 |l'''|) ~ 1e-10 and rounding ~ 1e-16 |g| / h ~
      // 1e-11 relative at h = 1e-5 (4x that at h/4). A crossed kink gives O(1/h) (docs/mathematics.md, "Testing the numerics": 400x).
      assertTrue(e1 < 1e-6, net + ": Hess v vs FD(h) " + e1);
      assertTrue(e4 < 1e-6, net + ": Hess v vs FD(h/4) " + e4);
      assertTrue(e14 < 1e-6, net + ": FD(h) vs FD(h/4) " + e14);
    }
  }

  /**
   * Control for the two checks above: with a step large enough to cross kinks, the flip counter
   * sees them and the differences at h and h/4 no longer agree with each other or with Hess v.
   */
  @ParameterizedTest
  @EnumSource(value = Net.class, names = {"RELU_MLP", "CNN"})
  void finiteDifferencesAcrossKinksAreDetected(Net net) {
    ModelDefinition m = model(net, Precision.FLOAT64);
    Dataset d = net.data();
    double[] v = randomVector(m.dimension(), net.seed + 1);
    double big = 0.02;
    int flips = kinksCrossed(net, d, v, big);
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(d, N, m.precision())) {
      double[] hv = g.apply(CurvatureOperator.HESSIAN, v, data);
      double[] fd1 = CurvatureNumerics.finiteDifferenceHv(g, data, m.theta(), v, big);
      double[] fd4 = CurvatureNumerics.finiteDifferenceHv(g, data, m.theta(), v, big / 4);
      double e1 = relativeError(fd1, hv);
      double e14 = relativeError(fd1, fd4);
      System.out.printf("%s control at h=%.2g: %d flips, FD vs Hess v %.3g, FD(h) vs FD(h/4) %.3g%n", net, big, flips, e1, e14);
      assertTrue(flips > 0, net + ": no kink crossed at h = " + big);
      assertTrue(e1 > 1e-6 && e14 > 1e-6, net + ": crossing kinks went unnoticed: " + e1 + ", " + e14);
    }
  }

  /** G v = J^T (A/n) J v with J v from central differences of the logits and A = diag(p) - p p^T at theta. */
  @ParameterizedTest
  @EnumSource(Net.class)
  void gaussNewtonProductMatchesFiniteDifferencesOfLogits(Net net) {
    ModelDefinition m = model(net, Precision.FLOAT64);
    Dataset d = net.data();
    double[] v = randomVector(m.dimension(), net.seed + 2);
    double h = H_STEP;
    assertNoKinkCrossed(net, d, v, h);
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(d, 10, m.precision())) {
      double[] theta = m.theta();
      double[] gv = g.apply(CurvatureOperator.GAUSS_NEWTON, v, data);
      double[][] p = g.probabilities(data);
      double[][] ref = new double[2][];
      for (int k = 0; k < 2; k++) {
        double step = k == 0 ? h : h / 4;
        g.setTheta(axpy(theta, step, v));
        double[][] zp = g.logits(data);
        g.setTheta(axpy(theta, -step, v));
        double[][] zm = g.logits(data);
        g.setTheta(theta);
        double[][] w = new double[N][C];
        for (int i = 0; i < N; i++) {
          double[] jv = new double[C];
          double pjv = 0;
          for (int c = 0; c < C; c++) {
            jv[c] = (zp[i][c] - zm[i][c]) / (2 * step);
            pjv += p[i][c] * jv[c];
          }
          for (int c = 0; c < C; c++) {
            w[i][c] = (p[i][c] * jv[c] - p[i][c] * pjv) / N;
          }
        }
        ref[k] = g.weightedVjp(w, data);
      }
      double e1 = relativeError(ref[0], gv);
      double e4 = relativeError(ref[1], gv);
      System.out.printf("%s G v vs J^T A (FD J v): h %.3g, h/4 %.3g%n", net, e1, e4);
      // FD of the logits: truncation O(h^2) ~ 1e-10, rounding ~ 1e-16 |z| / h ~ 1e-11; 1e-6 as for Hess v.
      assertTrue(e1 < 1e-6, net + ": G v vs FD(h) " + e1);
      assertTrue(e4 < 1e-6, net + ": G v vs FD(h/4) " + e4);
    }
  }

  /** H v = d/dt grad s(theta + t v), s = 1/n sum_i r_i(theta) . z_i with r frozen at theta. */
  @ParameterizedTest
  @EnumSource(Net.class)
  void residualHessianProductMatchesFiniteDifferencesWithFrozenResiduals(Net net) {
    ModelDefinition m = model(net, Precision.FLOAT64);
    Dataset d = net.data();
    double[] v = randomVector(m.dimension(), net.seed + 3);
    double h = H_STEP;
    assertNoKinkCrossed(net, d, v, h);
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(d, 10, m.precision())) {
      double[] theta = m.theta();
      double[] hv = g.apply(CurvatureOperator.RESIDUAL_HESSIAN, v, data);
      double[] hessV = g.apply(CurvatureOperator.HESSIAN, v, data);
      double[][] p = g.probabilities(data);
      int[] y = data.labels();
      double[][] w = new double[N][C];
      for (int i = 0; i < N; i++) {
        for (int c = 0; c < C; c++) {
          w[i][c] = (p[i][c] - (y[i] == c ? 1 : 0)) / N;
        }
      }
      double[][] ref = new double[2][];
      for (int k = 0; k < 2; k++) {
        double step = k == 0 ? h : h / 4;
        g.setTheta(axpy(theta, step, v));
        double[] sp = g.weightedVjp(w, data);
        g.setTheta(axpy(theta, -step, v));
        double[] sm = g.weightedVjp(w, data);
        g.setTheta(theta);
        ref[k] = new double[sp.length];
        for (int i = 0; i < sp.length; i++) {
          ref[k][i] = (sp[i] - sm[i]) / (2 * step);
        }
      }
      double e1 = relativeError(ref[0], hv);
      double e4 = relativeError(ref[1], hv);
      System.out.printf("%s H v vs FD of grad s (r frozen): h %.3g, h/4 %.3g; |H v|/|Hess v| = %.3g%n", net, e1, e4,
          norm(hv) / norm(hessV));
      // H v is not negligible (otherwise a relative comparison says little): the nets are nonlinear.
      assertTrue(norm(hv) > 1e-3 * norm(hessV), net + ": |H v| = " + norm(hv));
      // Same error budget as the Hess v check (smooth piece, h = 1e-5).
      assertTrue(e1 < 1e-6, net + ": H v vs FD(h) " + e1);
      assertTrue(e4 < 1e-6, net + ": H v vs FD(h/4) " + e4);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Dense matrices from p products

  record DenseOps(double[][] hess, double[][] gn, double[][] h) {}

  static final Map<Net, DenseOps> DENSE = new EnumMap<>(Net.class);

  static synchronized DenseOps denseOps(Net net) {
    return DENSE.computeIfAbsent(net, n -> {
      ModelDefinition m = model(n, Precision.FLOAT64);
      try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(n.data(), N, m.precision())) {
        return new DenseOps(dense(g.operator(CurvatureOperator.HESSIAN, data)), dense(g.operator(CurvatureOperator.GAUSS_NEWTON, data)),
            dense(g.operator(CurvatureOperator.RESIDUAL_HESSIAN, data)));
      }
    });
  }

  static double asymmetry(double[][] a) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        s += (a[i][j] - a[j][i]) * (a[i][j] - a[j][i]);
      }
    }
    return Math.sqrt(s);
  }

  static double[][] symmetrized(double[][] a) {
    double[][] s = new double[a.length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        s[i][j] = 0.5 * (a[i][j] + a[j][i]);
      }
    }
    return s;
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void denseHessianSplitsIntoSymmetricGaussNewtonPlusResidualHessian(Net net) {
    DenseOps o = denseOps(net);
    double scale = frobenius(o.hess());
    double split = 0;
    for (int i = 0; i < o.hess().length; i++) {
      for (int j = 0; j < o.hess().length; j++) {
        double dd = o.hess()[i][j] - o.gn()[i][j] - o.h()[i][j];
        split += dd * dd;
      }
    }
    split = Math.sqrt(split) / scale;
    double[] asym = {asymmetry(o.hess()) / scale, asymmetry(o.gn()) / frobenius(o.gn()), asymmetry(o.h()) / frobenius(o.h())};
    double[] ev = GramSpectra.eigenvaluesDescending(symmetrized(o.gn()));
    double minG = ev[ev.length - 1] / frobenius(o.gn());
    System.out.printf("%s dense (p=%d): |Hess-G-H|/|Hess| %.3g; asymmetry Hess %.3g G %.3g H %.3g; min eig G / |G| %.3g%n", net,
        o.hess().length, split, asym[0], asym[1], asym[2], minG);
    // Three float64 product graphs evaluated separately; each entry carries ~1e-16 relative rounding
    // of sums of O(N p) terms: observed ~1e-15; 1e-10 (the brief's bound) leaves a wide margin.
    assertTrue(split < 1e-10, net + ": Hess - G - H = " + split);
    // Column j and row j come from different products; they agree up to rounding (~1e-16).
    for (double a : asym) {
      assertTrue(a < 1e-12, net + ": asymmetry " + a);
    }
    // G = 1/n sum J^T A J with A PSD: exact zero eigenvalues (rank <= N (C-1) and the softmax
    // shift) come out at rounding level, +-1e-16 |G|.
    assertTrue(minG > -1e-12, net + ": smallest eigenvalue of G / |G| = " + minG);
  }

  /** <u, A v> = <A u, v> for random u, v, each operator applied as products (not from the dense matrix). */
  @ParameterizedTest
  @EnumSource(Net.class)
  void operatorsAreSymmetricInTheirProducts(Net net) {
    ModelDefinition m = model(net, Precision.FLOAT64);
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(net.data(), 7, m.precision())) {
      double[] u = randomVector(m.dimension(), net.seed + 11);
      double[] v = randomVector(m.dimension(), net.seed + 12);
      for (CurvatureOperator pr : new CurvatureOperator[] {CurvatureOperator.HESSIAN, CurvatureOperator.GAUSS_NEWTON, CurvatureOperator.RESIDUAL_HESSIAN}) {
        double[] av = g.apply(pr, v, data);
        double[] au = g.apply(pr, u, data);
        double a = dot(u, av);
        double b = dot(au, v);
        double rel = Math.abs(a - b) / (norm(u) * norm(av) + norm(v) * norm(au));
        System.out.printf("%s %s: <u,Av> %.6g <Au,v> %.6g relative difference %.3g%n", net, pr, a, b, rel);
        // Rounding of two inner products of length p: ~1e-16; 1e-12 bound.
        assertTrue(rel < 1e-12, net + " " + pr + ": " + rel);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Structural zeros

  /** The d + 1 directions that add the same vector to every column of the last kernel or the same constant to every last bias. */
  static List<double[]> shiftDirections(Net net) {
    ParameterLayout layout = net.layout();
    var kernel = layout.tensors().get(net.lastKernel());
    var bias = layout.tensors().get(net.lastKernel() + 1);
    int d = (int) kernel.shape()[0];
    int p = Math.toIntExact(layout.dimension());
    List<double[]> dirs = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      double[] v = new double[p];
      for (int c = 0; c < C; c++) {
        v[(int) kernel.offset() + j * C + c] = 1;
      }
      dirs.add(v);
    }
    double[] b = new double[p];
    for (int c = 0; c < C; c++) {
      b[(int) bias.offset() + c] = 1;
    }
    dirs.add(b);
    return dirs;
  }

  /**
   * Softmax is invariant under z -> z + s 1, so along every shift direction v the loss is constant
   * for every theta: grad L . v = 0 everywhere, hence Hess v = 0; J v = s_i 1 and A 1 = 0, hence
   * G v = 0 and H v = 0. A direction that moves one column only is not annihilated (control).
   */
  @ParameterizedTest
  @EnumSource(Net.class)
  void softmaxShiftDirectionsAreAnnihilated(Net net) {
    DenseOps o = denseOps(net);
    ModelDefinition m = model(net, Precision.FLOAT64);
    List<double[]> dirs = shiftDirections(net);
    double worst = 0;
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(net.data(), 10, m.precision())) {
      for (double[] v : dirs) {
        double[][][] mats = {o.hess(), o.gn(), o.h()};
        CurvatureOperator[] prods = {CurvatureOperator.HESSIAN, CurvatureOperator.GAUSS_NEWTON, CurvatureOperator.RESIDUAL_HESSIAN};
        for (int k = 0; k < 3; k++) {
          double rel = norm(g.apply(prods[k], v, data)) / (frobenius(mats[k]) * norm(v));
          worst = Math.max(worst, rel);
          // Exact zero up to float64 rounding of sums that cancel: ~1e-16 relative.
          assertTrue(rel < 1e-12, net + " " + prods[k] + " on a shift direction: " + rel);
        }
      }
      double[] oneColumn = new double[m.dimension()];
      oneColumn[(int) m.layout().tensors().get(net.lastKernel()).offset()] = 1;
      double control = norm(g.apply(CurvatureOperator.GAUSS_NEWTON, oneColumn, data)) / frobenius(o.gn());
      assertTrue(control > 1e-4, net + ": control direction gives |G v| / |G| = " + control);
      System.out.printf("%s: %d shift directions, worst |A v|/(|A| |v|) %.3g; one-column control %.3g%n", net, dirs.size(), worst,
          control);
    }
    // Hence the dense Hessian has at least d + 1 zero eigenvalues (more may come from dead units
    // or, for G, from its rank <= N (C - 1)); zero means rounding level, < 1e-10 |Hess|.
    double[] ev = GramSpectra.eigenvaluesDescending(symmetrized(o.hess()));
    double scale = frobenius(o.hess());
    long zeros = java.util.Arrays.stream(ev).filter(x -> Math.abs(x) < 1e-10 * scale).count();
    System.out.printf("%s: Hess has %d eigenvalues below 1e-10 |Hess| (d + 1 = %d)%n", net, zeros, dirs.size());
    assertTrue(zeros >= dirs.size(), net + ": " + zeros + " zero eigenvalues, expected at least " + dirs.size());
  }

  /**
   * D = d/dalpha of the ReLU rescaling g_alpha (one hidden unit's or channel's incoming kernel and
   * bias times alpha, its outgoing weights divided by alpha) at alpha = 1: +1 on the incoming, -1 on
   * the outgoing parameters, 0 elsewhere.
   */
  static double[] rescalingGenerator(Net net) {
    ParameterLayout layout = net.layout();
    double[] dd = new double[Math.toIntExact(layout.dimension())];
    int unit = 0;
    if (net == Net.CNN) {
      // kernel [3, 3, 1, 2] and bias [2] of channel 0; dense rows of the flattened 2x2x2 features of channel 0.
      for (int k = 0; k < 9; k++) {
        dd[k * 2 + unit] = 1;
      }
      dd[(int) layout.tensors().get(1).offset() + unit] = 1;
      int w = (int) layout.tensors().get(2).offset();
      for (int pos = 0; pos < 4; pos++) {
        for (int c = 0; c < C; c++) {
          dd[w + (pos * 2 + unit) * C + c] = -1;
        }
      }
    } else {
      // first hidden layer, unit 0: column 0 of W1 [5, 6], b1[0]; row 0 of W2 [6, 6].
      for (int i = 0; i < 5; i++) {
        dd[i * 6 + unit] = 1;
      }
      dd[(int) layout.tensors().get(1).offset() + unit] = 1;
      int w = (int) layout.tensors().get(2).offset();
      for (int j = 0; j < 6; j++) {
        dd[w + unit * 6 + j] = -1;
      }
    }
    return dd;
  }

  /**
   * ReLU (and max/avg pooling) is positively homogeneous, so L(g_alpha theta) = L(theta) for every
   * theta. Differentiating g_alpha^T grad L(g_alpha theta) = grad L(theta) in alpha at 1 gives the
   * exact identity {@code Hess (D theta) = -D grad L}: the rescaling direction t = D theta is a null
   * vector of Hess only where D grad L = 0 (at a critical point), not at a generic theta. So the
   * rescaling symmetry does not by itself add zero eigenvalues here (the folklore that "ReLU layers add
   * zeros from rescaling symmetry" holds at critical points only); the identity is asserted, and
   * Hess t is shown to be far from zero. The loss is flat along t to first order (grad L . t = 0).
   */
  @ParameterizedTest
  @EnumSource(value = Net.class, names = {"RELU_MLP", "CNN"})
  void reluRescalingDirectionSatisfiesHessTEqualsMinusDGradient(Net net) {
    DenseOps o = denseOps(net);
    ModelDefinition m = model(net, Precision.FLOAT64);
    double[] dd = rescalingGenerator(net);
    double[] theta = m.theta();
    double[] t = new double[theta.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = dd[i] * theta[i];
    }
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(net.data(), 10, m.precision())) {
      double[] grad = g.gradient(data);
      double[] ht = g.apply(CurvatureOperator.HESSIAN, t, data);
      double[] expected = new double[t.length];
      for (int i = 0; i < t.length; i++) {
        expected[i] = -dd[i] * grad[i];
      }
      double err = relativeError(ht, expected);
      double size = norm(ht) / (frobenius(o.hess()) * norm(t));
      double flat = Math.abs(dot(grad, t)) / (norm(grad) * norm(t));
      System.out.printf("%s rescaling: |Hess t + D grad| / |D grad| %.3g, |Hess t| / (|Hess| |t|) %.3g, |grad . t| / (|grad| |t|) %.3g%n",
          net, err, size, flat);
      // An exact identity evaluated in float64 by two different graphs: rounding ~1e-15; 1e-10 bound.
      assertTrue(err < 1e-10, net + ": Hess t vs -D grad L: " + err);
      // Invariance along the orbit: grad L . t = d/dalpha L(g_alpha theta) = 0 up to rounding.
      assertTrue(flat < 1e-12, net + ": grad . t = " + flat);
      // Not a null vector at this (non-critical) theta.
      assertTrue(size > 1e-4, net + ": |Hess t| / (|Hess| |t|) = " + size);
    }
  }

  /**
   * For a network that is piecewise linear in its input and linear in each layer's (kernel, bias)
   * given the others (ReLU, conv, BiasAdd, max-pool, avg-pool, dense), every logit is, on each
   * smooth piece, jointly linear in the parameters of any one layer. So all second derivatives of
   * the logits within one layer vanish: H has zero diagonal blocks (layer by layer), and in
   * particular trace(H) = 0 exactly. The tanh net is the control: its first-layer block is not zero.
   */
  @ParameterizedTest
  @EnumSource(Net.class)
  void residualHessianHasZeroLayerBlocksForPiecewiseLinearNetworks(Net net) {
    DenseOps o = denseOps(net);
    double[][] h = o.h();
    double scale = frobenius(h);
    double trace = 0;
    for (int i = 0; i < h.length; i++) {
      trace += h[i][i];
    }
    ParameterLayout layout = net.layout();
    double[] blockNorm = new double[net.layers().length];
    for (int l = 0; l < net.layers().length; l++) {
      int from = (int) layout.tensors().get(net.layers()[l][0]).offset();
      var last = layout.tensors().get(net.layers()[l][net.layers()[l].length - 1]);
      int to = (int) (last.offset() + last.size());
      double s = 0;
      for (int i = from; i < to; i++) {
        for (int j = from; j < to; j++) {
          s += h[i][j] * h[i][j];
        }
      }
      blockNorm[l] = Math.sqrt(s) / scale;
    }
    System.out.printf("%s: trace(H)/|H| %.3g, layer blocks |H_ll|/|H| %s%n", net, trace / scale, java.util.Arrays.toString(blockNorm));
    if (net.piecewiseLinear) {
      // Each diagonal entry is a sum of exact zeros (the second-derivative graph multiplies by
      // zero or adds nothing), so rounding-level values at most; 1e-10 relative bound.
      assertTrue(Math.abs(trace) < 1e-10 * scale, net + ": trace(H) / |H| = " + trace / scale);
      for (int l = 0; l < blockNorm.length; l++) {
        assertTrue(blockNorm[l] < 1e-10, net + ": layer " + l + " block of H / |H| = " + blockNorm[l]);
      }
    } else {
      // Control: tanh'' != 0 makes the first layer's block of H non-zero.
      assertTrue(blockNorm[0] > 1e-3, net + ": first-layer block of H / |H| = " + blockNorm[0]);
    }
    // The last layer is linear in its own parameters for every net: its block of H is zero.
    assertTrue(blockNorm[blockNorm.length - 1] < 1e-10, net + ": last-layer block " + blockNorm[blockNorm.length - 1]);
  }

  // ---------------------------------------------------------------------------------------------
  // Batch size, precision

  @ParameterizedTest
  @EnumSource(value = Net.class, names = {"RELU_MLP", "CNN"})
  void productsDoNotDependOnTheBatchSize(Net net) {
    ModelDefinition m = model(net, Precision.FLOAT64);
    Dataset d = net.data();
    double[] v = randomVector(m.dimension(), net.seed + 21);
    // every operator, and the gradient (null)
    List<CurvatureOperator> prods = new java.util.ArrayList<>(List.of(CurvatureOperator.values()));
    prods.add(null);
    double[][] reference = new double[prods.size()][];
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY)) {
      for (int batch : new int[] {N, 7, 1}) {
        try (BatchedData data = BatchedData.of(d, batch, m.precision())) {
          for (int k = 0; k < prods.size(); k++) {
            double[] out = prods.get(k) == null ? g.gradient(data) : g.apply(prods.get(k), v, data);
            if (reference[k] == null) {
              reference[k] = out;
            } else {
              double e = relativeError(out, reference[k]);
              System.out.printf("%s %s batch %d vs %d: %.3g%n", net, prods.get(k), batch, N, e);
              // Only the summation order of per-example terms changes: float64 rounding, ~1e-16
              // per term over N = 24 terms; 1e-12 bound.
              assertTrue(e < 1e-12, net + " " + prods.get(k) + " batch " + batch + ": " + e);
            }
          }
        }
      }
    }
  }

  /** The same network built in float32 and float64 (identical, float32-representable theta and data). */
  @ParameterizedTest
  @EnumSource(Net.class)
  void float32ProductsAgreeWithFloat64(Net net) {
    Dataset d = net.data();
    ModelDefinition m64 = model(net, Precision.FLOAT64);
    ModelDefinition m32 = model(net, Precision.FLOAT32);
    assertEquals(Precision.FLOAT32, m32.precision());
    double[] v = randomVector(m64.dimension(), net.seed + 31);
    try (CurvatureGraph g64 = graph(m64, Loss.CROSS_ENTROPY); CurvatureGraph g32 = graph(m32, Loss.CROSS_ENTROPY);
        BatchedData d64 = BatchedData.of(d, 10, Precision.FLOAT64); BatchedData d32 = BatchedData.of(d, 10, Precision.FLOAT32)) {
      double eg = relativeError(g32.gradient(d32), g64.gradient(d64));
      assertTrue(eg < 1e-5, net + " gradient: " + eg);
      for (CurvatureOperator pr : new CurvatureOperator[] {CurvatureOperator.HESSIAN, CurvatureOperator.GAUSS_NEWTON, CurvatureOperator.RESIDUAL_HESSIAN,
          CurvatureOperator.EMPIRICAL_FISHER}) {
        double e = relativeError(g32.apply(pr, v, d32), g64.apply(pr, v, d64));
        System.out.printf("%s %s float32 vs float64: %.3g%n", net, pr, e);
        // float32 rounding (6e-8) through a few layers and sums of N terms: expected ~1e-7
        // (docs/mathematics.md, testing the numerics); 1e-5 allows for mild cancellation, and a float32 product that
        // is wrong, not just rounded, differs by O(1).
        assertTrue(e < 1e-5, net + " " + pr + ": " + e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // G from per-example Jacobians; MSE

  /** Rows of J_i: row c is J_i^T e_c, one weighted VJP with a single non-zero weight. */
  static double[][][] jacobians(CurvatureGraph g, BatchedData data) {
    double[][][] j = new double[data.size()][C][];
    for (int i = 0; i < data.size(); i++) {
      for (int c = 0; c < C; c++) {
        double[][] w = new double[data.size()][C];
        w[i][c] = 1;
        j[i][c] = g.weightedVjp(w, data);
      }
    }
    return j;
  }

  /** 1/n sum_i J_i^T A_i J_i with A_i given per example. */
  static double[][] sandwich(double[][][] j, double[][][] a) {
    int n = j.length;
    int p = j[0][0].length;
    double[][] out = new double[p][p];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < C; c++) {
        for (int e = 0; e < C; e++) {
          double w = a[i][c][e] / n;
          if (w == 0) {
            continue;
          }
          for (int r = 0; r < p; r++) {
            double x = w * j[i][c][r];
            for (int s = 0; s < p; s++) {
              out[r][s] += x * j[i][e][s];
            }
          }
        }
      }
    }
    return out;
  }

  static double relativeDifference(double[][] a, double[][] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a.length; k++) {
        s += (a[i][k] - b[i][k]) * (a[i][k] - b[i][k]);
      }
    }
    return Math.sqrt(s) / frobenius(b);
  }

  /** For cross-entropy, G equals 1/n sum_i J_i^T (diag(p_i) - p_i p_i^T) J_i built from explicit Jacobian rows. */
  @Test
  void crossEntropyGaussNewtonEqualsJacobianSandwich() {
    Net net = Net.CNN;
    ModelDefinition m = model(net, Precision.FLOAT64);
    try (CurvatureGraph g = graph(m, Loss.CROSS_ENTROPY); BatchedData data = BatchedData.of(net.data(), 10, m.precision())) {
      double[][] p = g.probabilities(data);
      double[][][] a = new double[N][C][C];
      for (int i = 0; i < N; i++) {
        for (int c = 0; c < C; c++) {
          for (int e = 0; e < C; e++) {
            a[i][c][e] = (c == e ? p[i][c] : 0) - p[i][c] * p[i][e];
          }
        }
      }
      double err = relativeDifference(dense(g.operator(CurvatureOperator.GAUSS_NEWTON, data)), sandwich(jacobians(g, data), a));
      System.out.printf("CNN cross-entropy: |G - 1/n sum J^T A J| / |G| = %.3g%n", err);
      // Same quantity, two float64 evaluation orders: rounding ~1e-16 relative; 1e-12 bound.
      assertTrue(err < 1e-12, "G vs Jacobian sandwich " + err);
    }
  }

  /** The tanh MLP with regression targets under MSE: Hess = G + H, G = 1/n sum J_i^T J_i, Hess v matches finite differences. */
  /** The tanh MLP's regression data under MSE, targets far from the outputs (residuals O(1)). */
  static Dataset regression() {
    Random r = new Random(55);
    float[] f = new float[N * 5];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) r.nextGaussian();
    }
    float[] t = new float[N * C];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) (2 * r.nextGaussian());
    }
    return new Dataset("regression", f, new int[] {5}, null, t, C, 0);
  }

  @Test
  void mseSplitAndGaussNewtonFromJacobians() {
    Net net = Net.TANH_MLP;
    Dataset d = regression();
    ModelDefinition m = model(net, Precision.FLOAT64);
    try (CurvatureGraph g = graph(m, Loss.MSE); BatchedData data = BatchedData.of(d, 10, m.precision())) {
      double[][] hess = dense(g.operator(CurvatureOperator.HESSIAN, data));
      double[][] gn = dense(g.operator(CurvatureOperator.GAUSS_NEWTON, data));
      double[][] h = dense(g.operator(CurvatureOperator.RESIDUAL_HESSIAN, data));
      double scale = frobenius(hess);
      double split = 0;
      for (int i = 0; i < hess.length; i++) {
        for (int j = 0; j < hess.length; j++) {
          split += Math.pow(hess[i][j] - gn[i][j] - h[i][j], 2);
        }
      }
      split = Math.sqrt(split) / scale;
      double[][][] identity = new double[N][C][C];
      for (int i = 0; i < N; i++) {
        for (int c = 0; c < C; c++) {
          identity[i][c][c] = 1;
        }
      }
      double gErr = relativeDifference(gn, sandwich(jacobians(g, data), identity));
      double[] v = randomVector(m.dimension(), 56);
      double fdErr = relativeError(CurvatureNumerics.finiteDifferenceHv(g, data, m.theta(), v, H_STEP), g.apply(CurvatureOperator.HESSIAN, v, data));
      double hShare = frobenius(h) / scale;
      System.out.printf("MSE tanh MLP: |Hess-G-H|/|Hess| %.3g, |G - 1/n sum J^T J|/|G| %.3g, Hess v vs FD %.3g, |H|/|Hess| %.3g%n",
          split, gErr, fdErr, hShare);
      // H must matter for the split to be tested: targets far from the outputs make residuals O(1).
      assertTrue(hShare > 1e-2, "|H| / |Hess| = " + hShare);
      assertTrue(split < 1e-10, "Hess - G - H: " + split); // as for cross-entropy
      assertTrue(gErr < 1e-12, "G vs 1/n sum J^T J: " + gErr); // two float64 evaluation orders
      assertTrue(fdErr < 1e-6, "Hess v vs FD: " + fdErr); // smooth net, h = 1e-5: O(h^2) + O(eps/h)
    }
  }
}
