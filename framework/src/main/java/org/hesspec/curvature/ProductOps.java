package org.hesspec.curvature;

import java.util.ArrayList;
import java.util.List;
import org.hesspec.curvature.CurvatureGraph.Product;
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
 * The one place where the ops of the curvature products are written: the loss and, per
 * {@link Product}, the outputs of the product of one mini-batch, in a graph that already holds the
 * model. Used by {@link CurvatureGraph} (one local graph) and by the distributed runtime (the
 * per-worker shard graph).
 *
 * <p>With logits {@code z_i = f(x_i; theta)} ({@code [batch, C]}), per-example weights
 * {@code w_i}, labels {@code y_i} (cross-entropy) or targets {@code y_i} (MSE), {@code P} the
 * selected parameter tensors, {@code v} the product vector (one variable per tensor of P),
 * {@code J} the Jacobian of the logits with respect to P, {@code p_i = softmax(z_i)} and the
 * residual {@code r_i = dl/dz_i} ({@code p_i - onehot(y_i)} for cross-entropy, {@code z_i - y_i}
 * for MSE):
 *
 * <pre>
 *   L      = sum_i w_i l(z_i, y_i)
 *   GRADIENT:          dL/dP
 *   HESSIAN:           Hess v = d/dP &lt;dL/dP, v&gt;                          (Pearlmutter: gradient of gradient, seeded with v)
 *   GAUSS_NEWTON:      G v    = J^T (w A (J v)),  J v = d/du &lt;J^T u, v&gt;   (double-VJP, u = 0 shaped like z)
 *                      A Jv   = p * Jv - p (p . Jv)  (cross-entropy: A = diag(p) - p p^T);  A Jv = Jv  (MSE: A = I)
 *   RESIDUAL_HESSIAN:  H v    = d/dP &lt;ds/dP, v&gt;,  s = sum_i w_i stop_gradient(r_i) . z_i
 *   WEIGHTED_VJP:      VJP(W) = sum_i J_i^T W_i
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
  private final Operand<TFloating> logits;
  private final Operand<TInt32> labels;
  private final Operand<TFloating> targets;
  private final Operand<TFloating> weights;
  private final Operand<TFloating> vjpWeights;
  private final Output<?>[] params;
  private final List<Variable<TFloating>> v;
  private final Operand<TFloating> probabilities;
  private final Operand<TFloating> lossSum;
  private final Operand<TFloating> one;
  private Output<?>[] gradient;
  private int nameCounter;

  /**
   * Adds the loss L and the softmax probabilities p to {@code graph}; products are added on demand.
   *
   * @param tf ops of {@code graph} (its sub-scope names the added ops)
   * @param logits z, {@code [batch, C]}
   * @param labels class labels {@code [batch]} (read for cross-entropy)
   * @param targets regression targets {@code [batch, C]} (read for MSE)
   * @param weights per-example weights w {@code [batch]}
   * @param vjpWeights W {@code [batch, C]} of the weighted VJP, or null where it is not built
   * @param params the parameter outputs P
   * @param v the product vector, one variable per output of P, of its shape
   * @param type the floating type of the model
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public ProductOps(Graph graph, Ops tf, Loss loss, Operand<TFloating> logits, Operand<TInt32> labels, Operand<TFloating> targets,
      Operand<TFloating> weights, Operand<TFloating> vjpWeights, List<Output<TFloating>> params, List<Variable<TFloating>> v,
      Class<TFloating> type) {
    this.graph = graph;
    this.tf = tf;
    this.loss = loss;
    this.logits = logits;
    this.labels = labels;
    this.targets = targets;
    this.weights = weights;
    this.vjpWeights = vjpWeights;
    this.params = params.toArray(new Output<?>[0]);
    this.v = List.copyOf(v);
    this.probabilities = tf.nn.softmax(logits);
    Operand<TFloating> perExample = (Operand<TFloating>) (Operand) switch (loss) {
      case CROSS_ENTROPY -> Losses.crossEntropy(tf, logits, Losses.OutputKind.LOGITS, labels);
      case MSE -> Losses.halfSquaredError(tf, logits, targets);
    };
    this.lossSum = (Operand<TFloating>) (Operand) Losses.weightedSum(tf, perExample, weights);
    this.one = tf.dtypes.cast(tf.constant(1.0), type);
  }

  /** L = sum_i w_i l(z_i, y_i) of the batch. */
  public Operand<TFloating> lossSum() {
    return lossSum;
  }

  /** p = softmax(z), {@code [batch, C]}. */
  public Operand<TFloating> probabilities() {
    return probabilities;
  }

  /** The ops {@code acc[s] += product[s]}, one per tensor of P (accumulators of P's shapes). */
  public List<Op> accumulate(Product product, List<Variable<TFloating>> acc) {
    return accumulation(product, acc).add();
  }

  /**
   * The ops that store one batch's {@code product} in {@code acc}: {@code first} assigns (the
   * first batch of a sum, so no separate zeroing pass), {@code add} adds; both read one set of
   * product ops.
   */
  public Accumulation accumulation(Product product, List<Variable<TFloating>> acc) {
    List<Operand<TFloating>> result = result(product);
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

  /** The batch's {@code product} (of v where it takes one), one output per tensor of P, null outputs made zeros. */
  public List<Operand<TFloating>> result(Product product) {
    Output<?>[] out = switch (product) {
      case GRADIENT -> gradient();
      case HESSIAN -> hvp("hessian", gradient());
      case RESIDUAL_HESSIAN -> residualHessian();
      case GAUSS_NEWTON -> gaussNewton();
      case WEIGHTED_VJP -> {
        if (vjpWeights == null) {
          throw new IllegalArgumentException("no weights W for WEIGHTED_VJP");
        }
        yield grad("vjp", logits, vjpWeights);
      }
    };
    List<Operand<TFloating>> result = new ArrayList<>();
    for (int s = 0; s < out.length; s++) {
      result.add(orZeros(out[s], s));
    }
    return result;
  }

  /** dL/dP, built once. */
  private Output<?>[] gradient() {
    if (gradient == null) {
      gradient = grad("grad", lossSum, one);
    }
    return gradient;
  }

  /** H v: the Hessian-vector product of s = sum_i w_i stop_gradient(r_i) . z_i, the Hessian without its G part. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Output<?>[] residualHessian() {
    Operand<TFloating> r = tf.stopGradient(switch (loss) {
      case CROSS_ENTROPY -> tf.math.sub(probabilities, (Operand<TFloating>) (Operand) Losses.oneHot(tf, labels, logits.asOutput()));
      case MSE -> tf.math.sub(logits, targets);
    });
    Operand<TFloating> s = tf.reduceSum(tf.math.mul(tf.expandDims(weights, tf.constant(1)), tf.math.mul(r, logits)), tf.constant(new int[] {0, 1}));
    return hvp("residual", grad("grad_s", s, one));
  }

  /** G v: v -> J v (double-VJP) -> w A J v -> J^T (w A J v). */
  @SuppressWarnings("unchecked")
  private Output<?>[] gaussNewton() {
    Operand<TFloating> u = tf.zerosLike(logits);
    Output<?>[] jtu = grad("jtu", logits, u);
    // J v = d/du <J^T u, v>: the VJP of J^T u seeded with v (no inner product op, see seededByV)
    Operand<TFloating> jv = (Operand<TFloating>) seededByV("jv", jtu, new Output<?>[] {u.asOutput()})[0];
    Operand<TFloating> ajv = switch (loss) {
      case CROSS_ENTROPY -> {
        // A = diag(p) - p p^T:  A Jv = p * Jv - p (p . Jv)
        Operand<TFloating> pjv = tf.reduceSum(tf.math.mul(probabilities, jv), tf.constant(1), ReduceSum.keepDims(true));
        yield tf.math.sub(tf.math.mul(probabilities, jv), tf.math.mul(probabilities, pjv));
      }
      case MSE -> jv;
    };
    Operand<TFloating> seed = tf.stopGradient(tf.math.mul(tf.expandDims(weights, tf.constant(1)), ajv));
    return grad("gv", logits, seed);
  }

  /** d/dP <g, v> for a gradient g = d(scalar)/dP. */
  private Output<?>[] hvp(String tag, Output<?>[] g) {
    return seededByV("hvp_" + tag, g, params);
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

  /** A null gradient output (no dependence) is zero. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Operand<TFloating> orZeros(Output<?> g, int s) {
    return isNull(g) ? tf.zerosLike(v.get(s)) : (Operand<TFloating>) (Operand) g;
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
