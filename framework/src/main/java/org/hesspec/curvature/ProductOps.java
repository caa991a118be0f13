package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.List;
import org.hesspec.model.OutputKind;
import org.hesspec.model.grad.Losses;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The ops of the curvature products of one mini-batch, in a graph that already holds the model
 * ({@link ModelGraph}): the loss, the gradient, the weighted vector-Jacobian product, and the
 * factors every {@link CurvatureOperator} composes its product from. Used by {@link
 * CurvatureGraph} (one local graph) and by the distributed runtime (the per-shard graph).
 *
 * <p>With logits {@code z_i = f(x_i; theta)} ({@code [batch, C]}), per-example weights {@code w_i},
 * labels {@code y_i} (cross-entropy) or targets {@code y_i} (MSE), {@code P} the selected
 * parameter tensors, {@code v} the product vector (one variable per tensor of P), {@code J} the
 * Jacobian of the logits with respect to P, {@code p_i = softmax(z_i)} and the residual {@code r_i
 * = dl/dz_i} ({@code p_i - onehot(y_i)} for cross-entropy, {@code z_i - y_i} for MSE):
 *
 * <pre>
 *   L        = sum_i w_i l(z_i, y_i)
 *   gradient   dL/dP
 *   J v      = d/du &lt;J^T u, v&gt;            (forward mode from two reverse passes, u = 0 shaped like z)
 *   J^T u    = d/dP &lt;z, u&gt;                (one reverse pass seeded with u)
 *   A u      = p * u - p (p . u)  (cross-entropy: A = diag(p) - p p^T);   A u = u  (MSE: A = I)
 *   Hess v   = d/dP &lt;dL/dP, v&gt;             (Pearlmutter: gradient of gradient, seeded with v)
 *   H v      = d/dP &lt;ds/dP, v&gt;,  s = sum_i w_i stop_gradient(r_i) . z_i
 *   VJP(W)   = sum_i J_i^T W_i
 * </pre>
 *
 * TensorFlow gives a null gradient output where the differentiated value does not depend on a
 * parameter tensor (e.g. the Hessian of the logits of a linear model): that derivative is zero, and
 * every result here has such outputs replaced by zeros.
 */
public final class ProductOps {

  private final Graph graph;
  private final Ops tf;
  private final Loss loss;
  private final ModelGraph.BatchInputs in;
  private final Operand<TFloating> logits;
  private final Output<?>[] params;
  private final List<Operand<TFloating>> v;
  private final Operand<TFloating> probabilities;
  private final Operand<TFloating> lossSum;
  private final Operand<TFloating> one;
  private final int numClasses;
  private Output<?>[] gradient;
  private Operand<TFloating> jvp;
  private int nameCounter;

  /**
   * Adds the loss L and the softmax probabilities p to the model's graph; products are added on demand.
   *
   * @param model the model in the graph (its ops, logits z and parameter outputs P)
   * @param in what one mini-batch feeds besides the examples
   * @param v the product vector, one value per output of P, of its shape (a variable, or a read of one)
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public ProductOps(ModelGraph model, ModelGraph.BatchInputs in, List<? extends Operand<TFloating>> v) {
    this.graph = model.graph();
    this.tf = model.ops();
    this.loss = model.loss();
    this.in = in;
    this.logits = model.logits();
    this.numClasses = model.numClasses();
    this.params = model.parameters().toArray(new Output<?>[0]);
    this.v = List.copyOf(v);
    this.probabilities = tf.nn.softmax(logits);
    Operand<TFloating> perExample = (Operand<TFloating>) (Operand) switch (loss) {
      case CROSS_ENTROPY -> Losses.crossEntropy(tf, logits, OutputKind.LOGITS, in.labels());
      case MSE -> Losses.halfSquaredError(tf, logits, in.targets());
    };
    this.lossSum = (Operand<TFloating>) (Operand) Losses.weightedSum(tf, perExample, in.weights());
    this.one = tf.dtypes.cast(tf.constant(1.0), model.type());
  }

  /** L = sum_i w_i l(z_i, y_i) of the batch. */
  public Operand<TFloating> lossSum() {
    return lossSum;
  }

  /** p = softmax(z), {@code [batch, C]}. */
  public Operand<TFloating> probabilities() {
    return probabilities;
  }

  /**
   * The ops that store one batch's product of {@code operator} in {@code acc}: {@code first}
   * assigns (the first batch of a sum, so no separate zeroing pass), {@code add} adds; both read
   * one set of product ops.
   */
  public Accumulation accumulation(CurvatureOperator operator, List<Variable<TFloating>> acc) {
    return accumulation(orZeros(operator.batchProduct(this)), acc);
  }

  /** As {@link #accumulation(CurvatureOperator, List)} for the gradient dL/dP (reads no v). */
  public Accumulation gradientAccumulation(List<Variable<TFloating>> acc) {
    return accumulation(orZeros(gradient()), acc);
  }

