package org.hesspec.curvature;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Output;

/**
 * The curvature operators hesspec measures: each constant carries its name in experiment files
 * and result tables ({@link #yamlName()}), its formula (below and in docs/mathematics.md), and how
 * one mini-batch's share of its product is built from the pieces of {@link ProductOps}.
 *
 * <p>With the mean loss {@code L = 1/n sum_i l(z_i, y_i)} of logits {@code z_i = f(x_i; theta)},
 * {@code J_i = dz_i/dtheta}, the residual {@code r_i = dl/dz_i} at the true label, the per-example
 * gradient {@code g_i = J_i^T r_i}, its mean {@code gbar = dL/dtheta} and {@code A_i = d2l/dz_i^2}
 * ({@code diag(p_i) - p_i p_i^T} for softmax cross-entropy, {@code I} for MSE):
 *
 * <pre>
 *   hessian              Hess = d2L/dtheta2                        = G + H
 *   G                    G    = 1/n sum_i J_i^T A_i J_i            (Gauss-Newton)
 *   H                    H    = 1/n sum_i sum_c r_ic d2z_ic/dtheta2 (residual part)
 *   empirical_fisher     F    = 1/n sum_i g_i g_i^T
 *   gradient_covariance  Cov  = 1/n sum_i (g_i - gbar)(g_i - gbar)^T = F - gbar gbar^T
 *   fisher_mc            Fmc  = 1/n sum_i J_i^T rt_i rt_i^T J_i,   rt_i = dl/dz_i at a sampled label
 * </pre>
 *
 * For {@code fisher_mc} the label of example i is drawn from the model's own predictive
 * distribution ({@code yt_i ~ softmax(z_i)} for cross-entropy, {@code yt_i ~ N(z_i, I)} for MSE)
 * with the example's fixed noise ({@link BatchedData}, one seed per data set), so every product in
 * a run sees the same labels. {@code E[rt_i rt_i^T] = A_i}, hence {@code E[Fmc] = G} (Martens 2020,
 * "New insights and perspectives on the natural gradient method", section 9.2). {@code F} and
 * {@code Cov} are what the talk's "covariance of gradients" could mean; Papyan (2019) shows G is a
 * second moment of (label-sampled) gradients, not their covariance, and these operators measure
 * the difference.
 */
public enum CurvatureOperator {

  /** Pearlmutter (1994): {@code Hess v = d/dtheta <dL/dtheta, v>}. */
  HESSIAN("hessian") {
    @Override
    Output<?>[] batchProduct(ProductOps ops) {
      return ops.hessianVectorProduct();
    }
  },

  /** {@code G v = J^T (w A (J v))}, each factor built by {@link ProductOps}. */
  GAUSS_NEWTON("G") {
    @Override
    Output<?>[] batchProduct(ProductOps ops) {
      return ops.vjp("gv", ops.weighted(ops.lossCurvatureTimes(ops.jvp())));
    }
  },

  /** {@code H v = d/dtheta <ds/dtheta, v>}, {@code s = sum_i w_i stop_gradient(r_i) . z_i}. */
  RESIDUAL_HESSIAN("H") {
    @Override
    Output<?>[] batchProduct(ProductOps ops) {
      return ops.residualHessianVectorProduct();
    }
  },

  /** {@code F v = J^T (w r (r . J v))}: the outer product of the true-label residuals. */
  EMPIRICAL_FISHER("empirical_fisher") {
    @Override
    Output<?>[] batchProduct(ProductOps ops) {
      return ops.residualOuterProduct("ef", ops.residual());
    }
  },

  /** {@code Cov v = F v - gbar <gbar, v>}: the sessions subtract the rank-one term after the sum. */
  GRADIENT_COVARIANCE("gradient_covariance") {
    @Override
    Output<?>[] batchProduct(ProductOps ops) {
      return ops.residualOuterProduct("cov", ops.residual());
    }

    @Override
    public boolean subtractsMeanGradient() {
      return true;
    }
  },

  /** {@code Fmc v = J^T (w rt (rt . J v))}, {@code rt} the residual at the sampled labels. */
  FISHER_MC("fisher_mc") {
    @Override
    Output<?>[] batchProduct(ProductOps ops) {
      return ops.residualOuterProduct("fmc", ops.sampledResidual());
    }
  };

  private final String yamlName;

  CurvatureOperator(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name in experiment files ({@code operators: [...]}) and in the {@code operator} column of the tables. */
  public String yamlName() {
    return yamlName;
  }

  /** The constant named {@code name} in experiment files, if any (names are case-sensitive: {@code G} and {@code H}). */
  public static Optional<CurvatureOperator> named(String name) {
    return Arrays.stream(values()).filter(o -> o.yamlName.equals(name)).findFirst();
  }

  /** Every name, in declaration order (for messages). */
  public static List<String> names() {
    return Arrays.stream(values()).map(CurvatureOperator::yamlName).toList();
  }

  /**
   * Whether the product is completed by subtracting {@code gbar <gbar, v>} after the mini-batch
   * sum ({@code gbar} the mean gradient over the whole data set, which no single batch knows).
   */
  public boolean subtractsMeanGradient() {
    return false;
  }

  /**
   * One mini-batch's share of the product of the vector held in {@code ops}' variables, one output
   * per selected parameter tensor; an output may be null where it does not depend on that tensor.
   */
  abstract Output<?>[] batchProduct(ProductOps ops);

  @Override
  public String toString() {
    return yamlName;
  }
}