  /** As {@link #accumulation(CurvatureOperator, List)} for the weighted VJP {@code sum_i J_i^T W_i}, W fed as {@code [batch, C]}. */
  public Accumulation weightedVjpAccumulation(Operand<TFloating> w, List<Variable<TFloating>> acc) {
    return accumulation(orZeros(vjp("vjp", w)), acc);
  }

  private Accumulation accumulation(List<Operand<TFloating>> result, List<Variable<TFloating>> acc) {
    List<Op> first = new ArrayList<>();
    List<Op> add = new ArrayList<>();
    for (int s = 0; s < acc.size(); s++) {
      first.add(tf.assign(acc.get(s), result.get(s)));
      add.add(tf.assignAdd(acc.get(s), result.get(s)));
    }
    return new Accumulation(List.copyOf(first), List.copyOf(add));
  }

  /** The targets of one batch: {@code first} for the first batch of a sum, {@code add} for the others. */
  public record Accumulation(List<Op> first, List<Op> add) {}

  /**
   * The ops {@code acc[s] -= gbar[s] <gbar, v>} that complete a {@link
   * CurvatureOperator#subtractsMeanGradient} product once the batches are summed in {@code acc}.
   */
  public List<Op> subtractMeanGradient(List<? extends Operand<TFloating>> gbar, List<Variable<TFloating>> acc) {
    // <gbar, v> over every selected tensor
    List<Operand<TFloating>> parts = new ArrayList<>();
    for (int s = 0; s < gbar.size(); s++) {
      parts.add(tf.reduceSum(tf.math.mul(gbar.get(s), v.get(s)), allAxes(v.get(s))));
    }
    Operand<TFloating> dot = parts.size() == 1 ? parts.get(0) : tf.math.addN(parts);
    List<Op> ops = new ArrayList<>();
    for (int s = 0; s < acc.size(); s++) {
      ops.add(tf.assignSub(acc.get(s), tf.math.mul(gbar.get(s), dot)));
    }
    return ops;
  }

  private Operand<TInt32> allAxes(Operand<?> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /** dL/dP, built once. */
  Output<?>[] gradient() {
    if (gradient == null) {
      gradient = grad("grad", lossSum, one);
    }
    return gradient;
  }

  /** Hess v = d/dP &lt;dL/dP, v&gt;. */
  Output<?>[] hessianVectorProduct() {
    return seededByV("hvp_hessian", gradient(), params);
  }

  /** H v: the Hessian-vector product of s = sum_i w_i stop_gradient(r_i) . z_i, the Hessian without its G part. */
  Output<?>[] residualHessianVectorProduct() {
    Operand<TFloating> s = tf.reduceSum(tf.math.mul(weightsColumn(), tf.math.mul(residual(), logits)), tf.constant(new int[] {0, 1}));
    return seededByV("hvp_residual", grad("grad_s", s, one), params);
  }

  /**
   * {@code J v}, {@code [batch, C]}: forward mode from two reverse passes ("double-VJP"): with
   * {@code u = 0} shaped like z, {@code J^T u} is linear in u, and its VJP seeded with v is
   * {@code d/du <J^T u, v> = J v}. Built once, shared by every operator that needs it.
   */
  @SuppressWarnings("unchecked")
  Operand<TFloating> jvp() {
    if (jvp == null) {
      Operand<TFloating> u = tf.zerosLike(logits);
      Output<?>[] jtu = grad("jtu", logits, u);
      // v seeds the reverse pass directly (no inner product op, see seededByV)
      jvp = (Operand<TFloating>) seededByV("jv", jtu, new Output<?>[] {u.asOutput()})[0];
    }
    return jvp;
  }

  /** {@code J^T u = d/dP <z, u>} for {@code u} of the logits' shape; u is a constant of the reverse pass. */
  Output<?>[] vjp(String tag, Operand<TFloating> u) {
    return grad(tag, logits, u);
  }

  /** {@code w_i u_i} per example, held constant for the reverse pass that follows. */
  Operand<TFloating> weighted(Operand<TFloating> u) {
    return tf.stopGradient(tf.math.mul(weightsColumn(), u));
  }

  /** {@code A u} per example: the loss's curvature in the logits ({@link Loss}). */
  Operand<TFloating> lossCurvatureTimes(Operand<TFloating> u) {
    return switch (loss) {
      // A = diag(p) - p p^T:  A u = p * u - p (p . u)
      case CROSS_ENTROPY -> tf.math.sub(tf.math.mul(probabilities, u), tf.math.mul(probabilities, rowDot(probabilities, u)));
      case MSE -> u;
    };
  }

  /** {@code r_i = dl/dz_i} at the true labels (or targets), a constant of every reverse pass. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  Operand<TFloating> residual() {
    return tf.stopGradient(switch (loss) {
      case CROSS_ENTROPY -> tf.math.sub(probabilities, (Operand<TFloating>) (Operand) Losses.oneHot(tf, in.labels(), logits.asOutput()));
      case MSE -> tf.math.sub(logits, in.targets());
    });
  }

  /**
   * {@code rt_i = dl/dz_i} at a label sampled from the model with example i's fixed standard normal
   * noise {@code xi_i} ({@code [batch, C]}): for MSE the sampled target is {@code z_i + xi_i}, so
   * {@code rt_i = -xi_i}; for cross-entropy {@code u_i = Phi(xi_i1)} is uniform on (0, 1) and the
   * sampled label is the inverse of p_i's distribution function at u_i, {@code yt_i = #{c :
   * p_i1 + ... + p_ic < u_i}}, so {@code rt_i = p_i - onehot(yt_i)}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  Operand<TFloating> sampledResidual() {
    Operand<TFloating> xi = in.noise();
    return tf.stopGradient(switch (loss) {
      case MSE -> tf.math.neg(xi);
      case CROSS_ENTROPY -> {
        // u = Phi(xi_1) = erfc(-xi_1 / sqrt 2) / 2, one per example, as a column [batch, 1]
        Operand<TFloating> first = tf.slice(xi, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1}));
        Operand<TFloating> u = tf.math.mul(half(), tf.math.erfc(tf.math.mul(first, minusInverseSqrt2())));
        Operand<TInt32> below = tf.dtypes.cast(tf.math.less(tf.math.cumsum(probabilities, tf.constant(1)), u), TInt32.class);
        // the count of classes whose cumulative probability stays below u; rounding can make it C
        Operand<TInt32> sampled = tf.math.minimum(tf.reduceSum(below, tf.constant(1)), tf.constant(numClasses - 1));
        yield tf.math.sub(probabilities, (Operand<TFloating>) (Operand) Losses.oneHot(tf, sampled, logits.asOutput()));
      }
    });
  }

  /**
   * {@code sum_i w_i J_i^T r_i (r_i . J_i v)}: the product of {@code sum_i w_i (J_i^T r_i)(J_i^T r_i)^T}
   * for residuals {@code r} ({@code [batch, C]}, constant), built as {@code v -> J v -> r (r . J v)
   * -> w . -> J^T .}.
   */
  Output<?>[] residualOuterProduct(String tag, Operand<TFloating> r) {
    // r_i . J_i v: one number per example, as a column
    Operand<TFloating> rjv = rowDot(r, jvp());
    return vjp(tag, weighted(tf.math.mul(r, rjv)));
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloating> half() {
    return (Operand<TFloating>) tf.dtypes.cast(tf.constant(0.5), one.type());
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloating> minusInverseSqrt2() {
    return (Operand<TFloating>) tf.dtypes.cast(tf.constant(-1 / Math.sqrt(2)), one.type());
  }

  /** Row-wise {@code a_i . b_i} as a column {@code [batch, 1]}. */
  private Operand<TFloating> rowDot(Operand<TFloating> a, Operand<TFloating> b) {
    return tf.reduceSum(tf.math.mul(a, b), tf.constant(1), ReduceSum.keepDims(true));
  }

  private Operand<TFloating> weightsColumn() {
    return tf.expandDims(in.weights(), tf.constant(1));
  }

  /**
   * d/dx <y, v> for outputs y shaped like P: the reverse pass from y with v as its seed. Seeding
   * with v directly, rather than differentiating a scalar {@code sum(y * v)}, keeps the values of
   * y out of the graph that runs: the gradient of a product op would read {@code Shape(y)}, which
   * makes TensorFlow compute y itself (for Hess v that is dL/dP, a whole extra backward pass worth
   * of weight-gradient matmuls, 15% of the mlp's Hess v flops). Null outputs of y (no dependence)
   * contribute nothing.
   */
  private Output<?>[] seededByV(String tag, Output<?>[] y, Output<?>[] x) {
    List<Output<?>> ys = new ArrayList<>();
    List<Output<?>> seeds = new ArrayList<>();
    for (int s = 0; s < y.length; s++) {
      if (!isNull(y[s])) {
        ys.add(y[s]);
        seeds.add(v.get(s).asOutput());
      }
    }
    if (ys.isEmpty()) {
      return new Output<?>[x.length]; // every null: made zeros by the callers
    }
    return graph.addGradients(name(tag), ys.toArray(new Output<?>[0]), x, seeds.toArray(new Output<?>[0]));
  }

  /** d/dP of {@code <y, seed>}. */
  private Output<?>[] grad(String tag, Operand<?> y, Operand<?> seed) {
    return graph.addGradients(name(tag), new Output<?>[] {y.asOutput()}, params, new Output<?>[] {seed.asOutput()});
  }

  /** The outputs with every null (no dependence) made zeros of its tensor's shape. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Operand<TFloating>> orZeros(Output<?>[] out) {
    List<Operand<TFloating>> result = new ArrayList<>();
    for (int s = 0; s < out.length; s++) {
      result.add(isNull(out[s]) ? tf.zerosLike(v.get(s)) : (Operand<TFloating>) (Operand) out[s]);
    }
    return result;
  }

  private static boolean isNull(Output<?> g) {
    if (g == null) {
      return true;
    }
    org.tensorflow.internal.c_api.TF_Operation h = ((GraphOperation) g.op()).getUnsafeNativeHandle();
    return h == null || h.isNull();
  }

  private String name(String base) {
    return "hesspec_" + base + "_" + (nameCounter++);
  }
}
